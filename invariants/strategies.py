"""Hypothesis strategies worth reusing: cap tables, proceeds, event histories and whole charters.

Everything is exact: share counts are ints, money and prices are Fractions built
from cents or small ratios, never floats. The strategies read only the charter's
data (designated counts, prices, participation terms, its date and the start date
of its anti-dilution clause) and the cap table in hand (its date, prices and size),
never constants from one charter's era, so they work on a user's charter as well as
on the bundled ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from charter_oracle.oracle.adjustments import Event
from charter_oracle.oracle.cap_table import CapTable, Holding, OptionGrant
from charter_oracle.oracle.charter import Charter, Series
from charter_oracle.oracle.charter_file import build_charter
from charter_oracle.oracle.positions import participation_cap_per_share

CENT = Fraction(1, 100)
HOLDER_NAMES: tuple[str, ...] = ("Ada Capital", "Bo Partners", "Cy Fund", "Di Trust", "Ed Angel", "Fay LP")

__all__ = [
    "cap_tables", "proceeds_for", "interesting_proceeds", "issue_events", "event_histories", "dates",
    "random_charter_dicts", "random_charters", "conversion_price_overrides", "HOLDER_NAMES",
    "years_after", "table_dates", "event_window", "event_dates", "in_force", "company_size",
]

# Expiries and repricings anywhere in a history: after splits, after other expiries of the same grant
# (the orders that once went wrong are kept as tests in tests/invariants/test_history_orders.py). False
# would keep a grant's expiries and repricings before any split, and its repricings before its expiries.
ANY_ORDER = True

# How far after its first possible date a generated cap table or event may fall.
TABLE_YEARS, EVENT_YEARS = 12, 10


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (or earlier); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def table_dates(charter: Charter) -> tuple[dt.date, dt.date]:
    """The span of a generated cap table's date: from the charter's own date on."""
    return charter.date, years_after(charter.date, TABLE_YEARS)


def event_window(charter: Charter, table: CapTable) -> tuple[dt.date, dt.date]:
    """Where events that the anti-dilution clause governs fall: after the cap table's date and after the
    clause's start date (nvidia IV.D.3(G): issues before the restated certificate are not Additional Shares)."""
    start = table.as_of
    if charter.dilution is not None and charter.dilution.start_date is not None:
        start = max(start, charter.dilution.start_date)
    return start, years_after(start, EVENT_YEARS)


def in_force(charter: Charter, day: dt.date) -> bool:
    """Whether the anti-dilution clause governs an issue on ``day`` (its start date, if any, has come)."""
    terms = charter.dilution
    return terms is not None and (terms.start_date is None or day >= terms.start_date)


def event_dates(charter: Charter, table: CapTable) -> st.SearchStrategy[dt.date]:
    """Mostly inside ``event_window``; sometimes the clause's first day or the day before it."""
    low, high = event_window(charter, table)
    inside = dates(low, high)
    start = charter.dilution.start_date if charter.dilution is not None else None
    if start is None:
        return inside
    return st.one_of(inside, inside, inside, st.sampled_from([start - dt.timedelta(days=1), start]))


def company_size(charter: Charter, table: CapTable) -> int:
    """Shares of every class outstanding plus options: the scale of realistic issues and grants."""
    return max(1, sum(table.shares_of(c) for c in charter.class_ids) + table.option_shares)


def dates(start: dt.date = dt.date(1991, 1, 1), end: dt.date = dt.date(2030, 12, 31)) -> st.SearchStrategy[dt.date]:
    """Dates with leap days and year ends over-represented (the 365-day interest basis cares)."""
    specials = [d for y in range(start.year, end.year + 1) for d in
                (dt.date(y, 2, 28), dt.date(y, 3, 1), dt.date(y, 12, 31), dt.date(y, 1, 1)) if start <= d <= end]
    leap = [dt.date(y, 2, 29) for y in range(start.year, end.year + 1) if y % 4 == 0 and start <= dt.date(y, 2, 29) <= end]
    return st.one_of(st.sampled_from(leap + specials), st.dates(start, end))


def cents(low: Fraction, high: Fraction) -> st.SearchStrategy[Fraction]:
    """A whole number of cents in [low, high]."""
    lo, hi = int(low * 100), int(high * 100)
    return st.integers(min(lo, hi), max(lo, hi)).map(lambda c: Fraction(c, 100))


