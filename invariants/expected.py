"""Independent computations the invariants compare the oracle with.

These re-derive, from the charter's data and the clause alone, the few numbers
an invariant needs (a shortfall split, a vote count, one weighted-average step,
a dividend order). They deliberately share no code with ``oracle``'s engines, so
that a bug there is not mirrored here.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter, Compare, Series
from charter_oracle.oracle.exact import round_half_even, round_half_up


def compare(part: Fraction, whole: Fraction, fraction: Fraction, op: Compare) -> bool:
    """``part / whole`` against ``fraction`` with the stated strictness; nothing passes on an empty whole."""
    if whole == 0:
        return False
    lhs, rhs = Fraction(part), fraction * Fraction(whole)
    return {">": lhs > rhs, ">=": lhs >= rhs, "<": lhs < rhs, "<=": lhs <= rhs}[op]


def as_converted(series: Series, shares: int | Fraction, price: Fraction) -> Fraction:
    """Common issuable on converting ``shares`` at conversion ``price``: shares * value / price.

    The invariants' one definition (infinity IV.4(a), nvidia IV.D.3(A)); the oracle has its own,
    which the checks compare with, so this one is never imported from ``oracle``.
    """
    return shares * series.conversion.value / price


def ratio(charter: Charter, table: CapTable, series: Series) -> Fraction:
    """Common per preferred share at the table's price in effect (its override, else the initial price)."""
    prices = dict(table.conversion_prices)
    return as_converted(series, 1, prices.get(series.id, series.conversion.initial_price))


def accrued(series: Series, table: CapTable, as_of: dt.date | None = None) -> Fraction:
    """Cumulative dividends accrued per share from the series' issue date (NVCA 2020 §1), independently:
    simple, rate * days / day_count; annual compounding year by year on price plus what has accrued."""
    div = series.dividend
    if div is None or not div.cumulative:
        return Fraction(0)
    if series.id not in dict(table.issue_dates):  # no shares outstanding: nothing accrues to anyone
        return Fraction(0)
    start, end = dict(table.issue_dates)[series.id], as_of or table.as_of
    if end <= start:
        return Fraction(0)
    if div.compounding == "simple":
        return div.rate * (end.toordinal() - start.toordinal()) / div.day_count
    price, value, year = series.original_issue_price, series.original_issue_price, start
    while True:
        try:
            nxt = year.replace(year=year.year + 1)
        except ValueError:  # 29 February
            nxt = dt.date(year.year + 1, 2, 28)
        if start.month == 2 and start.day == 29:
            try:
                nxt = dt.date(nxt.year, 2, 29)
            except ValueError:
                pass
        if nxt > end:
            break
        value, year = value * (1 + div.annual_fraction), nxt
    return value * (1 + div.annual_fraction * Fraction(end.toordinal() - year.toordinal(), div.day_count)) - price


def claim(table: CapTable, series: Series) -> Fraction:
    """Full preferential amount of a class: preference plus declared unpaid dividends plus accrued cumulative
    dividends, per share times shares."""
    per_share = (series.liquidation.preference + dict(table.declared_unpaid_dividends).get(series.id, Fraction(0))
                 + accrued(series, table))
    return sum((h.shares for h in table.holdings if h.class_id == series.id), 0) * per_share


def shortfall_payouts(charter: Charter, table: CapTable, proceeds: Fraction) -> dict[str, Fraction]:
    """Holder payouts when nobody converts and ``proceeds`` do not cover every preference.

    Ranks in order; within a rank, pro rata to each holder's full preferential
    amount (infinity IV.3(a), nvidia IV.D.2(A)); common gets nothing.
    """
    out = {h.holder: Fraction(0) for h in table.holdings}
    remaining = proceeds
    for rank in sorted({s.liquidation.rank for s in charter.series}):
        tier = [s for s in charter.series if s.liquidation.rank == rank]
        holder_claims = []
        for s in tier:
            per_share = (s.liquidation.preference + dict(table.declared_unpaid_dividends).get(s.id, Fraction(0))
                         + accrued(s, table))
            holder_claims += [(h.holder, h.shares * per_share) for h in table.holdings if h.class_id == s.id]
        total = sum((c for _, c in holder_claims), Fraction(0))
        if total == 0:
            continue
        paid = min(remaining, total)
        for holder, c in holder_claims:
            out[holder] += paid * c / total
        remaining -= paid
    return out


