"""``solve``: breakpoints, indifference sets, proofs and searches for one charter and cap table."""

from __future__ import annotations

from dataclasses import dataclass

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exit_options_scope import refuse_cash_exercise
from charter_oracle.solver import breakpoints as bp
from charter_oracle.solver.model import WaterfallModel
from charter_oracle.solver.proofs import EXISTENCE, RLIMIT, Proof, prove_all
from charter_oracle.solver.replay import (Replay, breakpoint_witnesses, counterexample_witness, cross_check_sweep,
                                          indifference_witnesses, total_preference_witness)
from charter_oracle.solver.searches import all_searches
from charter_oracle.solver.budget import DEFAULT_SECONDS, BudgetExhausted, run_budget
from charter_oracle.solver.sweep import Sweep, sweep
from charter_oracle.solver.witness import SolverDisagreement, Witness


@dataclass(frozen=True)
class SolveResult:
    charter_id: str
    charter_name: str
    interpretations: tuple[tuple[str, str], ...]
    breakpoints: tuple[bp.Breakpoint, ...]
    indifference: tuple[tuple[str, tuple[bp.Interval, ...]], ...]
    proofs: tuple[Proof, ...]
    witnesses: tuple[Witness, ...]
    cross_checks: int  # oracle evaluations that agreed with the sweep, or not (see failures)
    failures: tuple[str, ...]  # model/oracle disagreements, each with both values
    incomplete: tuple[str, ...] = ()  # phases the time budget stopped, each with why


@dataclass(frozen=True)
class Geometry:
    breakpoints: tuple[bp.Breakpoint, ...]
    indifference: dict[str, tuple[bp.Interval, ...]]


def geometry(charter: Charter, table: CapTable, model: WaterfallModel | None = None) -> Geometry:
    """Breakpoints and indifference sets only (what the benchmark times)."""
    model = model or WaterfallModel.of(charter, table)
    swept = sweep(model)
    return Geometry(bp.breakpoints(charter, swept), bp.indifference(charter, swept))


def solve(charter: Charter, table: CapTable, *, rlimit: int = RLIMIT, model: WaterfallModel | None = None,
          searches: bool = True, strict: bool = True, budget_seconds: int | None = DEFAULT_SECONDS) -> SolveResult:
    """Everything the solver knows about this charter and cap table, replayed through the oracle.

    With ``strict`` (the default) a disagreement between the model and the oracle
    raises ``SolverDisagreement`` naming both values; otherwise it is returned in
    ``failures`` and in the witnesses with ``agrees`` False.

    ``budget_seconds`` bounds the whole run (None: no bound). A phase the budget stops
    is named in ``incomplete``; proofs it stops are ``unknown`` with the reason; nothing
    is reported as found that was not.
    """
    refuse_cash_exercise(charter, "solve")  # oracle/exit_options_scope.py
    incomplete: list[str] = []
    found: tuple[bp.Breakpoint, ...] = ()
    sets: dict[str, tuple[bp.Interval, ...]] = {}
    checks, failures = 0, []
    witnesses: list[Witness] = []
    with run_budget(budget_seconds):
        model = model or WaterfallModel.of(charter, table)
        swept: Sweep | None = None
        replay = Replay(model, table)
        try:
            swept = sweep(model)
            replay = Replay(model, table, swept)
            points, intervals = bp.breakpoints(charter, swept), bp.indifference(charter, swept)
            checks, failures = cross_check_sweep(model, table, swept, replay)
            found, sets = points, intervals  # reported only once replayed through the oracle
        except BudgetExhausted as spent:
            incomplete.append(f"breakpoints, indifference sets and their replay: {spent}")
        proofs = prove_all(model, table, rlimit, swept)
        try:
            witnesses += total_preference_witness(model, table, replay)
            if not incomplete:
                witnesses += breakpoint_witnesses(model, table, found, replay)
                witnesses += indifference_witnesses(model, table, sets, replay)
            for proof in proofs:
                if proof.invariant == EXISTENCE and proof.verdict == "counterexample":
                    failures.append(f"{charter.id}: the model finds no stable outcome at {proof.witness[0][1]}, "
                                    "where the oracle's search always finds one")
                elif proof.verdict == "counterexample" and proof.invariant != "monotone-continuous":
                    witnesses.append(counterexample_witness(model, table, proof, replay))
            if searches:
                all_searches(charter, table, witnesses)
        except BudgetExhausted as spent:
            incomplete.append(f"witnesses and boundary searches: {spent}")
    for witness in witnesses:
        if not witness.agrees:
            failures.append(f"{charter.id} witness {witness.id} ({witness.what}): solver expects {witness.expected}; "
                            f"oracle answered {witness.oracle}")
    if failures and strict:
        raise SolverDisagreement(f"{len(failures)} disagreement(s) between solver and oracle; first: {failures[0]}")
    return SolveResult(
        charter.id, charter.name, charter.chosen, found, tuple(sets.items()), proofs, tuple(witnesses),
        checks, tuple(failures), tuple(incomplete),
    )
