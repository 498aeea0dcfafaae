"""Dividends: a declared cash amount allocated in the charter's priority order.

infinity IV.2: Series C's full $0.1352 first, then Series A's $0.04, then common.
nvidia IV.D.1: every series pari passu, then common once all have their full
annual amount. Within a rank a short amount is shared in proportion to each
class's full entitlement; nothing reaches common until every preferred rank is
full (``common_after_full_preferred``). Non-cumulative: only this declaration counts; a cumulative
series is owed what has accrued to the cap table's date (NVCA 2020 §1, ``oracle/accrual.py``).
What reaches common is shared with the preferred as converted when the charter says so
(``[dividends.preferred_share_common]``, NVCA 2020 §1): ``oracle/dividend_sharing.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable, split_among_holders
from charter_oracle.oracle.charter import Charter, Series
from charter_oracle.oracle.dividend_sharing import share_common
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.positions import accrued_dividends_per_share


@dataclass(frozen=True)
class DividendAllocation:
    amount: Fraction
    classes: tuple[tuple[str, Fraction], ...]
    holders: tuple[tuple[str, Fraction], ...]
    undistributed: Fraction  # only when no class can take the rest (no common outstanding)
    cites: tuple[tuple[str, str], ...]


def _owed_per_share(series: Series, table: CapTable) -> Fraction:
    """The annual amount, or for a cumulative series what has accrued to the table's date."""
    assert series.dividend is not None
    if series.dividend.cumulative:
        return accrued_dividends_per_share(series, table)
    return series.dividend.rate


def allocate_dividend(charter: Charter, table: CapTable, amount: Fraction) -> DividendAllocation:
    if amount < 0:
        raise InputError(f"dividend amount: {amount} is negative")
    remaining = amount
    totals = {class_id: Fraction(0) for class_id in charter.class_ids}
    cites = {charter.common.id: charter.dividends.cite}
    ranks: dict[int, list] = {}
    for series in charter.series:
        if series.dividend is not None and table.shares_of(series.id):
            ranks.setdefault(series.dividend.rank, []).append(series)
            cites[series.id] = series.dividend.cite
    for rank in sorted(ranks):
        owed = {s.id: _owed_per_share(s, table) * table.shares_of(s.id) for s in ranks[rank]}
        due = sum(owed.values(), Fraction(0))
        paid = min(remaining, due)
        for series_id, entitlement in owed.items():
            totals[series_id] += paid * entitlement / due if due else Fraction(0)
        remaining -= paid
    if charter.dividends.preferred_share_common is not None:
        # NVCA 2020 §1: the common dividend is shared with the preferred as converted.
        holders = split_among_holders(table, totals)
        shared = share_common(charter, table, remaining)
        for class_id, extra in shared.classes.items():
            totals[class_id] += extra
        for holder, extra in shared.holders.items():
            holders[holder] += extra
        for series in charter.series:
            if shared.classes.get(series.id):
                own = cites.get(series.id)
                cites[series.id] = f"{own}; {charter.dividends.share_cite}" if own else charter.dividends.share_cite
        return DividendAllocation(amount, tuple(totals.items()), tuple(holders.items()), shared.undistributed,
                                  tuple(sorted(cites.items())))
    common = table.shares_of(charter.common.id)
    undistributed = Fraction(0)
    if remaining and common:
        totals[charter.common.id] += remaining
    else:
        undistributed = remaining
    holders = split_among_holders(table, totals)
    return DividendAllocation(
        amount, tuple(totals.items()), tuple(holders.items()), undistributed, tuple(sorted(cites.items()))
    )

