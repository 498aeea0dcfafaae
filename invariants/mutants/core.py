"""What a mutant is, and the patch that hands one engine a wrongly read charter.

A mutant is a context manager that swaps one function of the oracle (or the charter setting
one engine sees) at run time, with ``unittest.mock.patch``; no oracle file is touched.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest import mock

from charter_oracle.oracle.charter import Charter

Patch = Callable[[], contextlib.AbstractContextManager[Any]]

# The bundled charters a mutant is run on (where its mistake changes an answer).
INF, NV, EX = "infinity-1996", "nvidia-1998", "example-modern"
PREF = (INF, NV, EX)
NVCA = "nvca-style"  # the NVCA terms (issue 11): accrual, full ratchet, votes rounded down, consent pairs


@dataclass(frozen=True)
class Mutant:
    id: str
    bug: str  # the realistic mistake it models
    charters: tuple[str, ...]  # bundled charters where the mistake changes an answer
    patch: Patch
    hints: tuple[str, ...] = ()  # invariants expected to catch it, tried first (all are tried)


def charter_patch(target: str, change: Callable[[Charter], Charter], arg: int = 0) -> Patch:
    """Call the original ``target`` with a modified charter (the engine sees a wrong setting)."""
    module_name, name = target.rsplit(".", 1)
    original = getattr(__import__(module_name, fromlist=[name]), name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        args = list(args)
        args[arg] = change(args[arg])
        return original(*args, **kwargs)
    return lambda: mock.patch(target, wrapper)