def round_vote(rule: str, value: Fraction) -> int:
    if rule == "down":  # whole votes, fractions disregarded (NVCA 2020 §3.1)
        return math.floor(value)
    helper = round_half_even if rule == "half-even" else round_half_up
    return int(helper(value))


def holder_votes(charter: Charter, table: CapTable, classes: tuple[str, ...] | None = None) -> dict[str, tuple[Fraction, int, int]]:
    """Per holder: (exact as-converted preferred votes, rounded preferred votes, common votes).

    The rounding is done once per holder on the aggregate (infinity IV.5, nvidia IV.D.4),
    unless the charter states another aggregation.
    """
    wanted = set(classes) if classes is not None else set(charter.class_ids)
    out = {}
    for holder in dict.fromkeys(h.holder for h in table.holdings):
        pieces: list[tuple[Fraction, int]] = []  # (a piece rounded on its own, how many alike)
        for s in charter.series:
            if s.id not in wanted:
                continue
            shares = sum(h.shares for h in table.holdings if h.holder == holder and h.class_id == s.id)
            r = ratio(charter, table, s)
            pieces.append((r, shares) if charter.voting.aggregate == "share" else (shares * r, 1))
        exact = sum((piece * n for piece, n in pieces), Fraction(0))
        if charter.voting.aggregate == "holder":
            pieces = [(exact, 1)]
        rounded = 0
        for piece, n in pieces:
            if charter.voting.share_rounding_first:
                piece = round_half_up(piece, Fraction(1, 100))
            rounded += round_vote(charter.voting.tie, piece) * n
        common = sum(h.shares for h in table.holdings if h.holder == holder and h.class_id == charter.common.id) \
            if charter.common.id in wanted else 0
        out[holder] = (exact, rounded, common)
    return out


def participation_legs(series: Series, table: CapTable) -> tuple[Fraction, ...] | None:
    """Per-share bounds on what a participating series takes beside common (infinity IV.3(b)); None: no bound.

    Each leg net of the preference where the cap includes it, the interest leg accrued day by day
    at principal * rate / day_count from the series' first issue (leap days are days). The lesser
    leg is *not* taken: the check tests each bound on its own (the oracle's
    ``participation_cap_per_share`` takes the minimum), so a wrong minimum there shows here.
    """
    terms = series.participation
    if terms.kind == "full":
        return None
    if terms.kind == "none":
        return (Fraction(0),)
    legs = [terms.cap_per_share] if terms.cap_per_share is not None else []
    if terms.interest_rate is not None and terms.interest_principal is not None:
        days = max(table.as_of.toordinal() - dict(table.issue_dates)[series.id].toordinal(), 0)
        legs.append(terms.interest_principal * terms.interest_rate / terms.day_count * days)
    if terms.cap_includes_preference:
        legs = [max(leg - series.liquidation.preference, Fraction(0)) for leg in legs]
    return tuple(legs)


def deemed_base(charter: Charter, common: int, holdings: list[dict[str, int]], prices: dict[str, Fraction],
                options: list[tuple[int, Fraction]], all_options: bool = False) -> Fraction:
    """N of the broad-based formula: common + preferred as converted + options the charter counts.

    ``holdings``: each holder's preferred by series. Conversion shares count whole, a holder's
    series together (all.base-conversion-shares=whole, the default), to the nearest 1/100 share
    (hundredths, halves up), or exact.
    """
    assert charter.dilution is not None
    base = Fraction(common)
    reading = charter.interpretations_in_force.get("all.base-conversion-shares", "whole")
    for held in holdings:
        converted = sum((as_converted(charter.series_by_id(sid), n, prices[sid]) for sid, n in held.items()),
                        Fraction(0))
        if reading == "whole":
            converted = Fraction(math.floor(converted))
        elif reading == "hundredths":
            converted = Fraction(math.floor(converted * 100 + Fraction(1, 2)), 100)
        base += converted
    rule = charter.dilution.options_in_base
    limit = None if all_options or rule == "all" else prices[rule.split(":", 1)[1]]
    base += sum(n for n, price in options if limit is None or price < limit)
    return base