def conversion_price_overrides(series: Series, unit: Fraction | None = None) -> st.SearchStrategy[Fraction]:
    """Prices after past adjustments: below the initial price, with ratios that end in exact halves.

    Twice the conversion value makes each share convert into 1/2 common: a holder
    with an odd count then has a vote ending in exactly one half (a tie to round).
    """
    value = series.conversion.value
    initial = series.conversion.initial_price
    prices = st.one_of(
        st.just(2 * value),
        st.just(4 * value),
        st.sampled_from([initial * Fraction(k, 10) for k in range(3, 10)]),
        cents(max(CENT, initial / 4), initial).filter(lambda p: p > 0),
    )
    if unit is None:
        return prices
    # A charter that keeps prices on a grid (infinity 4(h)(i): cents) never has one off it in effect.
    return prices.map(lambda p: max(unit, Fraction(round(p / unit)) * unit))


def _option_prices(charter: Charter, table: CapTable | None = None) -> st.SearchStrategy[Fraction]:
    """Exercise prices above, at and below each series' price (infinity counts only those below A's)."""
    anchors = [table.conversion_price(charter, s.id) if table is not None else s.conversion.initial_price
               for s in charter.series] or [Fraction(1)]
    near = [a + d for a in anchors for d in (-CENT, Fraction(0), CENT) if a + d > 0]
    return st.one_of(st.sampled_from(near), cents(CENT, max(anchors) * 2))


