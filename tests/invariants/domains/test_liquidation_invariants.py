"""Liquidation invariants (``invariants/domains/liquidation.py``) on generated charters: tiers, participation,
caps and ratios."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import given, strategies as st

from charter_oracle.invariants import expected as ex
from charter_oracle.invariants.cases import Case
from charter_oracle.invariants.domains import liquidation as liq
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.invariants.strategies import cap_tables, proceeds_for, random_charters

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
