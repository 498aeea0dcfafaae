"""``check``'s work as independent units, run in order here or in worker processes (``--jobs``).

A unit is one invariant's suite run on one charter, one charter's solver, or one mutant of the
catalogue. Units share nothing, so their results do not depend on where or in what order they
run: a derandomized Hypothesis run depends on its strategies, profile and test body alone (the
one input that came from the process, the pool of literals of loaded modules, is pinned:
``invariants/example_constants.py``); the solver makes a fresh Z3 context per query; a mutant
patches the oracle only for the length of its own unit. Results are handed back in the order the
sequential run makes them, so the reports are the same bytes with any number of jobs (tested).

Workers are forked (where the platform can fork; elsewhere the units run in this process), after
every setting of the run is in place, so they inherit the loaded charters and the run's context
instead of re-reading them. A worker ignores SIGINT and dies on SIGTERM: an interrupt is the
parent's to handle, which stops the workers and leaves the old reports untouched.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, Literal

from charter_oracle.invariants.phase_clock import clocking
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import InputError

UnitKind = Literal["mutant", "solver", "invariant"]
JOBS_VARIABLE = "CHARTER_ORACLE_JOBS"


@dataclass(frozen=True)
class Unit:
    """One piece of a check run: ``name`` is a mutant id, an invariant id, or "solver"."""

    kind: UnitKind
    name: str
    charter: int = -1  # index into the run's loaded charters (-1: a mutant, about the oracle)


@dataclass(frozen=True)
class Done:
    """A unit's result with its seconds: all of them, and those spent inside invariant checks (the oracle)."""

    unit: Unit
    result: Any
    seconds: float
    oracle: float


@dataclass(frozen=True)
class Work:
    """What every unit of a run reads (inherited by forked workers, never sent to them)."""

    loaded: tuple[tuple[Charter, CapTable | None], ...]
    profile: str
    budget: int


_WORK: list[Work] = []  # the run's Work, set before workers are forked


def default_jobs() -> int:
    """``$CHARTER_ORACLE_JOBS`` if set, else the CPUs this process may use."""
    value = os.environ.get(JOBS_VARIABLE)
    if value is not None:
        return parse_jobs(value, JOBS_VARIABLE)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def parse_jobs(value: str, name: str = "--jobs") -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1 or str(jobs) != value.strip():
        raise InputError(f"{name} {value!r}: expected a whole number of processes, 1 or more")
    return jobs


def workers(jobs: int, units: int) -> int:
    """The processes a run of ``units`` units really uses: 1 (this one) where the platform cannot fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(jobs, units))


def _run_unit(unit: Unit) -> Done:
    work = _WORK[-1]
    start = time.process_time()
    with clocking() as clock:
        # Looked up by id in the module's current tuple, at run time: what the run was asked for.
        if unit.kind == "mutant":
            from charter_oracle.invariants import mutants

            mutant = next(m for m in mutants.MUTANTS if m.id == unit.name)
            result: Any = mutants.run_mutant(mutant, work.profile)
        elif unit.kind == "solver":
            result = _solve_and_draw(*work.loaded[unit.charter], work.budget)
        else:
            from charter_oracle.invariants import registry
            from charter_oracle.invariants.suite import run_invariant

            charter, table = work.loaded[unit.charter]
            invariant = next(inv for inv in registry.INVARIANTS if inv.id == unit.name)
            result = run_invariant(invariant, charter, table, work.profile)
    return Done(unit, result, time.process_time() - start, clock.oracle)


NO_SOLVER: dict[str, Any] = {"breakpoints": [], "indifference": {}, "proofs": {}, "witnesses": []}


def _solve_and_draw(charter: Charter, table: CapTable | None, budget: int) -> tuple[dict[str, Any], str]:
    """The solver's answer (JSON) and the payout curve drawn at its breakpoints: one unit, as the curve needs
    the breakpoints (and drawing it here keeps matplotlib off the path that writes the reports)."""
    from fractions import Fraction

    from charter_oracle import check_files

    if charter.series:
        from charter_oracle.solver import solve, to_json

        solved = to_json(solve(charter, table, budget_seconds=budget))
    else:  # a common-only charter has nothing to solve
        solved = NO_SOLVER
    return solved, check_files.payout_curve_svg(charter, table, [Fraction(b) for b in solved.get("breakpoints", [])])


def _worker_signals() -> None:
    # The parent's handlers and its wakeup pipe were inherited with the fork: the parent alone
    # hears an interrupt (a terminal sends SIGINT to the whole group) and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.set_wakeup_fd(-1)


def _cost(unit: Unit) -> int:
    # Longest first, so that no long unit starts last and leaves the other workers idle.
    return {"solver": 0, "mutant": 1, "invariant": 2}[unit.kind]


def run_units(units: Sequence[Unit], work: Work, jobs: int,
              before: Callable[[Unit], None] = lambda unit: None) -> Iterator[Done]:
    """Each unit's ``Done``, in the order of ``units``, computed by up to ``jobs`` processes.

    ``before(unit)`` is called as the unit starts in this process, or, with workers, as this
    process starts waiting for it (progress lines, and the points where an interrupt is raised).
    """
    _WORK.append(work)
    try:
        if workers(jobs, len(units)) == 1:
            for unit in units:
                before(unit)
                yield _run_unit(unit)
            return
        with ExitStack() as stack:
            pool = ProcessPoolExecutor(workers(jobs, len(units)), mp_context=multiprocessing.get_context("fork"),
                                       initializer=_worker_signals)
            stack.callback(_stop, pool)
            futures: dict[Unit, Future[Done]] = {}
            for unit in sorted(units, key=_cost):  # a stable sort: the same order every run
                futures[unit] = pool.submit(_run_unit, unit)
            for unit in units:
                before(unit)
                yield futures[unit].result()
    finally:
        _WORK.pop()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now, whether the run ended, failed or was interrupted."""
    # ProcessPoolExecutor (3.11) has no public way to stop a worker in the middle of a unit.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


__all__ = ["Done", "JOBS_VARIABLE", "NO_SOLVER", "Unit", "Work", "default_jobs", "parse_jobs", "run_units", "workers"]
