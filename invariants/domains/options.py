"""Option grants in the dilution base: options deemed issued at grant stay outstanding.

infinity IV.4(d)(iv), last sentence: once options are deemed issued under 4(d)(iii) and the price has
adjusted, those Additional Shares count in every later base, even where the base's own option condition
(exercise price below the Series A price) would leave them out. Expected values are computed here from
the charter's terms; the check reaches the oracle through its module so a patched mutant is the one checked.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import charter_oracle.oracle.adjustments as _adj
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, needs_preferred, requires, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.adjustments import Event
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter


def deemed_grant_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    terms = charter.dilution
    assert terms is not None

    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        day = draw(gen.event_dates(charter, t))
        exercise = draw(gen.cents(gen.CENT, Fraction(20)))
        shares = draw(st.integers(1, gen.company_size(charter, t)))
        return Case(t, events=(Event("grant", day, shares=shares, exercise_price=exercise),))
    return tables(charter, base).flatmap(lambda t: build(t))


def check_deemed_options(charter: Charter, case: Case) -> None:
    terms = charter.dilution
    assert terms is not None
    (grant,) = case.events
    result = _adj.run_ledger(charter, case.table, [grant])
    before, after = result.initial, result.states[0]
    limit_id = terms.options_in_base.split(":", 1)[1] if terms.options_in_base != "all" else None
    deemed = gen.in_force(charter, grant.date) and any(
        grant.exercise_price < before.price(s.id) for s in charter.series if s.dilution.method != "none")
    want = Fraction(after.common) + _adj.conversion_shares_in_base(charter, after)
    for g in after.grants:
        below = limit_id is None or g.exercise_price < after.price(limit_id)
        if below or (deemed and g.index == 0):
            want += g.shares
    got = _adj.formula.deemed_outstanding(charter, after)  # the one the ledger calls (and a mutant patches)
    if got != want:
        raise Violation(f"after granting {grant.shares} options at {grant.exercise_price} "
                        f"({'deemed issued' if deemed else 'not deemed issued'}) the base is {got}, not {want}", case)
    if deemed and limit_id is not None and grant.exercise_price >= after.price(limit_id):
        reached()  # deemed issued, yet the option condition alone would leave them out


DEEMED_OPTIONS_OUTSTANDING = Invariant(
    "deemed-options-outstanding", "Options deemed issued at grant stay in every later base, whatever "
    "the base's own option condition.", "oracle",
    lambda c: (c.dilution.base_cite,) if c.dilution else (),
    requires(needs_preferred, lambda c: c.dilution is not None and c.dilution.options_in_base != "all",
             "the base counts only some options", "the base counts every option"),
    deemed_grant_cases, check_deemed_options)
