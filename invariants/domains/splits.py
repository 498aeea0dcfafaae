"""Split invariants: a split by k divides each conversion price by k, and its inverse undoes it.

The adjustments domain's second half (infinity IV.4(d)(vi)(1), nvidia IV.D.3(D)); the issue-driven
half is ``adjustments``.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import strategies as st

from charter_oracle.invariants import expected as ex
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.adjustments import case_ledger
from charter_oracle.invariants.domains.core import Invariant, dilution_cites, needs_preferred, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.adjustments import Event
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter


def split_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    ratios = st.sampled_from([Fraction(2), Fraction(3), Fraction(10), Fraction(1, 2), Fraction(1, 3), Fraction(3, 2)])

    def for_table(t: CapTable) -> st.SearchStrategy[Case]:
        day = gen.event_window(charter, t)[0]  # an issue the clause governs, then the split a year later
        prefix = gen.issue_events(charter, t, day).map(lambda e: [e]) | st.just([]) \
            if charter.dilution and t.shares_of(charter.common.id) < charter.common.authorized else st.just([])
        return st.tuples(prefix, ratios).map(lambda pr: Case(
            t, events=(*pr[0], Event("split", gen.years_after(day, 1), ratio=pr[1])), params=(("prefix", len(pr[0])),)))
    return tables(charter, base).flatmap(for_table)


def check_split(charter: Charter, case: Case) -> None:
    result = case_ledger(charter, case)
    k = case.param("prefix")
    split = case.events[k]
    before = result.states[k - 1] if k else result.initial
    after = result.states[k]
    unit = charter.dilution.price_unit if charter.dilution else None
    for s in charter.series:
        exact = dict(before.prices)[s.id].start / split.ratio
        got = after.price(s.id)
        if unit is None and got != exact:
            raise Violation(f"{s.id}: a {split.ratio}-for-1 split gives {got}, not {exact}", case)
        slack = max(unit or 0, (charter.dilution.carry_forward_below or 0) if charter.dilution else 0)
        if unit is not None and abs(got - exact) > slack:
            raise Violation(f"{s.id}: a {split.ratio}-for-1 split gives {got}, too far from {exact}", case)
        if unit is None:
            shares = before.preferred and dict(before.preferred)[s.id]
            if shares and ex.as_converted(s, shares, got) != split.ratio * ex.as_converted(s, shares, before.price(s.id)):
                raise Violation(f"{s.id}: the as-converted holding did not scale by {split.ratio}", case)
    if after.common != int(before.common * split.ratio):
        raise Violation(f"common {before.common} became {after.common} on a {split.ratio} split", case)
    reached()


SPLIT_PROPORTIONAL = Invariant(
    "split-proportional", "A split by k divides each conversion price by k (within the charter's rounding) "
    "and scales each as-converted holding by k.", "oracle",
    lambda c: (c.dilution.split_cite if c.dilution else c.conversion.cite,), needs_preferred, split_cases, check_split)


def round_trip_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    ks = st.sampled_from([Fraction(2), Fraction(3), Fraction(7), Fraction(10)])

    def for_table(t: CapTable) -> st.SearchStrategy[Case]:
        day = gen.event_window(charter, t)[0]
        split, inverse = gen.years_after(day, 1), gen.years_after(day, 1) + dt.timedelta(days=152)
        prefix = st.one_of(gen.issue_events(charter, t, day, sub_cent=True).map(lambda e: [e]),
                           gen.issue_events(charter, t, day).map(lambda e: [e]), st.just([])) \
            if charter.dilution and t.shares_of(charter.common.id) < charter.common.authorized else st.just([])
        return st.tuples(prefix, ks).map(lambda pk: Case(t, events=(
            *pk[0], Event("split", split, ratio=pk[1]), Event("split", inverse, ratio=1 / pk[1])),
            params=(("prefix", len(pk[0])),)))
    return tables(charter, base).flatmap(for_table)


def check_split_round_trip(charter: Charter, case: Case) -> None:
    result = case_ledger(charter, case)
    k = case.param("prefix")
    before = result.states[k - 1] if k else result.initial
    after = result.states[-1]
    for s in charter.series:
        if after.price(s.id) != before.price(s.id):
            raise Violation(f"{s.id}: {before.price(s.id)} before a {case.events[k].ratio}-for-1 split and the inverse "
                            f"combination, {after.price(s.id)} after", case)
    reached()


SPLIT_ROUND_TRIP = Invariant(
    "split-round-trip", "A split followed by the inverse combination restores every conversion price.",
    "charter-property",
    # without [dilution] a split moves prices through the conversion clause alone (value / price)
    lambda c: dilution_cites("split_cite", "rounding_cite")(c) or (c.conversion.cite,), needs_preferred, round_trip_cases,
    check_split_round_trip)
