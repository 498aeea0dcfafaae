"""Invariants proved over every exit value with z3: proved, counterexample or unknown.

Each invariant is stated over the outcome of ``solver.model`` for a fixed cap
table; z3 is asked for an exit value ``P >= 0`` that breaks it. The outcome is the
sweep's exact reading of the model (``solver.piecewise``): the proceeds axis cut
into cells on which every branch condition of the model keeps its truth, each
cell's payouts exact lines; z3 is asked about each cell in turn, in one fresh
context. Where the sweep fails (``SweepError``) the model's own formula, every
conversion set's allocation as an ``If`` over ``P``, is asked instead: that formula
grows with the conversion sets (over 400 at 20 series, past z3's resource limit),
the cells only with the axis.
``unsat`` is a proof over all proceeds; ``sat`` gives a counterexample, made
canonical (the smallest exit value of its region, or the simplest number in it)
and replayed through the oracle; ``unknown`` (the resource limit, never a clock)
is reported with z3's reason. An invariant that cannot apply to the charter
(a preference invariant on a common-only charter) is ``not-applicable``, never
``proved``.

What a proof assumes is stated, or proved: every proof is over all exit values for
*the cap table in hand* (never over all cap tables), and each is read on the stable
conversion outcome the oracle picks, so ``stable-outcome-exists`` is proved first.
Where it is not proved, no other invariant is reported ``proved`` (it becomes
``unknown``, saying why): a proof that silently assumed existence would say more
than was shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.solver.budget import Answer, BudgetExhausted, query, query_cases
from charter_oracle.solver.model import Outcome, WaterfallModel
from charter_oracle.solver import piecewise
from charter_oracle.solver.sweep import Sweep, SweepError, sweep
from charter_oracle.solver.symbolic import Z3Backend, q

RLIMIT = 20_000_000  # z3 resource units: deterministic, unlike a timeout

EXISTENCE = "stable-outcome-exists"
EXISTENCE_STATEMENT = "at every exit value some set of converting series is stable (no series gains by switching alone)"
INVARIANTS: tuple[str, ...] = (
    "conservation", "preference-priority", "pro-rata-shortfall", "monotone-continuous",
    "participation-cap", "conversion-rational",
)


@dataclass(frozen=True)
class Proof:
    invariant: str
    verdict: str  # "proved" | "counterexample" | "unknown" | "not-applicable"
    statement: str
    cites: tuple[str, ...]
    reason: str = ""
    witness: tuple[tuple[str, Fraction], ...] = ()  # e.g. (("proceeds", P),) or P1, P2
    assumptions: tuple[str, ...] = ()  # what the verdict rests on, each stated as proved or assumed


class Prover:
    """States each invariant's negation over one symbolic outcome and asks z3 for a witness."""

    def __init__(self, model: WaterfallModel, table: CapTable, rlimit: int = RLIMIT,
                 swept: Sweep | None = None) -> None:
        self.model = model
        self.table = table
        self.rlimit = rlimit
        self.p = z3.Real("P")
        if swept is None:
            try:
                swept = sweep(model)
            except SweepError:  # no stable prefix somewhere, or absurdly many regions: z3 on the model itself
                swept = None
        self.swept = swept
        self.held = [p for p in model.positions if p.shares > 0]
        self.pieces: tuple[piecewise.Piece, ...] = ()
        self.cases: list[piecewise.Case] = []
        self.outcome: Outcome | None = None
        if swept is not None:
            self.pieces = piecewise.pieces(swept)
            self.cases = piecewise.cases(self.pieces, self.p)
        else:
            self.outcome = model.outcome(Z3Backend(self.p))

    def _violation(self, negation: Callable[[Outcome, Any], Any]) -> tuple[list[Any], list[Any] | None]:
        """The invariant broken at P on a stable outcome: constraints on the model's own outcome (all
        must hold), or one case per cell of the sweep (P in the cell, and the cell's lines break it)."""
        if self.outcome is not None:
            return [z3.Not(self.outcome.no_stable_prefix), negation(self.outcome, self.p)], None
        return [], [z3.And(case.member, negation(case.outcome, self.p)) for case in self.cases]

    def _ask(self, constraints: list[Any], cases: list[Any] | None, read: tuple[Any, ...]) -> Answer:
        """``constraints`` and, when there are ``cases``, any one of them."""
        if cases is None:
            return query(constraints, self.rlimit, read=read)
        return query_cases(constraints, cases, self.rlimit, read=read)

    def _check(self, constraints: list[Any], cases: list[Any] | None,
               read: tuple[Any, ...] = ()) -> tuple[str, tuple[Fraction | int, ...], str]:
        answer = self._ask([self.p >= 0, *constraints], cases, read or (self.p,))
        verdict = {"unsat": "proved", "sat": "counterexample"}.get(answer.verdict, "unknown")
        return verdict, answer.values, answer.reason

    def stable_outcome_exists(self) -> Proof:
        """Proves that some stable conversion outcome exists at every exit value P >= 0.

        Read on the sweep, every cell's reading found a stable prefix (the sweep stops with
        ``SweepError`` where none is, and the model's own formula is asked instead)."""
        cites = tuple(dict.fromkeys(p.series.conversion.cite for p in self.held)) or (self.model.charter.liquidation.cite,)
        statement = EXISTENCE_STATEMENT
        if self.outcome is not None:
            answer = self._ask([self.p >= 0, self.outcome.no_stable_prefix], None, (self.p,))
        else:
            answer = self._ask([self.p >= 0], [z3.And(case.member, case.outcome.no_stable_prefix)
                                               for case in self.cases], (self.p,))
        if answer.verdict == "unsat":
            return Proof(EXISTENCE, "proved", statement, cites)
        if answer.verdict == "sat":
            return Proof(EXISTENCE, "counterexample", statement, cites, witness=(("proceeds", answer.values[0]),))
        return Proof(EXISTENCE, "unknown", statement, cites, reason=answer.reason)

    def violated_at(self, negation: Callable[[Outcome, Any], Any], proceeds: Fraction) -> bool:
        """Does the negated invariant hold exactly at one exit value (z3 on a constant)?"""
        constraints, cases = self._violation(negation)
        answer = self._ask([self.p == q(proceeds), *constraints], cases, ())
        return answer.verdict == "sat"

    def canonical(self, negation: Callable[[Outcome, Any], Any], found: Fraction) -> Fraction:
        """The smallest exit value that breaks the invariant, cell by cell along the exact sweep:
        a region boundary if it breaks there, else the simplest number inside the first breaking
        region (so a witness never depends on the path z3 happened to take)."""
        swept = self.swept
        if swept is None:
            return found
        for index, region in enumerate(swept.regions):
            if self.violated_at(negation, swept.points[index].at):
                return swept.points[index].at
            for candidate in _simple_numbers(region.lo, region.hi):
                if self.violated_at(negation, candidate):
                    return candidate
        return found

    def prove(self, invariant: str) -> Proof:
        statement, cites, negation = self._negation(invariant)
        if negation is None:
            return Proof(invariant, "not-applicable", statement, cites, reason=cites[0] if cites else "")
        if invariant == "monotone-continuous":
            return self._prove_monotone(statement, cites)
        verdict, found, reason = self._check(*self._violation(negation))
        if verdict != "counterexample":
            return Proof(invariant, verdict, statement, cites, reason)
        witness = self.canonical(negation, Fraction(found[0]))
        return Proof(invariant, verdict, statement, cites, witness=(("proceeds", witness),))

    def _prove_monotone(self, statement: str, cites: tuple[str, ...]) -> Proof:
        p2 = z3.Real("P2")

        def breaks(earlier: Outcome, later: Outcome) -> Any:
            return z3.Or(*[z3.Or(later.classes[c] < earlier.classes[c],
                                 later.classes[c] - earlier.classes[c] > p2 - self.p)
                           for c in self.model.charter.class_ids])

        if self.outcome is not None:
            later = self.model.outcome(Z3Backend(p2))
            constraints = [z3.Not(self.outcome.no_stable_prefix), p2 > self.p, z3.Not(later.no_stable_prefix),
                           breaks(self.outcome, later)]
            cases = None
        else:
            # P and P2 in the same cell or in neighbouring cells suffice: between any P < P2, split at
            # every cell end and at a point inside every cell in between; each consecutive pair then
            # lies in one cell or two neighbouring ones, and the rises over the pairs add up to the rise
            # from P to P2. If every pair rises by at least 0 and at most its own distance, so does P, P2.
            later_cases = piecewise.cases(self.pieces, p2)
            constraints = [p2 > self.p]
            cases = [z3.And(case.member, later.member, breaks(case.outcome, later.outcome))
                     for case in self.cases for later in later_cases[case.index:case.index + 2]]
        verdict, found, reason = self._check(constraints, cases, read=(self.p, p2))
        if verdict != "counterexample":
            return Proof("monotone-continuous", verdict, statement, cites, reason)
        first, second = Fraction(found[0]), Fraction(found[1])
        return Proof("monotone-continuous", verdict, statement, cites,
                     witness=(("proceeds", first), ("proceeds_later", second)))

    # --- the statements ---------------------------------------------------------

    def _negation(self, invariant: str) -> tuple[str, tuple[str, ...], Callable[[Outcome, Any], Any] | None]:
        charter = self.model.charter
        common = charter.common.id
        claims = self.model.claims(frozenset())
        liquidation_cites = tuple(dict.fromkeys(p.series.liquidation.cite for p in self.held))
        if invariant == "conservation":
            return ("payouts are non-negative and sum exactly to the proceeds", (charter.liquidation.cite,),
                    lambda o, p: z3.Or(_total(o) != p, *[o.classes[c] < 0 for c in charter.class_ids]))
        if invariant == "monotone-continuous":
            return ("every class's payout is non-decreasing in the proceeds and rises by at most the rise in "
                    "proceeds", (charter.liquidation.cite,), lambda o, p: z3.BoolVal(True))
        if not self.held:
            return ("not applicable: no preferred stock outstanding", (charter.preferred_cite,), None)
        if invariant == "preference-priority":
            if self.model.common_shares == 0:
                return ("not applicable: no common shares take a residual", (charter.liquidation.residual_cite,), None)
            return ("no residual dollar goes to common while a non-converting series is short of its preference",
                    liquidation_cites,
                    lambda o, p: z3.And(o.classes[common] > 0, z3.Or(*[
                        z3.And(z3.Not(o.converting[s.id]), o.classes[s.id] < q(claims[s.id])) for s in self.held])))
        if invariant == "pro-rata-shortfall":
            total = sum(claims.values(), Fraction(0))
            if total == 0:
                return ("not applicable: no preferential amounts", liquidation_cites, None)
            return ("below the total preferential amount each series gets its tier's remainder in proportion "
                    "to its full preferential amount", (charter.liquidation.shortfall_cite,),
                    lambda o, p: z3.And(p < q(total), z3.Or(*[
                        o.classes[s] != e for s, e in self._pro_rata(p, claims).items()])))
        if invariant == "participation-cap":
            # The cap is the oracle's (oracle.positions: one definition of the participation cap); what
            # this proves is that the waterfall never pays past it. The cap's own arithmetic is checked
            # independently by the cap-leg searches (solver/cap_searches.py: cap_legs), from day counts.
            limited = [(s, s.participation_cap) for s in self.held if s.participation_cap is not None]
            if not limited:
                return ("not applicable: every series participates without limit", (), None)
            cites = tuple(dict.fromkeys(s.series.participation.cite for s, _ in limited))
            return ("a series that does not convert never takes more than its preferential amount plus its "
                    "participation cap", cites,
                    lambda o, p: z3.Or(*[z3.And(z3.Not(o.converting[s.id]),
                                                o.classes[s.id] > q(claims[s.id] + cap))
                                         for s, cap in limited]))
        if invariant == "conversion-rational":
            cites = tuple(dict.fromkeys(s.series.conversion.cite for s in self.held))
            return ("no series could gain by switching its conversion choice, the others' choices fixed", cites,
                    lambda o, p: z3.Or(*[z3.If(o.converting[s.id], o.gain_from_converting[s.id] < 0,
                                               o.gain_from_converting[s.id] > 0) for s in self.held]))
        raise KeyError(invariant)

    def _pro_rata(self, p: Any, claims: dict[str, Fraction]) -> dict[str, Any]:
        """What each series gets below the total preference, written independently of the model:
        its tier's slice of the proceeds, shared by full preferential amount."""
        expected: dict[str, Any] = {}
        before = Fraction(0)
        tiers: dict[int, list[str]] = {}
        for position in self.model.positions:
            tiers.setdefault(position.rank, []).append(position.id)
        for rank in sorted(tiers):
            total = sum((claims[s] for s in tiers[rank]), Fraction(0))
            if total == 0:
                continue
            slice_ = z3.If(p <= q(before), q(0), z3.If(p >= q(before + total), q(total), p - q(before)))
            for sid in tiers[rank]:
                expected[sid] = slice_ * q(claims[sid] / total)
            before += total
        return expected


