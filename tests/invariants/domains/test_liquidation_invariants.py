"""Liquidation invariants (``invariants/domains/liquidation.py``) on generated charters: tiers, participation,
caps and ratios."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, strategies as st

from charter_oracle.invariants import expected as ex
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains import liquidation as liq
from charter_oracle.invariants.mutants import applied
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.invariants.strategies import cap_tables, proceeds_for, random_charters
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter_file import load_charter

ENGINE = (liq.check_conservation, liq.check_equal_treatment, liq.check_conversion_rational, liq.check_participation,
          liq.check_preference_priority)


@profile_settings("ci")
@given(random_charters(), st.data())
def test_waterfall_invariants_hold_on_random_charters(charter: Any, data: Any) -> None:
    table = data.draw(cap_tables(charter, options=False))
    proceeds = data.draw(proceeds_for(charter, table))
    for check in ENGINE:
        check(charter, Case(table, proceeds))


@profile_settings("ci")
@given(random_charters(), st.data())
def test_shortfall_is_pro_rata_on_random_charters(charter: Any, data: Any) -> None:
    case = data.draw(liq.shortfall_cases(charter, None))
    # the strategy's promise, checked rather than forced: proceeds never exceed the preferences
    assert case.proceeds <= sum((ex.claim(case.table, s) for s in charter.series), Fraction(0))
    liq.check_pro_rata_shortfall(charter, case)


def test_participation_legs_are_each_leg_on_its_own() -> None:
    """infinity Series C (IV.3(b)): a fixed leg of $1.69 and 15% simple interest on $1.69 over a 365-day year."""
    charter = load_charter("infinity-1996")
    series_c = charter.series_by_id("series_c")
    # 1995-07-01 to 1996-07-01 holds 1996-02-29: 366 days, so 1.69 * 0.15 * 366/365 = 0.2535 * 366/365
    table = CapTable(dt.date(1996, 7, 1), (Holding("C", "series_c", 1000),), issue_dates=(("series_c", dt.date(1995, 7, 1)),))
    assert ex.participation_legs(series_c, table) == (Fraction("1.69"), Fraction("0.2535") * Fraction(366, 365))
    assert ex.participation_legs(charter.series_by_id("series_a"), table) == (Fraction(0),)  # takes no part


def test_the_participation_check_catches_a_cap_that_ignores_the_interest_leg() -> None:
    """With only the fixed leg, Series C would take up to $1.69 a share where 15% interest allows $0.2535."""
    charter = load_charter("infinity-1996")
    # 1,000 Series C (preference 1,690, one common each) and 8,000 common, a year (365 days) after issue.
    # Proceeds 1,690 + 9,000: uncapped, the residual 9,000 is $1 per common-equivalent share, so Series C
    # would take 1,000 beside common; its cap is 0.2535 * 1,000 = 253.50 (staying, 1,943.50, beats
    # converting, 10,690 / 9 = 1,187.78), and the fixed leg alone (1,690) would not bind.
    table = CapTable(dt.date(1997, 7, 1), (Holding("C", "series_c", 1000), Holding("K", "common", 8000)),
                     issue_dates=(("series_c", dt.date(1996, 7, 1)),))
    case = Case(table, Fraction(1690 + 9000))
    liq.check_participation(charter, case)
    with applied("participation-cap-fixed-leg-only"), pytest.raises(Violation, match="participates 1 per share"):
        liq.check_participation(charter, case)
