"""Two readings of one waterfall: a z3 term over the proceeds, or an exact line near a point.

The waterfall model (``solver.model``) is written once against the small
``Backend`` protocol below and run under two backends:

* ``Z3Backend``: every amount is a z3 linear real term in the proceeds ``P``;
  rationals are built from ``Fraction`` numerators and denominators, never from
  floats, so z3 reasons about exactly the numbers the oracle uses.
* ``LineBackend``: every amount is a ``Line`` ``a*P + b`` with exact ``Fraction``
  coefficients, and every comparison is decided at one exit value ``at``
  (exactly there, or just to its right). Each comparison whose truth could flip
  records the exit value where it flips (an *atom*): the nearest atom to the
  right of ``at`` ends the region on which all amounts stay linear. That is how
  the sweep finds every breakpoint exactly without sampling.

Divisors are always constants (share totals of a fixed conversion set), so
both readings stay in linear arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from collections.abc import Callable, Iterable
from typing import Any, Literal, Protocol

import z3


_ZERO = Fraction(0)


@dataclass(frozen=True)
class Line:
    """``slope * P + intercept``, exactly."""

    slope: Fraction
    intercept: Fraction

    # The sweep does hundreds of thousands of these; most operands have a zero slope or a zero
    # intercept, and a Fraction sum or product with 0 is as slow as any other, so zeros are skipped
    # (the values are the same Fractions either way).
    def __add__(self, other: Line) -> Line:
        slope = (self.slope + other.slope if self.slope else other.slope) if other.slope else self.slope
        intercept = ((self.intercept + other.intercept if self.intercept else other.intercept)
                     if other.intercept else self.intercept)
        return Line(slope, intercept)

    def __sub__(self, other: Line) -> Line:
        slope = self.slope - other.slope if other.slope else self.slope
        intercept = self.intercept - other.intercept if other.intercept else self.intercept
        return Line(slope, intercept)

    def scale(self, k: Fraction) -> Line:
        return Line(self.slope * k if self.slope else self.slope,
                    self.intercept * k if self.intercept else self.intercept)

    def at(self, proceeds: Fraction) -> Fraction:
        if not self.slope:
            return self.intercept
        return self.slope * proceeds + self.intercept if self.intercept else self.slope * proceeds

    def root(self) -> Fraction | None:
        """Where the line crosses zero (None when it is flat)."""
        return None if self.slope == 0 else -self.intercept / self.slope


@dataclass(frozen=True)
class Atom:
    """A comparison of the model whose truth flips at ``at``: the reason a region ends there."""

    at: Fraction
    why: str
    cite: str
    conversion_set: frozenset[str] | None  # the allocation it belongs to; None: the choice layer


class Backend(Protocol):
    proceeds: Any

    def const(self, value: Fraction) -> Any: ...
    def add(self, x: Any, y: Any) -> Any: ...
    def sub(self, x: Any, y: Any) -> Any: ...
    def scale(self, x: Any, k: Fraction) -> Any: ...
    def le(self, x: Any, y: Any, why: str = "", cite: str = "", owner: frozenset[str] | None = None) -> Any: ...
    def lt(self, x: Any, y: Any, why: str = "", cite: str = "", owner: frozenset[str] | None = None) -> Any: ...
    def ite(self, cond: Any, x: Any, y: Any) -> Any: ...
    def and_(self, *conds: Any) -> Any: ...
    def or_(self, *conds: Any) -> Any: ...
    def not_(self, cond: Any) -> Any: ...
    def all_of(self, thunks: Iterable[Callable[[], Any]]) -> Any: ...
    def any_of(self, thunks: Iterable[Callable[[], Any]]) -> Any: ...


def q(value: Fraction | int) -> z3.RatNumRef:
    """An exact z3 rational from a Fraction (numerator and denominator as integers)."""
    value = Fraction(value)
    return z3.Q(value.numerator, value.denominator)


class Z3Backend:
    """Amounts as z3 real terms in one proceeds variable."""

    def __init__(self, proceeds: z3.ArithRef) -> None:
        self.proceeds = proceeds

    def const(self, value: Fraction) -> z3.ArithRef:
        return q(value)

    def add(self, x: Any, y: Any) -> Any:
        return x + y

    def sub(self, x: Any, y: Any) -> Any:
        return x - y

    def scale(self, x: Any, k: Fraction) -> Any:
        return x * q(k)

    def le(self, x: Any, y: Any, why: str = "", cite: str = "", owner: frozenset[str] | None = None) -> Any:
        return x <= y

    def lt(self, x: Any, y: Any, why: str = "", cite: str = "", owner: frozenset[str] | None = None) -> Any:
        return x < y

    def ite(self, cond: Any, x: Any, y: Any) -> Any:
        return z3.If(cond, x, y)

    def and_(self, *conds: Any) -> Any:
        return z3.And(*conds) if conds else z3.BoolVal(True)

    def or_(self, *conds: Any) -> Any:
        return z3.Or(*conds) if conds else z3.BoolVal(False)

    def not_(self, cond: Any) -> Any:
        return z3.Not(cond)

    def all_of(self, thunks: Iterable[Callable[[], Any]]) -> Any:
        return self.and_(*[t() for t in thunks])

    def any_of(self, thunks: Iterable[Callable[[], Any]]) -> Any:
        return self.or_(*[t() for t in thunks])


@dataclass
class LineBackend:
    """Amounts as exact lines; comparisons decided at ``at`` (``side="right"``: just right of it).

    On the right side a comparison is decided by the value at ``at`` and, on a
    tie, by the slope, which is its truth on ``(at, at + epsilon)``.
    """

    at: Fraction
    side: Literal["point", "right"]
    atoms: list[Atom] = field(default_factory=list)

    @property
    def proceeds(self) -> Line:
        return Line(Fraction(1), _ZERO)

    def const(self, value: Fraction) -> Line:
        return Line(_ZERO, value if type(value) is Fraction else Fraction(value))

    def add(self, x: Line, y: Line) -> Line:
        return x + y

    def sub(self, x: Line, y: Line) -> Line:
        return x - y

    def scale(self, x: Line, k: Fraction) -> Line:
        return x.scale(k)

    def _note(self, diff: Line, why: str, cite: str, owner: frozenset[str] | None) -> None:
        root = diff.root()
        if root is not None and root >= 0:
            self.atoms.append(Atom(root, why, cite, owner))

    def le(self, x: Line, y: Line, why: str = "", cite: str = "", owner: frozenset[str] | None = None) -> bool:
        diff = x - y
        self._note(diff, why, cite, owner)
        value = diff.at(self.at)
        if self.side == "point":
            return value <= 0
        return value < 0 or (value == 0 and diff.slope <= 0)

    def lt(self, x: Line, y: Line, why: str = "", cite: str = "", owner: frozenset[str] | None = None) -> bool:
        diff = x - y
        self._note(diff, why, cite, owner)
        value = diff.at(self.at)
        if self.side == "point":
            return value < 0
        return value < 0 or (value == 0 and diff.slope < 0)

    def ite(self, cond: bool, x: Line, y: Line) -> Line:
        return x if cond else y

    def and_(self, *conds: bool) -> bool:
        return all(conds)

    def or_(self, *conds: bool) -> bool:
        return any(conds)

    def not_(self, cond: bool) -> bool:
        return not cond

    # Short-circuit: a comparison that is never evaluated is not on the path, so its atom does
    # not bound the region (exactly as an untaken branch of ``ite``).
    def all_of(self, thunks: Iterable[Callable[[], bool]]) -> bool:
        return all(t() for t in thunks)

    def any_of(self, thunks: Iterable[Callable[[], bool]]) -> bool:
        return any(t() for t in thunks)
