"""Compliance mutants: stated thresholds compared inexactly or with the wrong strictness."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any
from unittest import mock

from charter_oracle.invariants.mutants.core import EX, INF, NV, Mutant
from charter_oracle.oracle.charter import Threshold


_real_met = Threshold.met


def _met_decimal_two_thirds(self: Threshold, part: Any, whole: Any) -> bool:
    fraction = Fraction("0.6667") if self.fraction == Fraction(2, 3) else self.fraction
    return _real_met(dataclasses.replace(self, fraction=fraction), part, whole)


def _met_at_least(self: Threshold, part: Any, whole: Any) -> bool:
    compare = ">=" if self.compare == ">" else self.compare
    return _real_met(dataclasses.replace(self, compare=compare), part, whole)


MUTANTS: tuple[Mutant, ...] = (
    Mutant("two-thirds-as-0.6667", "two thirds compared as 0.6667", (NV, INF),
           lambda: mock.patch.object(Threshold, "met", _met_decimal_two_thirds), ("threshold-exactness",)),
    Mutant("at-least-for-more-than", "'more than 50%' read as 'at least 50%'", (NV, INF, EX),
           lambda: mock.patch.object(Threshold, "met", _met_at_least), ("threshold-exactness",)),
)
