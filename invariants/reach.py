"""Whether an example reached the clause its invariant is about: ``reached()``, counted per example.

A generated example can pass a check without ever going through the clause: an issue
dated before the anti-dilution clause's start date, an exit that covers every
preference in a shortfall check. A check calls ``reached()`` once its example has
actually gone through the clause; ``run_invariant`` records that per example, so a
verdict says how many examples *exercised* the clause, not only how many were
generated (a ``held`` with none is ``vacuous``). Outside ``recording()`` the call
does nothing, so the checks stay callable from plain tests and stateful machines.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from charter_oracle.invariants.phase_clock import oracle_time

# One mutable flag per example being recorded; None when nobody is counting.
_CURRENT: ContextVar[list[bool] | None] = ContextVar("charter_oracle_reached", default=None)


def reached() -> None:
    """Mark the example being checked as having reached its invariant's clause."""
    flag = _CURRENT.get()
    if flag is not None:
        flag[0] = True


@contextlib.contextmanager
def recording() -> Iterator[list[bool]]:
    """Record one example: ``flag[0]`` is True afterwards when the check called ``reached()``.

    The check's time also counts as oracle time in a running ``phase_clock``. (It is timed here, not
    in ``run_invariant``'s test body: Hypothesis seeds the ci profile's derandomized examples with a
    digest of that body's source, so any edit to it changes every generated example.)"""
    flag = [False]
    token = _CURRENT.set(flag)
    try:
        with oracle_time():
            yield flag
    finally:
        _CURRENT.reset(token)


__all__ = ["reached", "recording"]
