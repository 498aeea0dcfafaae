"""A dividend on common shared with the preferred as converted (NVCA 2020 §1).

Each preferred share takes what the common it converts into would take: the amount left after the
preferences is divided by the common-equivalent count (common shares one each, each holder's
preferred as converted). ``count = "whole"`` counts each holder's as-converted shares of a series in
whole shares, the fraction disregarded (no fractional share is issued on conversion, NVCA 2020
§4.3); ``"exact"`` counts the fraction too.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.as_converted import as_converted
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import round_down


@dataclass(frozen=True)
class SharedDividend:
    classes: dict[str, Fraction]  # the extra each class takes
    holders: dict[str, Fraction]  # the extra each holder takes
    undistributed: Fraction  # only when nobody counts (no common, no preferred)


def common_equivalents(charter: Charter, table: CapTable) -> dict[tuple[str, str], Fraction]:
    """(holder, class) -> common-equivalent count taking part in a dividend on common."""
    whole = charter.dividends.preferred_share_common == "whole"
    counts: dict[tuple[str, str], Fraction] = {}
    for holder in table.holders:
        common = table.holder_shares(holder, charter.common.id)
        if common:
            counts[(holder, charter.common.id)] = Fraction(common)
        for series in charter.series:
            shares = table.holder_shares(holder, series.id)
            if shares:
                exact = as_converted(series, shares, table.conversion_price(charter, series.id))
                counts[(holder, series.id)] = round_down(exact) if whole else exact
    return counts


def share_common(charter: Charter, table: CapTable, remaining: Fraction) -> SharedDividend:
    counts = common_equivalents(charter, table)
    total = sum(counts.values(), Fraction(0))
    classes = {class_id: Fraction(0) for class_id in charter.class_ids}
    holders = {holder: Fraction(0) for holder in table.holders}
    if total == 0:
        return SharedDividend(classes, holders, remaining)
    for (holder, class_id), count in counts.items():
        part = remaining * count / total
        classes[class_id] += part
        holders[holder] += part
    return SharedDividend(classes, holders, Fraction(0))
