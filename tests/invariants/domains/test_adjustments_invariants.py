"""Anti-dilution invariants (``invariants/domains/adjustments.py``): on generated charters, and the oracle bugs
they found, kept as regression tests now that they are fixed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction
from typing import Any

from hypothesis import assume, given, strategies as st

from charter_oracle.invariants.cases import Case
from charter_oracle.invariants.domains import adjustments
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.invariants.strategies import cap_tables, event_histories, random_charters
from charter_oracle.oracle import bundled
from charter_oracle.oracle.adjustments import Event, run_ledger
from charter_oracle.oracle.cap_table import Holding, load_cap_table
from charter_oracle.oracle.charter_file import load_charter


@profile_settings("ci")
@given(random_charters(), st.data())
def test_adjustments_never_raise_prices_on_random_charters(charter: Any, data: Any) -> None:
    assume(charter.dilution is not None)  # counted by Hypothesis, unlike a silent return
    table = data.draw(cap_tables(charter))
    events = data.draw(event_histories(charter, table, splits=False))
    adjustments.check_no_increase(charter, Case(table, events=events))
    adjustments.check_scope(charter, Case(table, events=events))


def test_five_successive_financings_on_exact_prices() -> None:
    """Six cheap financings in a row (the oracle used to crash past five) each move every price by the formula."""
    charter = load_charter("nvidia-1998")
    table = load_cap_table(bundled.reference_cap_table("nvidia-1998"), charter)
    for i in range(6):
        event = Event("issue", dt.date(1999, 1, 1), shares=1_000_003 + i, price=Fraction(7, 100))
        before = {s.id: table.conversion_price(charter, s.id) for s in charter.series}
        # the independent one-step formula (invariants/expected.py) must give the oracle's prices
        adjustments.check_adjustment_formula(charter, Case(table, events=(event,)))
        state = run_ledger(charter, table, [event]).states[-1]
        for s in charter.series:
            after = state.conversion_prices[s.id]
            # $0.07 is below every price: protected prices fall, the unprotected one does not move
            assert after < before[s.id] if s.dilution.method != "none" else after == before[s.id], (i, s.id)
        table = dataclasses.replace(table, holdings=table.holdings + (Holding("New", charter.common.id, event.shares),),
                                    conversion_prices=tuple(sorted(state.conversion_prices.items())))