@st.composite
def cap_tables(draw: Any, charter: Charter, max_holders: int = 4, options: bool = True,
               overrides: bool = True, dividends: bool = True, min_common: int = 0) -> CapTable:
    """A valid cap table for ``charter``: holders of several classes, odd counts, the optional tables."""
    names = draw(st.lists(st.sampled_from(HOLDER_NAMES), min_size=1, max_size=max_holders, unique=True))
    classes = list(charter.class_ids)
    room = {charter.common.id: charter.common.authorized, **{s.id: s.designated for s in charter.series}}
    holdings: list[Holding] = []
    for name in names:
        held = draw(st.lists(st.sampled_from(classes), min_size=1, max_size=min(3, len(classes)), unique=True))
        for class_id in held:
            cap = room[class_id] // max(len(names), 1)
            if cap < 1:
                continue
            shares = draw(st.one_of(st.integers(1, min(cap, 999)), st.integers(1, cap),
                                    st.just(cap), st.just(max(1, cap - (1 - cap % 2)))))
            holdings.append(Holding(name, class_id, shares))
    common = sum(h.shares for h in holdings if h.class_id == charter.common.id)
    if common < min_common or not holdings:
        holdings.append(Holding(names[0], charter.common.id, max(min_common - common, 1)))
    as_of = draw(dates(*table_dates(charter)))
    grants: list[OptionGrant] = []
    if options:
        pool = max(1, charter.common.authorized // 10)  # an option pool of up to a tenth of authorized common
        for _ in range(draw(st.integers(0, 3))):
            grants.append(OptionGrant("Option Pool", draw(st.integers(1, pool)), draw(_option_prices(charter))))
    prices: list[tuple[str, Fraction]] = []
    declared: list[tuple[str, Fraction]] = []
    issue: list[tuple[str, dt.date]] = []
    for series in charter.series:
        if overrides and draw(st.booleans()):
            unit = charter.dilution.price_unit if charter.dilution else None
            prices.append((series.id, draw(conversion_price_overrides(series, unit))))
        if dividends and draw(st.integers(0, 3)) == 0:
            rate = series.dividend.rate if series.dividend else CENT
            declared.append((series.id, draw(st.sampled_from([rate, CENT, rate / 2 if rate else CENT]))))
        accrues = series.dividend is not None and series.dividend.cumulative  # needs its issue date
        if series.participation.interest_rate is not None or accrues or draw(st.integers(0, 4)) == 0:
            issue.append((series.id, draw(dates(years_after(charter.date, -5), as_of))))
    return CapTable(as_of, tuple(holdings), tuple(grants), tuple(sorted(prices)), tuple(sorted(declared)),
                    tuple(sorted(issue)))


def interesting_proceeds(charter: Charter, table: CapTable) -> list[Fraction]:
    """Exits where something changes: the total preference, each switch point, each cap binding.

    Computed from the charter's terms alone (not from the oracle under test), as
    an approximation: the strategy perturbs them, so an exact hit is not needed
    for the search to land on both sides.
    """
    common = Fraction(table.shares_of(charter.common.id))
    rows = []
    for s in charter.series:
        shares = table.shares_of(s.id)
        if not shares:
            continue
        price = table.conversion_price(charter, s.id)
        ratio = s.conversion.value / price
        claim = shares * (s.liquidation.preference + table.dividend_per_share(s.id))
        cap = participation_cap_per_share(s, table)
        per_share = s.liquidation.preference + (cap if cap is not None else 0)
        rows.append((per_share / ratio, shares * ratio, claim, s, cap))
    total_claims = sum((r[2] for r in rows), Fraction(0))
    points = [total_claims]
    rows.sort(key=lambda r: (r[0], r[3].id))
    participating = sum((r[1] for r in rows if r[3].participation.kind != "none"), Fraction(0))
    for i, (level, weight, claim, series, cap) in enumerate(rows):
        # series i is indifferent when the common level reaches its switch level, the cheaper
        # series having converted (their preferences released, their shares added to common).
        staying = sum((r[2] for r in rows[i:]), Fraction(0))
        weight_now = common + sum((r[1] for r in rows[:i]), Fraction(0)) + participating
        points.append(staying + level * weight_now)
        if cap:  # where this series' participation reaches its cap
            ratio = weight / table.shares_of(series.id)
            points.append(total_claims + cap / ratio * (common + participating))
    return [p for p in points if p >= 0]


def proceeds_for(charter: Charter, table: CapTable) -> st.SearchStrategy[Fraction]:
    """Zero, one cent, the total preference and its neighbours, the switch points +-, very large, any."""
    points = interesting_proceeds(charter, table)
    top = Fraction(int(max(points + [Fraction(1_000_000)]) * 3) + 1)
    near = [p + d for p in points for d in (-CENT, Fraction(0), CENT) if p + d >= 0]
    scaled = st.tuples(st.sampled_from(points), st.integers(-200, 200)).map(
        lambda pair: max(pair[0] * (1 + Fraction(pair[1], 1000)), Fraction(0)))
    ordered = sorted(set([Fraction(0)] + points + [top]))
    between = st.tuples(st.integers(0, len(ordered) - 2), st.integers(1, 999)).map(
        lambda iv: ordered[iv[0]] + (ordered[iv[0] + 1] - ordered[iv[0]]) * Fraction(iv[1], 1000))
    return st.one_of(
        st.sampled_from([Fraction(0), CENT] + near),
        scaled,
        between,  # strictly inside each stretch between two interesting points (a cap binding, a switch...)
        between,
        cents(Fraction(0), top),
        st.fractions(min_value=0, max_value=top, max_denominator=997),
        st.just(top * 1_000_000),
    )


def _base_size(charter: Charter, table: CapTable) -> Fraction:
    rule = charter.dilution.options_in_base if charter.dilution else "all"
    limit = table.conversion_price(charter, rule.split(":", 1)[1]) if rule != "all" else None
    base = Fraction(table.shares_of(charter.common.id))
    base += sum(o.shares for o in table.options if limit is None or o.exercise_price < limit)
    for s in charter.series:
        base += table.shares_of(s.id) * s.conversion.value / table.conversion_price(charter, s.id)
    return max(base, Fraction(1))


@st.composite
def issue_events(draw: Any, charter: Charter, table: CapTable, when: dt.date | None = None,
                 sub_cent: bool | None = None, issued: int = 0, anchors: Sequence[Fraction] = ()) -> Event:
    """One issue of common: cheap or not, with commissions, sometimes a sub-cent move of the price.

    The sub-cent branch sizes the issue so that the weighted average moves a
    protected series' price by between half a cent and a cent: infinity 4(h)(iii)
    holds such a change back, which is where rounding surprises live. ``anchors``
    replaces the series' prices as the prices the other issues are drawn around.
    """
    date = when or draw(event_dates(charter, table))
    small = draw(st.booleans()) if sub_cent is None else sub_cent
    # Sub-cent moves matter for protected series; otherwise every series' price is an anchor, so that
    # issues below an unprotected series' price (infinity Series A) are tried too.
    protected = [s for s in charter.series if s.dilution.method != "none"] if small else []
    prices = list(anchors) if anchors and not small else \
        [table.conversion_price(charter, s.id) for s in (protected or charter.series)] or [Fraction(1)]
    anchor = draw(st.one_of(st.sampled_from(prices), st.just(min(prices))))  # the cheapest series often
    if small:
        price = draw(st.one_of(st.just(anchor / 2), cents(CENT, max(anchor - CENT, CENT))))
    else:
        price = draw(st.one_of(st.just(anchor), cents(CENT, anchor * 2), st.just(max(anchor - CENT, CENT)),
                               st.just(anchor / 2)))
    base = _base_size(charter, table)
    if small and price < anchor:
        target = draw(st.sampled_from([Fraction(6, 1000), Fraction(8, 1000), Fraction(99, 10000), Fraction(5, 1000)]))
        # CP - CP' = (N + n)^-1 * n * (CP - p) to first order: solve for n.
        shares = max(1, int(target * base / (anchor - price - target)) + 1)
    else:
        size = company_size(charter, table)
        # small issues, any up to twice the company, and a tenth to the whole of it (moves every price visibly)
        shares = draw(st.one_of(st.integers(1, 1000), st.integers(1, 2 * size), st.integers(max(size // 10, 1), size)))
    # Never beyond authorized common (the ledger refuses that; it is not a dilution question).
    room = charter.common.authorized - table.shares_of(charter.common.id) - issued
    shares = max(1, min(shares, room))
    gross = shares * price
    commissions = draw(st.one_of(st.just(Fraction(0)), st.just(gross / 20), cents(Fraction(0), gross)))
    commissions = min(commissions, gross)
    return Event("issue", date, shares=shares, price=price, commissions=commissions)


@st.composite
def event_histories(draw: Any, charter: Charter, table: CapTable, max_events: int = 5, splits: bool = True,
                    expiries: bool = True, reprices: bool = True, any_order: bool = ANY_ORDER,
                    anchors: Sequence[Fraction] = ()) -> tuple[Event, ...]:
    """A dated history of issues, grants, expiries, repricings, splits and combinations, in any order.

    Dates never go back and start where the anti-dilution clause governs (sometimes on
    the day before its start date). Quantities and prices are in the units current at
    each event's date: the generator follows the common count and each grant's options
    outstanding through every split (a combination rounds them down, as the ledger does).
    Unless ``any_order``, a grant is expired or repriced only before any split, and
    repriced only before any of its expiries (see ``ANY_ORDER``). ``anchors``: see ``issue_events``.
    """
    common_id = charter.common.id
    events: list[Event] = []
    day = draw(event_dates(charter, table))
    common = table.shares_of(common_id)
    outstanding: dict[int, int] = {}  # grant event index -> options still outstanding, in current units
    scale = Fraction(1)  # shares now per share at the cap table's date; prices divide by it
    size = company_size(charter, table)
    for _ in range(draw(st.sampled_from(range(1, max_events + 1)))):  # every length alike, not mostly short
        day = day + dt.timedelta(days=draw(st.integers(0, 400)))
        live = sorted(i for i, left in outstanding.items() if left > 0 and (any_order or scale == 1))
        unexpired = [i for i in live if any_order or not any(e.kind == "expire" and e.grant == i for e in events)]
        kinds = ["issue", "issue", "grant"] + (["split"] if splits else []) + (["expire"] if expiries and live else []) \
            + (["reprice"] if reprices and unexpired else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "issue":
            if common + 1 > charter.common.authorized:
                continue  # no authorized common left to issue
            # a sub-cent move now and then (carry-forwards build up over a history); mostly visible moves
            sub_cent = draw(st.sampled_from([False, False, True]))
            event = draw(issue_events(charter, table, day, sub_cent, issued=common - table.shares_of(common_id),
                                      anchors=anchors))
            event = replace(event, price=event.price / scale,
                            commissions=min(event.commissions, event.shares * event.price / scale))
            common += event.shares
        elif kind == "grant":
            event = Event("grant", day, shares=draw(st.one_of(st.integers(1, max(size // 4, 1)),
                                                              st.integers(max(size // 20, 1), max(size // 2, 1)))),
                          price=draw(st.sampled_from([Fraction(0), CENT])),
                          exercise_price=draw(_option_prices(charter, table)) / scale)
            outstanding[len(events)] = event.shares
        elif kind == "split":
            ratio = draw(st.sampled_from([Fraction(2), Fraction(3), Fraction(1, 2), Fraction(3, 2), Fraction(7, 3),
                                          Fraction(1, 3)]))
            event = Event("split", day, ratio=ratio)
            scale *= ratio
            common = int(common * ratio)
            outstanding = {i: int(left * ratio) for i, left in outstanding.items()}
        elif kind == "expire":
            index = draw(st.sampled_from(live))
            event = Event("expire", day, shares=draw(st.integers(1, outstanding[index])), grant=index)
            outstanding[index] -= event.shares
        else:
            index = draw(st.sampled_from(unexpired))
            event = Event("reprice", day, grant=index, exercise_price=draw(_option_prices(charter, table)) / scale)
        events.append(event)
    return tuple(events)


# --- random charters ----------------------------------------------------------------------

@st.composite
def random_charter_dicts(draw: Any, max_series: int = 4) -> dict[str, Any]:
    """A charter file (as a parsed dict): tiers, participation, caps, ratios, adjustment methods."""
    def money(low: int, high: int) -> str:
        cents_ = draw(st.integers(low, high))
        return f"{cents_ // 100}.{cents_ % 100:02d}"

    count = draw(st.integers(1, max_series))
    series = []
    total_designated = 0
    for i in range(count):
        price = money(10, 1000)
        kind = draw(st.sampled_from(["none", "none", "full", "capped"]))
        participation: dict[str, Any] = {"kind": kind, "cite": f"P.{i}"}
        if kind == "capped":
            if draw(st.booleans()):
                participation["cap_per_share"] = money(10, 3000)
                participation["cap_includes_preference"] = draw(st.booleans())
            else:
                participation.update(interest_rate=money(1, 30), interest_principal=price, cap_per_share=money(10, 3000))
        designated = draw(st.integers(1, 5_000_000))
        total_designated += designated
        value = draw(st.sampled_from([price, money(10, 1000)]))
        series.append({
            "id": f"s{i}", "name": f"Series {i}", "designated": designated, "original_issue_price": price,
            "cite": f"S.{i}",
            "liquidation": {"preference": draw(st.sampled_from([price, money(0, 2000)])),
                            "rank": draw(st.integers(1, 3)), "cite": f"L.{i}"},
            "participation": participation,
            "conversion": {"value": value, "initial_price": draw(st.sampled_from([value, price])), "cite": f"C.{i}"},
            "dilution": {"method": draw(st.sampled_from(["none", "broad-based-weighted-average"])), "cite": f"D.{i}"},
            "dividend": {"rate": money(0, 50), "rank": draw(st.integers(1, 2)), "cite": f"V.{i}"},
        })
        # A cap that includes the preference is at least the preference (charter files may not say less).
        if participation.get("cap_includes_preference") and \
                Fraction(participation["cap_per_share"]) < Fraction(series[-1]["liquidation"]["preference"]):
            participation["cap_per_share"] = series[-1]["liquidation"]["preference"]
    raw: dict[str, Any] = {
        "format": 1, "id": "random", "name": "Random Charter", "date": "2000-01-01", "source": "generated",
        "common": {"id": "common", "name": "Common", "authorized": draw(st.integers(10_000_000, 100_000_000)),
                   "par": "0.001", "cite": "A"},
        "preferred": {"authorized": total_designated + draw(st.integers(0, 1000)), "cite": "A"},
        "series": series,
        "liquidation": {"cite": "L", "shortfall_cite": "L.short", "residual_cite": "L.rest",
                        "declared_dividends_on_conversion": None},
        "conversion": {"cite": "C", "cash_in_lieu_cite": "C.f", "retire_cite": "C.r", "reservation_cite": "C.res",
                       "share_rounding": draw(st.sampled_from([None, "1/100"]))},
        "voting": {"cite": "V", "aggregate": "holder", "tie": draw(st.sampled_from(["half-up", "half-even"]))},
        "dividends": {"cite": "D", "common_after_full_preferred": True},
    }
    del raw["liquidation"]["declared_dividends_on_conversion"]  # left to the global interpretation
    if raw["conversion"]["share_rounding"] is None:
        del raw["conversion"]["share_rounding"]
    if any(s["dilution"]["method"] != "none" for s in series):
        raw["dilution"] = {
            "cite": "W", "consideration": draw(st.sampled_from(["gross", "net-of-commissions"])),
            "consideration_cite": "W.c", "below_cite": "W.b",
            "options_in_base": draw(st.sampled_from(["all", "below-price-of:s0"])), "base_cite": "W.n",
            "option_expiry": draw(st.sampled_from(["none", "readjust"])), "option_expiry_cite": "W.e",
            "excluded_cite": "W.x", "split_cite": "W.s",
        }
        if draw(st.booleans()):
            raw["dilution"].update(price_unit="1/100", carry_forward_below="1/100")
    return raw


def random_charters(max_series: int = 4) -> st.SearchStrategy[Charter]:
    """Charters built by the oracle's own loader from generated files (so they are valid by its rules)."""
    return random_charter_dicts(max_series).map(lambda raw: build_charter(raw, "<generated>"))


def tables_and_proceeds(charter: Charter) -> st.SearchStrategy[tuple[CapTable, Fraction]]:
    return cap_tables(charter).flatmap(lambda t: st.tuples(st.just(t), proceeds_for(charter, t)))


def sequence_of(items: Sequence[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(items))
