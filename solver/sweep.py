"""An exact left-to-right sweep of the proceeds axis: every region where the payouts stay linear.

Starting at an exit value of 0, the model is read with ``LineBackend`` just to
the right of the current point: that gives every class's payout as an exact line
and the list of comparisons (atoms) the reading depended on. The nearest atom to
the right ends the region; the model is then read exactly *at* that point (for
the values paid there, which may differ from both sides when the conversion
choice jumps) and the sweep continues from it. Nothing is sampled: the regions
are exactly the cells of the model's branch conditions along the axis.

Allocations of one fixed conversion set are linear until their own next atom,
so they are cached with that bound and recomputed only when the sweep passes it. Comparisons
between the same two cached lines are remembered too (their difference and its root), so a
reading after a change of one allocation costs only the comparisons that allocation takes part in.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from charter_oracle.oracle.errors import OracleError
from charter_oracle.solver.budget import poll
from charter_oracle.solver.model import Amounts, WaterfallModel
from charter_oracle.solver.symbolic import Atom, Line, LineBackend

MAX_REGIONS = 100_000


class SweepError(OracleError):
    """The model could not be swept (no stable prefix, or an absurd number of regions)."""


@dataclass(frozen=True)
class Region:
    """An open interval (``hi`` None: unbounded) on which every payout is one line."""

    lo: Fraction
    hi: Fraction | None
    classes: tuple[tuple[str, Line], ...]
    converting: frozenset[str]
    gains: tuple[tuple[str, Line], ...]


@dataclass(frozen=True)
class Point:
    """What the model pays exactly at one region boundary, and why the boundary is there."""

    at: Fraction
    classes: tuple[tuple[str, Fraction], ...]
    converting: frozenset[str]
    gains: tuple[tuple[str, Fraction], ...]
    atoms: tuple[Atom, ...]


@dataclass(frozen=True)
class Sweep:
    points: tuple[Point, ...]  # points[0] is at 0; points[i + 1] ends regions[i]
    regions: tuple[Region, ...]


Entry = tuple[Fraction, Fraction | None, dict[str, Line], list[Atom]]  # start, end, lines, atoms


class _AllocationCache:
    def __init__(self, model: WaterfallModel) -> None:
        self.model = model
        # per conversion set: its lines from ``start`` to ``end``, the set's nearest atom right of ``start``
        self.entries: dict[frozenset[str], Entry] = {}
        self.ends: list[tuple[Fraction, int, frozenset[str]]] = []  # a heap of the entries' ends
        self.made = 0

    def advance(self, at: Fraction, inclusive_end: bool) -> None:
        """Drop every entry that ends left of ``at`` (or at it, for a reading right of it). The sweep
        only moves right, so what is left is valid at ``at`` without comparing each entry again."""
        while self.ends and (self.ends[0][0] < at or (not inclusive_end and self.ends[0][0] == at)):
            _, _, converting = heapq.heappop(self.ends)
            entry = self.entries.get(converting)
            if entry is not None and entry[1] is not None and entry[1] <= at:
                del self.entries[converting]

    def entry(self, converting: frozenset[str], at: Fraction) -> Entry:
        entry = self.entries.get(converting)
        if entry is not None:
            return entry
        bk = LineBackend(at, "right")
        lines = self.model.allocation(bk, converting)
        ahead = [a.at for a in bk.atoms if a.at > at]
        entry = (at, min(ahead) if ahead else None, lines, bk.atoms)
        self.entries[converting] = entry
        if entry[1] is not None:
            self.made += 1
            heapq.heappush(self.ends, (entry[1], self.made, converting))
        return entry


class _MemoLineBackend(LineBackend):
    """A ``LineBackend`` that remembers each comparison's difference line and atom across readings.

    The sweep reads the model over a thousand times at 20 series; between two readings almost
    every allocation is the same cached object, so almost every comparison compares the same
    two ``Line`` objects again and only its truth at the new point is new. The memo holds the
    compared lines themselves, so their ids cannot be reused while it lives.
    """

    def __init__(self, at: Fraction, side: str, memo: dict[tuple[Any, ...], tuple[Any, ...]]) -> None:
        super().__init__(at, side)  # type: ignore[arg-type]
        self.memo = memo
        self.num, self.den = at.numerator, at.denominator

    def sub(self, x: Line, y: Line) -> Line:
        """``x - y``, the same object for the same two lines (a series' gain from converting is one
        such difference per reading, and its root is remembered by the line's identity)."""
        key = ("-", id(x), id(y))
        hit = self.memo.get(key)
        if hit is None or hit[0] is not x or hit[1] is not y:
            hit = self.memo[key] = (x, y, x - y)
        return hit[2]  # type: ignore[no-any-return]

    def _compared(self, x: Line, y: Line, why: str, cite: str, owner: frozenset[str] | None) -> tuple[Any, ...]:
        """(x, y, the root of x - y as numerator and denominator, the sign of its slope,
        whether it is <= 0 and < 0 when flat, the atom)."""
        key = (id(x), id(y), why, cite, owner)
        hit = self.memo.get(key)
        if hit is None or hit[0] is not x or hit[1] is not y:
            diff = x - y
            root = diff.root()
            sign = (diff.slope > 0) - (diff.slope < 0)
            atom = Atom(root, why, cite, owner) if root is not None and root >= 0 else None
            hit = (x, y, 0 if root is None else root.numerator, 1 if root is None else root.denominator, sign,
                   diff.intercept <= 0, diff.intercept < 0, atom)
            self.memo[key] = hit
        if hit[7] is not None:
            self.atoms.append(hit[7])
        return hit

    # The truth of ``x - y <= 0`` (``< 0``) at the point or just right of it, read off the root: a
    # rising difference is negative left of its root, a falling one right of it. The same answers
    # as ``LineBackend``'s (value, then slope on a tie), with one comparison of cross products
    # instead of Fraction arithmetic (whose comparisons first ask ``numbers.Rational``, slowly).
    def le(self, x: Line, y: Line, why: str = "", cite: str = "", owner: frozenset[str] | None = None) -> bool:
        _, _, rn, rd, sign, flat_le, _, _ = self._compared(x, y, why, cite, owner)
        if sign == 0:
            return bool(flat_le)
        at_below_root = self.num * rd < rn * self.den
        if self.side == "point" and sign > 0:
            return at_below_root or self.num * rd == rn * self.den
        return at_below_root if sign > 0 else not at_below_root

    def lt(self, x: Line, y: Line, why: str = "", cite: str = "", owner: frozenset[str] | None = None) -> bool:
        _, _, rn, rd, sign, _, flat_lt, _ = self._compared(x, y, why, cite, owner)
        if sign == 0:
            return bool(flat_lt)
        at_below_root = self.num * rd < rn * self.den
        if sign > 0:
            return at_below_root
        if self.side == "point":
            return not at_below_root and self.num * rd != rn * self.den
        return not at_below_root


def _below(a: Fraction, b: Fraction) -> bool:
    """``a < b``, by cross products (see ``_MemoLineBackend.le``)."""
    return a.numerator * b.denominator < b.numerator * a.denominator  # type: ignore[no-any-return]


@dataclass
class _Reading:
    """One reading of the model at a point (or just right of it) and what it depended on."""

    classes: Amounts
    converting: frozenset[str]
    gains: Amounts
    used: dict[frozenset[str], Entry]  # every allocation the reading evaluated
    relevant: set[frozenset[str]]  # the paid set and the sets its series compare against
    choice: list[Atom]  # the choice layer's comparisons

    def kinks(self) -> list[Atom]:
        return [a for s in self.relevant if s in self.used for a in self.used[s][3]]

    def next_event(self, at: Fraction) -> tuple[Fraction | None, bool]:
        """For a reading right of ``at``: the nearest atom right of ``at``, and whether it ends the region
        (a kink of a relevant allocation or a choice atom) or is silent (only another allocation's kink).

        Every allocation in use is read at or after its entry's start and before its end, and no
        atom of it lies strictly between the two, so its nearest atom right of ``at`` is its ``end``.
        """
        end: Fraction | None = None
        for _, entry_end, _, _ in self.used.values():
            if entry_end is not None and (end is None or _below(entry_end, end)):
                end = entry_end
        for atom in self.choice:
            if _below(at, atom.at) and (end is None or _below(atom.at, end)):
                end = atom.at
        if end is None:
            return None, True
        ends = (any(self.used[s][1] == end for s in self.relevant if s in self.used)
                or any(a.at == end for a in self.choice))
        return end, ends


def _read(model: WaterfallModel, cache: _AllocationCache, memo: dict[tuple[Any, ...], tuple[Any, ...]],
          at: Fraction, side: str) -> _Reading:
    used: dict[frozenset[str], Entry] = {}
    cache.advance(at, inclusive_end=side == "point")

    def allocation_of(converting: frozenset[str]) -> Amounts:
        entry = used.get(converting)
        if entry is None:
            entry = used[converting] = cache.entry(converting, at)
        return entry[2]

    bk = _MemoLineBackend(at, side, memo)
    outcome = model.outcome(bk, allocation_of)
    if outcome.no_stable_prefix:
        raise SweepError(
            f"{model.charter.id}: no prefix of the conversion order is stable at exit value {at}; "
            "the oracle falls back to best-response dynamics there, which this model does not cover"
        )
    converting = frozenset(sid for sid, flag in outcome.converting.items() if flag)
    for sid, gain in outcome.gain_from_converting.items():
        key = (id(gain), sid)  # (an int and a str: no comparison's or difference's key has that shape)
        hit = memo.get(key)
        if hit is None or hit[0] is not gain:
            root = gain.root()  # indifference of a series that never appears in a stability test
            hit = memo[key] = (gain, Atom(root, f"{sid} indifferent between preference and conversion",
                                          model.charter.series_by_id(sid).conversion.cite, None)
                               if root is not None and root >= 0 else None)
        if hit[1] is not None:
            bk.atoms.append(hit[1])
    # Only the paid set and the sets its series compare against change what is reported; a kink
    # of any other allocation matters only through the comparisons (the choice-layer atoms).
    relevant = {converting} | {converting ^ {sid} for sid in outcome.gain_from_converting}
    return _Reading(outcome.classes, converting, outcome.gain_from_converting, used, relevant, bk.atoms)


def sweep(model: WaterfallModel) -> Sweep:
    cache = _AllocationCache(model)
    memo: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    at = Fraction(0)
    first = _read(model, cache, memo, at, "point")
    points = [Point(at, tuple((c, v.at(at)) for c, v in first.classes.items()), first.converting,
                    tuple((s, g.at(at)) for s, g in first.gains.items()),
                    tuple(a for a in first.kinks() + first.choice if a.at == at))]
    regions: list[Region] = []
    start = at
    for _ in range(MAX_REGIONS):
        poll("the sweep of exit values")
        right = _read(model, cache, memo, at, "right")
        end, ends_region = right.next_event(at)
        if end is None:
            regions.append(Region(start, end, tuple(right.classes.items()), right.converting,
                                  tuple(right.gains.items())))
            return Sweep(tuple(points), tuple(regions))
        if not ends_region:
            # A silent event: only an allocation that is neither paid nor compared with the paid one
            # changes slope; nothing reported changes, so the region simply continues past it.
            at = end
            continue
        regions.append(Region(start, end, tuple(right.classes.items()), right.converting,
                              tuple(right.gains.items())))
        point = _read(model, cache, memo, end, "point")
        here = tuple(dict.fromkeys(a for a in right.kinks() + right.choice + point.kinks() + point.choice
                                   if a.at == end))
        points.append(Point(end, tuple((c, v.at(end)) for c, v in point.classes.items()), point.converting,
                            tuple((s, g.at(end)) for s, g in point.gains.items()), here))
        at = start = end
    raise SweepError(f"{model.charter.id}: more than {MAX_REGIONS} regions; refusing to continue")
