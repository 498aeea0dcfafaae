"""A concrete witness found by a search, and its replay through the oracle.

Every witness carries what the solver expects and what the oracle answered;
``agrees`` is False when they differ, and that is a failure of the solver or of
the oracle, never something to report quietly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.errors import InternalInconsistency

Value = Fraction | int | str | bool


@dataclass(frozen=True)
class Witness:
    id: str
    cite: str
    what: str
    values: tuple[tuple[str, Value], ...]
    expected: str  # what the solver computed, in words with exact numbers
    oracle: str  # what the oracle answered on replay
    agrees: bool
    replayed: bool = True  # False only where no oracle engine exists for the computation


class SolverDisagreement(InternalInconsistency):
    """The symbolic model and the oracle give different answers for the same input."""
