"""Options-in-exit mutants (all.options-in-exit = cash-exercise): the exercise price left out of the proceeds;
unvested options exercised."""

from __future__ import annotations

from unittest import mock

from charter_oracle.invariants.mutants.core import EX, INF, NV, Mutant
from charter_oracle.oracle import exercise_in_exit as _ex
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter

_real_exercisable = _ex.exercisable


def _ignoring_vesting(charter: Charter, table: CapTable) -> tuple[_ex.Exercise, ...]:
    import dataclasses

    whole = dataclasses.replace(table, options=tuple(dataclasses.replace(o, vested=None) for o in table.options),
                                warrants=tuple(dataclasses.replace(w, vested=None) for w in table.warrants))
    return _real_exercisable(charter, whole)


MUTANTS: tuple[Mutant, ...] = (
    Mutant("exercise-price-left-out", "exercised options share the exit without their exercise price joining the "
           "proceeds", (NV, INF, EX), lambda: mock.patch.object(_ex, "paid_in", lambda exercised: 0),
           ("options-in-exit",)),
    Mutant("unvested-options-exercise", "unvested options exercised in the exit as if vested", (NV, INF, EX),
           lambda: mock.patch.object(_ex, "exercisable", _ignoring_vesting), ("options-in-exit",)),
)
