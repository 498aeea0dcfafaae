"""The sweep's exact reading of the model as z3 terms: one piecewise-linear outcome over all exit values.

The sweep (``solver.sweep``) cuts the proceeds axis into cells on which every
branch condition of the model keeps its truth, so that on each cell every class's
payout, every series' gain from converting and the set of converting series are
one exact line (or one value, at a boundary point). An invariant's negation is
then stated to z3 as a disjunction over those cells ("P is in this cell and the
cell's lines break the invariant at P"): linear real arithmetic whose size grows
with the number of cells, not with the number of conversion sets (at 20 series the
model's own formula holds over 400 allocations, and z3 ran out of its resource
limit on every invariant).

Neighbouring cells with the same lines are merged first: most region boundaries
of a large charter are where an unpaid conversion set changes slope, and nothing
paid changes there. A stable conversion set exists on every cell (the sweep stops
with ``SweepError`` where none does), so each cell's ``no_stable_prefix`` is false.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3

from charter_oracle.solver.model import Outcome
from charter_oracle.solver.sweep import Sweep
from charter_oracle.solver.symbolic import Line, q


@dataclass(frozen=True)
class Piece:
    """Exit values up to ``upper`` (inclusive or not) past the previous piece, paid by one set of lines."""

    upper: Fraction | None  # None: unbounded
    inclusive: bool
    classes: tuple[tuple[str, Line], ...]
    converting: frozenset[str]
    gains: tuple[tuple[str, Line], ...]


def _constant(values: tuple[tuple[str, Fraction], ...]) -> tuple[tuple[str, Line], ...]:
    return tuple((key, Line(Fraction(0), value)) for key, value in values)


def pieces(swept: Sweep) -> tuple[Piece, ...]:
    """The sweep's cells in order (point 0, region 0, point 1, region 1, ...), each piece covering
    the exit values past the previous one's ``upper``; a cell joins the piece before it when that
    piece's lines also hold on it (a point: they pay its values there; a region: the same lines)."""
    cells: list[Piece] = []
    for index, region in enumerate(swept.regions):
        point = swept.points[index]
        cells.append(Piece(point.at, True, _constant(point.classes), point.converting, _constant(point.gains)))
        cells.append(Piece(region.hi, False, region.classes, region.converting, region.gains))
    found: list[Piece] = []
    for cell in cells:
        last = found[-1] if found else None
        if last is not None and last.converting == cell.converting and (
                _same_at(last, cell) if cell.inclusive else (last.classes, last.gains) == (cell.classes, cell.gains)):
            found[-1] = Piece(cell.upper, cell.inclusive, last.classes, last.converting, last.gains)
        else:
            found.append(cell)
    return tuple(found)


def _same_at(piece: Piece, point: Piece) -> bool:
    """Do the piece's lines pay, at the point, what the point's own reading pays?"""
    at = point.upper
    assert at is not None
    return ([(k, line.at(at)) for k, line in piece.classes + piece.gains]
            == [(k, line.intercept) for k, line in point.classes + point.gains])


def _term(line: Line, p: Any) -> Any:
    if line.slope == 0:
        return q(line.intercept)
    if line.intercept == 0:
        return q(line.slope) * p
    return q(line.slope) * p + q(line.intercept)


def _member(previous: Piece | None, piece: Piece, p: Any) -> Any:
    """``p`` lies in ``piece``: past the previous piece's end, up to its own."""
    bounds = [p >= 0] if previous is None else [
        p > q(previous.upper) if previous.inclusive else p >= q(previous.upper)]  # type: ignore[arg-type]
    if piece.upper is not None:
        bounds.append(p <= q(piece.upper) if piece.inclusive else p < q(piece.upper))
    return z3.And(*bounds)


def _outcome(piece: Piece, p: Any) -> Outcome:
    converting = {sid: z3.BoolVal(sid in piece.converting) for sid, _ in piece.gains}
    return Outcome({c: _term(line, p) for c, line in piece.classes}, converting,
                   {s: _term(line, p) for s, line in piece.gains}, (), (), z3.BoolVal(False))


@dataclass(frozen=True)
class Case:
    """One piece as z3 terms over the proceeds ``p``: where it lies, and its outcome there."""

    index: int
    member: Any
    outcome: Outcome


def cases(found: tuple[Piece, ...], p: Any) -> list[Case]:
    """Every piece read at ``p``: the model's outcome at ``p`` is the outcome of the one piece it is in."""
    return [Case(i, _member(found[i - 1] if i else None, piece, p), _outcome(piece, p))
            for i, piece in enumerate(found)]