def _total(o: Outcome) -> Any:
    return z3.Sum(*o.classes.values()) if len(o.classes) > 1 else next(iter(o.classes.values()))


def _simple_numbers(lo: Fraction, hi: Fraction | None) -> list[Fraction]:
    """A few canonical candidates strictly inside (lo, hi): whole dollars, then cents, then finer."""
    found = []
    for unit in (Fraction(1), Fraction(1, 100), Fraction(1, 10**6)):
        candidate = (lo // unit + 1) * unit
        if hi is None or candidate < hi:
            found.append(candidate)
    if hi is not None:
        found.append((lo + hi) / 2)
    return found


def prove_all(model: WaterfallModel, table: CapTable, rlimit: int = RLIMIT,
              swept: Sweep | None = None) -> tuple[Proof, ...]:
    """The existence of a stable outcome, then every invariant, each with what it rests on."""
    try:
        prover = Prover(model, table, rlimit, swept)
    except BudgetExhausted as spent:  # not even the symbolic model could be built in time
        return tuple(Proof(name, "unknown", "", (), reason=str(spent)) for name in (EXISTENCE, *INVARIANTS))

    def attempt(name: str, run: Callable[[], Proof]) -> Proof:
        try:
            return run()
        except BudgetExhausted as spent:  # past the run's budget a verdict is unknown, and says why
            statement, cites, _ = prover._negation(name) if name != EXISTENCE else (EXISTENCE_STATEMENT, (), None)
            return Proof(name, "unknown", statement, cites, reason=str(spent))

    existence = attempt(EXISTENCE, prover.stable_outcome_exists)
    scope = f"every exit value >= 0 for this cap table (as of {table.as_of.isoformat()}), not every cap table"
    if existence.verdict == "proved":
        rests_on = (scope, f"{EXISTENCE}: proved")
    else:
        rests_on = (scope, f"{EXISTENCE}: {existence.verdict}, so it is not assumed")
    proofs = [dataclasses.replace(existence, assumptions=(scope,))]
    for name in INVARIANTS:
        proof = dataclasses.replace(attempt(name, lambda name=name: prover.prove(name)), assumptions=rests_on)
        if proof.verdict == "proved" and existence.verdict != "proved":
            proof = dataclasses.replace(proof, verdict="unknown", reason=(
                f"holds wherever a stable outcome exists, but {EXISTENCE} is {existence.verdict}"
                + (f" ({existence.reason})" if existence.reason else "")))
        proofs.append(proof)
    return tuple(proofs)

