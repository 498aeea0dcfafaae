"""Engine-level invariants on generated charters (tiers, participation, caps, ratios, adjustment methods)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import assume, given, strategies as st

from charter_oracle.invariants import registry as r
from charter_oracle.invariants.cases import Case
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.invariants.strategies import cap_tables, event_histories, proceeds_for, random_charters

ENGINE = (r.check_conservation, r.check_equal_treatment, r.check_conversion_rational, r.check_participation,
          r.check_preference_priority)


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
    case = data.draw(r.shortfall_cases(charter, None))
    # the strategy's promise, checked rather than forced: proceeds never exceed the preferences
    assert case.proceeds <= sum((r.ex.claim(case.table, s) for s in charter.series), Fraction(0))
    r.check_pro_rata_shortfall(charter, case)


@profile_settings("ci")
@given(random_charters(), st.data())
def test_adjustments_never_raise_prices_on_random_charters(charter: Any, data: Any) -> None:
    assume(charter.dilution is not None)  # counted by Hypothesis, unlike a silent return
    table = data.draw(cap_tables(charter))
    events = data.draw(event_histories(charter, table, splits=False))
    r.check_no_increase(charter, Case(table, events=events))
    r.check_scope(charter, Case(table, events=events))
