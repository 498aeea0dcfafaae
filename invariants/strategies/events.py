"""Generated financing histories: issues of common (some moving a price by under a cent), grants,
expiries, repricings, splits and combinations, in the units current at each event's date.

The small strategies an event draws from are built once per argument tuple and reused (see
``calendar.py`` for why); a cached strategy draws exactly what a fresh one would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from charter_oracle.invariants.strategies.cache import FEW, MANY
from charter_oracle.invariants.strategies.calendar import event_dates
from charter_oracle.invariants.strategies.money import CENT, cents, option_prices
from charter_oracle.invariants.strategies.tables import company_size
from charter_oracle.oracle.adjustments import Event
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter

# Expiries and repricings anywhere in a history: after splits, after other expiries of the same grant
# (the orders that once went wrong are kept as tests in tests/invariants/test_history_orders.py). False
# would keep a grant's expiries and repricings before any split, and its repricings before its expiries.
ANY_ORDER = True

_TARGETS = st.sampled_from([Fraction(6, 1000), Fraction(8, 1000), Fraction(99, 10000), Fraction(5, 1000)])
_SUB_CENT = st.sampled_from([False, False, True])
_GRANT_PRICES = st.sampled_from([Fraction(0), CENT])
_SPLIT_RATIOS = st.sampled_from([Fraction(2), Fraction(3), Fraction(1, 2), Fraction(3, 2), Fraction(7, 3), Fraction(1, 3)])


@lru_cache(maxsize=MANY)
def _anchors(prices: tuple[Fraction, ...]) -> st.SearchStrategy[Fraction]:
    return st.one_of(st.sampled_from(list(prices)), st.just(min(prices)))


@lru_cache(maxsize=MANY)
def _sub_cent_prices(anchor: Fraction) -> st.SearchStrategy[Fraction]:
    return st.one_of(st.just(anchor / 2), cents(CENT, max(anchor - CENT, CENT)))


@lru_cache(maxsize=MANY)
def _issue_prices(anchor: Fraction) -> st.SearchStrategy[Fraction]:
    return st.one_of(st.just(anchor), cents(CENT, anchor * 2), st.just(max(anchor - CENT, CENT)), st.just(anchor / 2))


@lru_cache(maxsize=MANY)
def _issue_sizes(size: int) -> st.SearchStrategy[int]:
    return st.one_of(st.integers(1, 1000), st.integers(1, 2 * size), st.integers(max(size // 10, 1), size))


@lru_cache(maxsize=MANY)
def _grant_sizes(size: int) -> st.SearchStrategy[int]:
    return st.one_of(st.integers(1, max(size // 4, 1)), st.integers(max(size // 20, 1), max(size // 2, 1)))


@lru_cache(maxsize=MANY)
def _commissions(gross: Fraction) -> st.SearchStrategy[Fraction]:
    return st.one_of(st.just(Fraction(0)), st.just(gross / 20), cents(Fraction(0), gross))


@lru_cache(maxsize=FEW)
def _lengths(max_events: int) -> st.SearchStrategy[int]:
    return st.sampled_from(range(1, max_events + 1))


@lru_cache(maxsize=MANY)
def _kinds(items: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(items))


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
    anchor = draw(_anchors(tuple(prices)))  # the cheapest series often
    if small:
        price = draw(_sub_cent_prices(anchor))
    else:
        price = draw(_issue_prices(anchor))
    base = _base_size(charter, table)
    if small and price < anchor:
        target = draw(_TARGETS)
        # CP - CP' = (N + n)^-1 * n * (CP - p) to first order: solve for n.
        shares = max(1, int(target * base / (anchor - price - target)) + 1)
    else:
        size = company_size(charter, table)
        # small issues, any up to twice the company, and a tenth to the whole of it (moves every price visibly)
        shares = draw(_issue_sizes(size))
    # Never beyond authorized common (the ledger refuses that; it is not a dilution question).
    room = charter.common.authorized - table.shares_of(charter.common.id) - issued
    shares = max(1, min(shares, room))
    gross = shares * price
    commissions = draw(_commissions(gross))
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
    for _ in range(draw(_lengths(max_events))):  # every length alike, not mostly short
        day = day + dt.timedelta(days=draw(st.integers(0, 400)))
        live = sorted(i for i, left in outstanding.items() if left > 0 and (any_order or scale == 1))
        unexpired = [i for i in live if any_order or not any(e.kind == "expire" and e.grant == i for e in events)]
        kinds = ["issue", "issue", "grant"] + (["split"] if splits else []) + (["expire"] if expiries and live else []) \
            + (["reprice"] if reprices and unexpired else [])
        kind = draw(_kinds(tuple(kinds)))
        if kind == "issue":
            if common + 1 > charter.common.authorized:
                continue  # no authorized common left to issue
            # a sub-cent move now and then (carry-forwards build up over a history); mostly visible moves
            sub_cent = draw(_SUB_CENT)
            event = draw(issue_events(charter, table, day, sub_cent, issued=common - table.shares_of(common_id),
                                      anchors=anchors))
            event = replace(event, price=event.price / scale,
                            commissions=min(event.commissions, event.shares * event.price / scale))
            common += event.shares
        elif kind == "grant":
            event = Event("grant", day, shares=draw(_grant_sizes(size)), price=draw(_GRANT_PRICES),
                          exercise_price=draw(option_prices(charter, table)) / scale)
            outstanding[len(events)] = event.shares
        elif kind == "split":
            ratio = draw(_SPLIT_RATIOS)
            event = Event("split", day, ratio=ratio)
            scale *= ratio
            common = int(common * ratio)
            outstanding = {i: int(left * ratio) for i, left in outstanding.items()}
        elif kind == "expire":
            index = draw(_kinds(tuple(live)))
            event = Event("expire", day, shares=draw(st.integers(1, outstanding[index])), grant=index)
            outstanding[index] -= event.shares
        else:
            index = draw(_kinds(tuple(unexpired)))
            event = Event("reprice", day, grant=index, exercise_price=draw(option_prices(charter, table)) / scale)
        events.append(event)
    return tuple(events)
