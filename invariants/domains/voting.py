"""Voting invariants: as-converted votes and their rounding, the tie rule, and consents.

Votes (infinity IV.5, nvidia IV.D.4) and the protective and supermajority consents, which
count those votes or shares against an exact threshold.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import charter_oracle.oracle.compliance as _comp
import charter_oracle.oracle.voting as _vote
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import CasesFn, Invariant, everywhere, needs_preferred, requires, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter, ConsentRule


def vote_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """Random tables, and tables built to tie: 4m+1 shares converting into 1/2 common each."""
    @st.composite
    def tie(draw: Any) -> Case:
        series = draw(st.sampled_from(list(charter.series)))
        m = draw(st.integers(0, max(0, (series.designated - 1) // 4)).filter(lambda m: 4 * m + 1 <= series.designated))
        holdings = [Holding("Tie Holder", series.id, 4 * m + 1), Holding("Common Holder", charter.common.id, 3)]
        dates_ = tuple((s.id, gen.years_after(charter.date, -2)) for s in charter.series
                       if s.participation.interest_rate is not None)
        return Case(CapTable(charter.date, tuple(holdings), (), ((series.id, 2 * series.conversion.value),), (),
                             dates_))
    plain = tables(charter, base).map(lambda t: Case(t))
    return st.one_of(plain, tie()) if charter.series else plain


def check_votes(charter: Charter, case: Case) -> None:
    count = _vote.count_votes(charter, case.table)
    want = ex.holder_votes(charter, case.table)
    for hv in count.holders:
        exact, rounded, common = want[hv.holder]
        if (hv.preferred, hv.common) != (rounded, common) or hv.preferred_exact != exact:
            raise Violation(f"{hv.holder}: {hv.preferred} preferred + {hv.common} common votes; the aggregate {exact} "
                            f"rounds ({charter.voting.tie}) to {rounded}, with {common} common", case)
        if exact > 0 or (not charter.series and common > 0):
            reached()  # preferred votes were rounded (or, common only, common shares were counted)


VOTE_ROUNDING = Invariant(
    "vote-rounding", "Each holder's preferred votes are its aggregated exact as-converted votes rounded "
    "once by the charter's rule; common has one vote per share.", "oracle",
    lambda c: (c.voting.cite,), everywhere("every charter counts votes"), vote_cases, check_votes)


def check_vote_tie(charter: Charter, case: Case) -> None:
    spec = next(s for s in charter.interpretations if s.setting == "voting.tie")
    results = {}
    for alternative in spec.alternatives:
        variant = dataclasses.replace(charter, voting=dataclasses.replace(charter.voting, tie=alternative))
        results[alternative] = {h.holder: h.total for h in _vote.count_votes(variant, case.table).holders}
    first, *rest = results.items()
    for name, votes in rest:
        if votes != first[1]:
            diff = {h: (first[1][h], votes[h]) for h in votes if votes[h] != first[1][h]}
            raise Violation(f"{spec.id}: {first[0]} and {name} give different votes {diff}", case)
    if any(exact % 1 == Fraction(1, 2) for exact, _, _ in ex.holder_votes(charter, case.table).values()):
        reached()  # an exact half vote: the tie rule decides


VOTE_TIE_INDEPENDENCE = Invariant(
    "vote-tie-independence", "The votes do not depend on which way an unstated rounding tie goes.",
    "charter-property", lambda c: (c.voting.cite,),
    requires(needs_preferred, lambda c: any(s.setting == "voting.tie" for s in c.interpretations),
             "the vote tie rule is an interpretation", "the charter states its vote tie rule"),
    vote_cases, check_vote_tie)


def consent_rules(charter: Charter, which: str) -> list[ConsentRule]:
    if which == "protective":
        return [r for r in charter.consents if r.while_outstanding]
    if which == "supermajority":
        return [r for r in charter.consents if r.threshold.fraction > Fraction(1, 2)]
    return list(charter.consents)


def consent_cases(which: str) -> CasesFn:
    def cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
        rules = consent_rules(charter, which)

        @st.composite
        def boundary(draw: Any) -> Case:
            rule = draw(st.sampled_from(rules))
            cls = rule.classes[0] if rule.classes != ("*",) else charter.common.id
            limit = charter.common.authorized if cls == charter.common.id else charter.series_by_id(cls).designated
            f = rule.threshold.fraction
            num, den = f.numerator, f.denominator
            k = draw(st.integers(1, max(1, min(limit // den, 10**6))))
            d = draw(st.sampled_from([0, 0, 1, -1]))
            yes, no = k * num + d, k * (den - num) - d
            holdings = tuple(Holding(n, cls, x) for n, x in (("Yes", yes), ("No", no)) if x > 0)
            dates_ = tuple((s.id, gen.years_after(charter.date, -2)) for s in charter.series
                           if s.participation.interest_rate is not None)
            return Case(CapTable(charter.date, holdings, (), (), (), dates_),
                        params=(("rule", rule.id), ("approving", ("Yes",) if yes > 0 else ())))

        @st.composite
        def random(draw: Any, t: CapTable) -> Case:
            rule = draw(st.sampled_from(rules))
            approving = tuple(draw(st.lists(st.sampled_from(t.holders), unique=True)))
            return Case(t, params=(("rule", rule.id), ("approving", approving)))
        return st.one_of(boundary(), tables(charter, base).flatmap(lambda t: random(t)))
    return cases


def check_consents(charter: Charter, case: Case) -> None:
    rule = next(r for r in charter.consents if r.id == case.param("rule"))
    t, approving = case.table, set(case.param("approving"))
    classes = tuple(charter.class_ids) if rule.classes == ("*",) else rule.classes
    if rule.basis == "shares":
        weights = {h: Fraction(sum(t.holder_shares(h, c) for c in classes)) for h in t.holders}
    else:
        votes = ex.holder_votes(charter, t, classes)
        weights = {h: Fraction(v[1] + v[2]) for h, v in votes.items()}
    outstanding = sum(weights.values(), Fraction(0))
    in_favour = sum((w for h, w in weights.items() if h in approving), Fraction(0))
    required = not rule.while_outstanding or any(t.shares_of(c) for c in rule.while_outstanding)
    met = ex.compare(in_favour, outstanding, rule.threshold.fraction, rule.threshold.compare)
    for action in rule.actions:
        checks = {c.name: c for c in _comp.check_action(charter, t, {"action": action, "approving": sorted(approving)})}
        got = checks.get(f"consent:{rule.id}")
        if got is None:
            raise Violation(f"action {action}: the consent {rule.id} ({rule.cite}) was not asked for", case)
        if got.ok != ((not required) or met):
            raise Violation(f"action {action}: {in_favour} of {outstanding} in favour, {rule.threshold.describe()} "
                            f"({'required' if required else 'not required'}): expected {(not required) or met}, "
                            f"got {got.ok}", case)
        reached()


def consent_invariant(invariant_id: str, statement: str, which: str, yes: str, no: str) -> Invariant:
    """An invariant over one kind of consent rule (``which``): their cites, applicable when the charter has one."""
    return Invariant(invariant_id, statement, "oracle", lambda c: tuple(r.cite for r in consent_rules(c, which)),
                     lambda c: (True, yes) if consent_rules(c, which) else (False, no), consent_cases(which),
                     check_consents)


PROTECTIVE_CONSENTS = consent_invariant(
    "protective-consents", "Each protective provision is asked for on its actions, only while its series is "
    "outstanding, and is met exactly at its threshold.", "protective",
    "the charter has protective provisions", "no protective provisions")
SUPERMAJORITY = consent_invariant(
    "supermajority", "Supermajority votes (two thirds and the like) pass exactly at their fraction of the "
    "counted votes, never at a decimal approximation.", "supermajority",
    "the charter requires supermajorities", "no supermajority requirement")
