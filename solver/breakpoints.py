"""Breakpoints and indifference sets, read off an exact sweep.

A *breakpoint* is an exit value where some class's payout changes slope (or
jumps): a preference tier filled, a participation cap reached, a series
converting. An *indifference set* of a series is where its payout is the same
whether it converts or keeps its preference (with participation), the other
series' choices held fixed: isolated points where the two lines cross, and whole
intervals where they coincide (for example both zero while senior tiers absorb
everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.charter import Charter
from charter_oracle.solver.sweep import Point, Region, Sweep


@dataclass(frozen=True)
class SlopeChange:
    class_id: str
    before: Fraction
    after: Fraction
    jump: Fraction  # right limit minus left limit (0: continuous)


@dataclass(frozen=True)
class Breakpoint:
    at: Fraction
    changes: tuple[SlopeChange, ...]
    converting_before: frozenset[str]
    converting_after: frozenset[str]
    causes: tuple[tuple[str, str], ...]  # (what happens, clause cite)


@dataclass(frozen=True)
class Interval:
    """A closed interval of exit values unless an end is marked open; ``hi`` None: unbounded."""

    lo: Fraction
    hi: Fraction | None
    lo_open: bool = False
    hi_open: bool = False

    @property
    def is_point(self) -> bool:
        return self.hi == self.lo


def breakpoints(charter: Charter, swept: Sweep) -> tuple[Breakpoint, ...]:
    found = []
    for index, region in enumerate(swept.regions[:-1]):
        after = swept.regions[index + 1]
        point = swept.points[index + 1]
        left, right = dict(region.classes), dict(after.classes)
        changes = []
        for class_id in charter.class_ids:
            jump = right[class_id].at(point.at) - left[class_id].at(point.at)
            if left[class_id].slope != right[class_id].slope or jump:
                changes.append(SlopeChange(class_id, left[class_id].slope, right[class_id].slope, jump))
        if changes:
            found.append(Breakpoint(point.at, tuple(changes), region.converting, after.converting,
                                    _causes(charter, region, after, point)))
    return tuple(found)


def _causes(charter: Charter, left: Region, right: Region, point: Point) -> tuple[tuple[str, str], ...]:
    causes: list[tuple[str, str]] = []
    for sid in sorted(right.converting - left.converting):
        causes.append((f"{sid} converts", charter.series_by_id(sid).conversion.cite))
    for sid in sorted(left.converting - right.converting):
        causes.append((f"{sid} stops converting", charter.series_by_id(sid).conversion.cite))
    for atom in point.atoms:
        if atom.conversion_set is not None and atom.conversion_set in (left.converting, right.converting):
            cause = (atom.why, atom.cite)
            if cause not in causes:
                causes.append(cause)
    return tuple(causes) or (("slope change", charter.liquidation.cite),)


def indifference(charter: Charter, swept: Sweep) -> dict[str, tuple[Interval, ...]]:
    """Per series with shares: the maximal sets where converting and staying pay the same."""
    result: dict[str, tuple[Interval, ...]] = {}
    for series_id in dict(swept.points[0].gains):
        # The axis as an alternating sequence: point, open region, point, open region, ...
        cells: list[tuple[Fraction, Fraction | None, bool]] = []  # (lo, hi, is_zero); lo == hi: a point
        for index, region in enumerate(swept.regions):
            point = swept.points[index]
            cells.append((point.at, point.at, dict(point.gains)[series_id] == 0))
            line = dict(region.gains)[series_id]
            cells.append((region.lo, region.hi, line.slope == 0 and line.intercept == 0))
        intervals: list[Interval] = []
        run: list[tuple[Fraction, Fraction | None, bool]] = []
        for cell in cells + [(Fraction(-1), Fraction(-1), False)]:
            if cell[2]:
                run.append(cell)
                continue
            if run:
                first, last = run[0], run[-1]
                intervals.append(Interval(first[0], last[1], lo_open=first[0] != first[1],
                                          hi_open=last[1] is not None and last[0] != last[1]))
                run = []
        result[series_id] = tuple(intervals)
    return result
