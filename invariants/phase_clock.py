"""Where a check run's time goes: seconds in invariant checks (the oracle), the rest of a suite run
being Hypothesis generating, replaying and shrinking cases (``check`` prints both with the solver's
and the reports' time). Timings are progress output only, never in a report or a JSON answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class PhaseClock:
    """Seconds accumulated during one ``clocking()`` block (mutable: an accumulator, never a value)."""

    oracle: float = 0.0  # inside invariants' checks: the oracle and the invariant's own arithmetic


_RUNNING: ContextVar[PhaseClock | None] = ContextVar(f"charter_oracle_phase_clock", default=None)


@contextmanager
def clocking() -> Iterator[PhaseClock]:
    """Inside the block, ``oracle_time()`` adds to the clock yielded."""
    clock = PhaseClock()
    token = _RUNNING.set(clock)
    try:
        yield clock
    finally:
        _RUNNING.reset(token)


@contextmanager
def oracle_time() -> Iterator[None]:
    """Time the block into the running clock, if any (outside ``clocking()`` it costs one lookup)."""
    clock = _RUNNING.get()
    if clock is None:
        yield
        return
    start = time.process_time()  # CPU seconds, as check's per-unit times: comparable under load and across workers
    try:
        yield
    finally:
        clock.oracle += time.process_time() - start
