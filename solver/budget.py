"""The solver's budget: a resource limit per Z3 query, a time limit per run, and fresh Z3 state per query.

Two limits, for two reasons:

* each Z3 query gets a *resource* limit (``rlimit``): deterministic, so a verdict does
  not depend on the machine's speed or load;
* a run (one ``solve``) gets a *time* limit in seconds, so that no charter can make
  ``solve`` or ``check`` hang (20 series with awkward fractions once never finished). The
  sweep, the oracle cross-check, the proofs and the searches poll it between steps;
  past it, what is left is reported ``unknown`` with the reason, never silently dropped.

Every query runs in a fresh ``z3.Context``: Z3 keeps state per context (its resource
counter among it), so queries sharing the global context gave verdicts that depended on
what had run before in the same process. Expressions are built once and translated.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3

DEFAULT_SECONDS = 300  # per solve (per charter in check): generous for the bundled charters (~2 s each)


class BudgetExhausted(Exception):
    """The run's time budget is spent; raised at a polling point, caught by ``solve``."""


@dataclass(frozen=True)
class Budget:
    seconds: int | None  # None: no time limit
    deadline: float | None  # time.monotonic() value (wall-clock arithmetic only, never money)

    def left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


_CURRENT: ContextVar[Budget] = ContextVar("charter_oracle_solver_budget", default=Budget(None, None))


@contextmanager
def run_budget(seconds: int | None) -> Iterator[Budget]:
    """The time budget for everything run inside the ``with`` block."""
    budget = Budget(seconds, None if seconds is None else time.monotonic() + seconds)
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def current() -> Budget:
    return _CURRENT.get()


def poll(doing: str) -> None:
    """Raise ``BudgetExhausted`` when the run's time is up (call between steps of any long loop)."""
    left = _CURRENT.get().left()
    if left is not None and left <= 0:
        raise BudgetExhausted(f"the solver's time budget of {_CURRENT.get().seconds} s ran out during {doing}")


@dataclass(frozen=True)
class Answer:
    verdict: str  # "sat" | "unsat" | "unknown"
    values: tuple[Fraction | int, ...]  # the requested terms in the model, when sat
    reason: str = ""


def _value(term: Any) -> Fraction | int:
    if z3.is_int_value(term):
        return term.as_long()
    if z3.is_rational_value(term):
        return Fraction(term.numerator_as_long(), term.denominator_as_long())
    raise ValueError(f"z3 gave a non-rational value {term}")


def fresh_context() -> Any:
    """A new Z3 context, made with SIGINT and SIGTERM held back in the main thread: an interrupt that
    lands inside ``z3.Context.__init__`` leaves a half-built context whose ``__del__`` fails later,
    with a traceback on stderr (``charter_oracle.interrupts``); held back, it is raised a moment
    later, the context whole."""
    if threading.current_thread() is not threading.main_thread():
        return z3.Context()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        return z3.Context()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _time_left(solver: Any) -> None:
    left = current().left()
    if left is not None:
        solver.set("timeout", max(1, int(left * 1000)))  # a safety net only: rlimit decides in time


def _satisfied(solver: Any, ctx: Any, read: Sequence[Any]) -> Answer:
    """A satisfiable check's answer: the values of ``read`` in its model."""
    model = solver.model()
    return Answer("sat", tuple(_value(z3.simplify(model.eval(t.translate(ctx), model_completion=True)))
                               for t in read))


def query(constraints: Sequence[Any], rlimit: int, *, read: Sequence[Any] = (), minimize: Any = None) -> Answer:
    """Check ``constraints`` in a fresh context under ``rlimit`` and the run's remaining time."""
    poll("a Z3 query")
    ctx = fresh_context()
    solver: Any = z3.Optimize(ctx=ctx) if minimize is not None else z3.Solver(ctx=ctx)
    solver.set("rlimit", rlimit)
    _time_left(solver)
    solver.add(*[c.translate(ctx) for c in constraints])
    if minimize is not None:
        solver.minimize(minimize.translate(ctx))
    answer = solver.check()
    if answer == z3.sat:
        return _satisfied(solver, ctx, read)
    if answer == z3.unsat:
        return Answer("unsat", ())
    poll("a Z3 query")  # a query stopped by the run's time limit is the budget's doing, and says so
    return Answer("unknown", (), f"z3: {solver.reason_unknown()}")


def query_cases(common: Sequence[Any], cases: Sequence[Any], rlimit: int, *, read: Sequence[Any] = ()) -> Answer:
    """Is ``common`` satisfiable together with any one of ``cases``? One fresh context, each case
    checked on its own (push, check, pop) in order, each check under ``rlimit``; the first
    satisfiable case answers. A disjunction of many small cases (the cells of the sweep) is
    decided this way in a fraction of the time z3 takes on the disjunction as one formula."""
    poll("a Z3 query")
    ctx = fresh_context()
    solver: Any = z3.Solver(ctx=ctx)
    solver.set("rlimit", rlimit)
    solver.add(*[c.translate(ctx) for c in common])
    unknown = ""
    for case in cases:
        _time_left(solver)
        solver.push()
        solver.add(case.translate(ctx))
        answer = solver.check()
        if answer == z3.sat:
            return _satisfied(solver, ctx, read)
        if answer != z3.unsat:
            poll("a Z3 query")  # a check stopped by the run's time limit is the budget's doing, and says so
            unknown = unknown or f"z3: {solver.reason_unknown()}"
        solver.pop()
    return Answer("unknown", (), unknown) if unknown else Answer("unsat", ())