def settle(charter: Charter, effective: Fraction, exact_new: Fraction) -> Fraction:
    """infinity IV.4(h): nearest cent, a change under $0.01 carried forward (exact prices elsewhere)."""
    terms = charter.dilution
    assert terms is not None
    if terms.price_unit is None:
        return exact_new
    helper = round_half_even if terms.price_tie == "half-even" else round_half_up
    rounded = helper(exact_new, terms.price_unit)
    # infinity.minimum-change-test: the threshold on the exact change, or on the rounded price's change
    measured = rounded if terms.minimum_change_test == "rounded-price" else exact_new
    if abs(effective - measured) < (terms.carry_forward_below or 0):
        return effective
    return rounded


def one_issue_prices(charter: Charter, table: CapTable, shares: int, price: Fraction, commissions: Fraction,
                     all_options: bool = False) -> dict[str, Fraction]:
    """Every series' price after one issue of common from the cap table's state (one formula step)."""
    terms = charter.dilution
    assert terms is not None
    prices = {s.id: dict(table.conversion_prices).get(s.id, s.conversion.initial_price) for s in charter.series}
    gross = shares * price
    paid = gross - commissions if terms.consideration == "net-of-commissions" else gross
    holdings = [{s.id: table.holder_shares(h, s.id) for s in charter.series} for h in table.holders]
    base = deemed_base(charter, table.shares_of(charter.common.id), holdings,
                       prices, [(o.shares, o.exercise_price) for o in table.options], all_options)
    # Narrow base: outstanding stock only (no options); full ratchet: the issue's price per share.
    narrow = deemed_base(charter, table.shares_of(charter.common.id), holdings, prices, [])
    out = dict(prices)
    for s in charter.series:
        cp = prices[s.id]
        if s.dilution.method == "none" or not paid / shares < cp:
            continue
        if s.dilution.method == "full-ratchet":
            out[s.id] = settle(charter, cp, paid / shares)
            continue
        n = narrow if s.dilution.method == "narrow-based-weighted-average" else base
        out[s.id] = settle(charter, cp, cp * (n + paid / cp) / (n + shares))
    return out


def dividend_split(charter: Charter, table: CapTable, amount: Fraction) -> dict[str, Fraction]:
    """A declared dividend by class: preferred ranks in order, pro rata within a rank, the rest to common."""
    out = {cid: Fraction(0) for cid in charter.class_ids}
    remaining = amount
    for rank in sorted({s.dividend.rank for s in charter.series if s.dividend}):
        owed = {s.id: (accrued(s, table) if s.dividend.cumulative else s.dividend.rate) * table.shares_of(s.id)
                for s in charter.series if s.dividend and s.dividend.rank == rank}
        due = sum(owed.values(), Fraction(0))
        if due == 0:
            continue
        paid = min(remaining, due)
        for sid, o in owed.items():
            out[sid] = paid * o / due
        remaining -= paid
    if charter.dividends.preferred_share_common is not None:
        # NVCA 2020 §1: each holder's preferred counts as the common it converts into (whole shares per
        # holder and series when the charter says so) beside common one per share.
        weights: dict[str, Fraction] = {charter.common.id: Fraction(table.shares_of(charter.common.id))}
        for s in charter.series:
            price = dict(table.conversion_prices).get(s.id, s.conversion.initial_price)
            counts = [as_converted(s, table.holder_shares(h, s.id), price) for h in table.holders]
            if charter.dividends.preferred_share_common == "whole":
                counts = [Fraction(math.floor(c)) for c in counts]
            weights[s.id] = sum(counts, Fraction(0))
        total = sum(weights.values(), Fraction(0))
        for cid, w in weights.items():
            if total:
                out[cid] += remaining * w / total
        return out
    if table.shares_of(charter.common.id):
        out[charter.common.id] = remaining
    return out
