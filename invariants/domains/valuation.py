"""Valuation invariants: distributed listed securities valued over a market window (infinity IV.3(e))."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import charter_oracle.oracle.valuation as _val
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter


def valuation_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """A daily price series (some days without a close) and a distribution date inside it."""
    @st.composite
    def case(draw: Any) -> Case:
        start = charter.date + dt.timedelta(days=draw(st.integers(0, 800)))
        n = draw(st.integers(45, 120))
        prices = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n))
        gaps = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        closes = tuple((start + dt.timedelta(days=i), Fraction(p, 100)) for i, (p, gap) in enumerate(zip(prices, gaps))
                       if not gap or i % 2 == 0)
        distribution = start + dt.timedelta(days=draw(st.integers(n - 5, n + 10)))
        table = base if base is not None else CapTable(charter.date, ())
        return Case(table, params=(("closes", closes), ("distribution", distribution)))
    return case()


def check_valuation(charter: Charter, case: Case) -> None:
    closes, distribution = case.param("closes"), case.param("distribution")
    try:
        value = _val.market_value(charter, closes, distribution)
    except _val.InputError:
        return  # too few closes for a trading-day window: refused, which is right
    reached()  # a value was computed over a window
    start, end = value.window
    inside = [p for d, p in closes if start <= d <= end]
    if charter.liquidation.valuation_window == "calendar-days":
        lag = charter.liquidation.valuation_lag_days + (charter.liquidation.valuation_window_end == "exclusive")
        expected_end = distribution - dt.timedelta(days=lag)
        if end != expected_end or (end - start).days + 1 != charter.liquidation.valuation_days:
            raise Violation(f"window {start}..{end} is not {charter.liquidation.valuation_days} days ending "
                            f"{expected_end}", case)
        if value.average != sum(inside, Fraction(0)) / len(inside):
            raise Violation(f"value {value.average} is not the mean of the {len(inside)} closes in the window", case)
    # Closes outside the window never move the value.
    moved = tuple((d, p if start <= d <= end else p * 7 + 1) for d, p in closes)
    if _val.market_value(charter, moved, distribution).value != value.value:
        raise Violation("a close outside the window changed the value", case)


VALUATION_WINDOW = Invariant(
    "valuation-window", "Distributed listed securities are worth the mean close over the stated window "
    "ending the stated days before the distribution; closes outside it never matter.", "oracle",
    lambda c: (c.liquidation.valuation_cite,),
    lambda c: ((True, "the charter values distributed securities by a market window")
               if c.liquidation.valuation_days else (False, "the charter states no market valuation window")),
    valuation_cases, check_valuation)
