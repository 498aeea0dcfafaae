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

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.as_converted import as_converted
from charter_oracle.oracle.cap_table import CapTable, split_among_holders
from charter_oracle.oracle.charter import Charter, Series
from charter_oracle.oracle.dividend_sharing import share_common
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.naming import did_you_mean
from charter_oracle.oracle.positions import accrued_dividends_per_share


@dataclass(frozen=True)
class DividendAllocation:
    amount: Fraction
    classes: tuple[tuple[str, Fraction], ...]
    holders: tuple[tuple[str, Fraction], ...]
    undistributed: Fraction  # only when no class can take the rest (no common outstanding)
    cites: tuple[tuple[str, str], ...]
    kind: str = "cash"


def _owed_per_share(series: Series, table: CapTable) -> Fraction:
    """The annual amount, or for a cumulative series what has accrued to the table's date."""
    assert series.dividend is not None
    if series.dividend.cumulative:
        return accrued_dividends_per_share(series, table)
    return series.dividend.rate


DIVIDEND_KINDS = ("cash", "cash-not-from-earnings", "other-securities", "property")


def allocate_dividend(charter: Charter, table: CapTable, amount: Fraction, kind: str = "cash",
                      paid_this_year: Mapping[str, Fraction] | None = None) -> DividendAllocation:
    """Allocate ``amount`` declared of a distribution of ``kind``.

    ``cash`` (a dividend out of earnings): the preferences in rank order, then common. The preferences are
    annual (infinity IV.2, nvidia IV.D.1 "during that fiscal year"): ``paid_this_year`` (per share, by
    series) is what a series has already had in the year, and only the rest of its annual amount is owed
    again. Any other kind is a "like distribution" where the charter lists it: shared by common and the
    preferred as converted (infinity IV.4(d)(vi)(2), nvidia IV.D.3(E)); a kind it does not list is refused.
    """
    if amount < 0:
        raise InputError(f"dividend amount: {amount} is negative")
    if kind not in DIVIDEND_KINDS:
        raise InputError(f"dividend kind {kind!r} is not one of {', '.join(DIVIDEND_KINDS)}{did_you_mean(kind, DIVIDEND_KINDS)}")
    if kind != "cash":
        return _like_distribution(charter, table, amount, kind)
    paid = dict(paid_this_year or {})
    for series_id, per_share in paid.items():
        try:
            series = charter.series_by_id(series_id)
        except KeyError:
            raise InputError(f"paid this year: {series_id!r} is not a series of {charter.id}") from None
        if series.dividend is None:
            raise InputError(f"paid this year: {series_id} has no dividend preference")
        if per_share < 0:
            raise InputError(f"paid this year: {series_id} {per_share} is negative")
    remaining = amount
    totals = {class_id: Fraction(0) for class_id in charter.class_ids}
    cites = {charter.common.id: charter.dividends.cite}
    ranks: dict[int, list] = {}
    for series in charter.series:
        if series.dividend is not None and table.shares_of(series.id):
            ranks.setdefault(series.dividend.rank, []).append(series)
            cites[series.id] = series.dividend.cite
    for rank in sorted(ranks):
        # what is left of each amount owed (the annual amount, or what a cumulative series has accrued) this
        # fiscal year
        owed = {s.id: max(_owed_per_share(s, table) - paid.get(s.id, Fraction(0)), Fraction(0)) * table.shares_of(s.id)
                for s in ranks[rank]}
        due = sum(owed.values(), Fraction(0))
        paid_now = min(remaining, due)
        for series_id, entitlement in owed.items():
            totals[series_id] += paid_now * entitlement / due if due else Fraction(0)
        remaining -= paid_now
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
                                  tuple(sorted(cites.items())), kind)
    common = table.shares_of(charter.common.id)
    undistributed = Fraction(0)
    if remaining and common:
        totals[charter.common.id] += remaining
    else:
        undistributed = remaining
    holders = split_among_holders(table, totals)
    return DividendAllocation(
        amount, tuple(totals.items()), tuple(holders.items()), undistributed, tuple(sorted(cites.items())), kind
    )


def _like_distribution(charter: Charter, table: CapTable, amount: Fraction, kind: str) -> DividendAllocation:
    """Common and every series as converted (exact: "the number of shares of Common Stock into which such
    series is then convertible"), pro rata."""
    terms = charter.dividends
    if kind not in terms.like_distributions:
        raise InputError(f"{charter.id} states no rule for a {kind} distribution (its kinds: "
                         f"{', '.join(('cash', *terms.like_distributions))})")
    weights = {charter.common.id: Fraction(table.shares_of(charter.common.id))}
    for s in charter.series:
        weights[s.id] = as_converted(s, table.shares_of(s.id), table.conversion_price(charter, s.id))
    total = sum(weights.values(), Fraction(0))
    totals = {cid: (amount * w / total if total else Fraction(0)) for cid, w in weights.items()}
    holders = split_among_holders(table, totals)
    cites = tuple(sorted((cid, terms.like_cite) for cid in weights))
    return DividendAllocation(amount, tuple(totals.items()), tuple(holders.items()),
                              amount if not total else Fraction(0), cites, kind)
