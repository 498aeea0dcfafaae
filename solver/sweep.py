"""An exact left-to-right sweep of the proceeds axis: every region where the payouts stay linear.

Starting at an exit value of 0, the model is read with ``LineBackend`` just to
the right of the current point: that gives every class's payout as an exact line
and the list of comparisons (atoms) the reading depended on. The nearest atom to
the right ends the region; the model is then read exactly *at* that point (for
the values paid there, which may differ from both sides when the conversion
choice jumps) and the sweep continues from it. Nothing is sampled: the regions
are exactly the cells of the model's branch conditions along the axis.

Allocations of one fixed conversion set are linear until their own next atom,
so they are cached with that bound and recomputed only when the sweep passes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

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


class _AllocationCache:
    def __init__(self, model: WaterfallModel) -> None:
        self.model = model
        self.entries: dict[frozenset[str], tuple[Fraction, Fraction | None, dict[str, Line], list[Atom]]] = {}

    def lines(self, converting: frozenset[str], at: Fraction, inclusive_end: bool) -> tuple[dict[str, Line], list[Atom]]:
        entry = self.entries.get(converting)
        if entry is not None:
            start, end, lines, atoms = entry
            fits = end is None or at < end or (inclusive_end and at == end)
            if start <= at and fits:
                return lines, atoms
        bk = LineBackend(at, "right")
        lines = self.model.allocation(bk, converting)
        ahead = [a.at for a in bk.atoms if a.at > at]
        self.entries[converting] = (at, min(ahead) if ahead else None, lines, bk.atoms)
        return lines, bk.atoms


def _read(model: WaterfallModel, cache: _AllocationCache, at: Fraction, side: str) -> tuple[Amounts, frozenset[str], Amounts, list[Atom]]:
    used: dict[frozenset[str], list[Atom]] = {}

    def allocation_of(converting: frozenset[str]) -> Amounts:
        lines, atoms = cache.lines(converting, at, inclusive_end=(side == "point"))
        used[converting] = atoms
        return lines

    bk = LineBackend(at, side)  # type: ignore[arg-type]
    outcome = model.outcome(bk, allocation_of)
    if outcome.no_stable_prefix:
        raise SweepError(
            f"{model.charter.id}: no prefix of the conversion order is stable at exit value {at}; "
            "the oracle falls back to best-response dynamics there, which this model does not cover"
        )
    converting = frozenset(sid for sid, flag in outcome.converting.items() if flag)
    for sid, gain in outcome.gain_from_converting.items():
        root = gain.root()  # indifference of a series that never appears in a stability test
        if root is not None and root >= 0:
            bk.atoms.append(Atom(root, f"{sid} indifferent between preference and conversion",
                                 model.charter.series_by_id(sid).conversion.cite, None))
    # Only the paid set and the sets its series compare against change what is reported; a kink
    # of any other allocation matters only through the comparisons (the choice-layer atoms).
    relevant = {converting} | {converting ^ {sid} for sid in outcome.gain_from_converting}
    kinks = [a for s in relevant if s in used for a in used[s]]
    others = [a for s, atoms in used.items() if s not in relevant for a in atoms]
    return outcome.classes, converting, outcome.gain_from_converting, (kinks, others, bk.atoms)


def sweep(model: WaterfallModel) -> Sweep:
    cache = _AllocationCache(model)
    at = Fraction(0)
    classes, converting, gains, (kinks, others, choice) = _read(model, cache, at, "point")
    points = [Point(at, tuple((c, v.at(at)) for c, v in classes.items()), converting,
                    tuple((s, g.at(at)) for s, g in gains.items()), tuple(a for a in kinks + choice if a.at == at))]
    regions: list[Region] = []
    start = at
    for _ in range(MAX_REGIONS):
        poll("the sweep of exit values")
        classes, converting, gains, (kinks, others, choice) = _read(model, cache, at, "right")
        ahead = [a.at for a in kinks + others + choice if a.at > at]
        end = min(ahead) if ahead else None
        if end is None:
            regions.append(Region(start, end, tuple(classes.items()), converting, tuple(gains.items())))
            return Sweep(tuple(points), tuple(regions))
        if not any(a.at == end for a in kinks + choice):
            # A silent event: only an allocation that is neither paid nor compared with the paid one
            # changes slope; nothing reported changes, so the region simply continues past it.
            at = end
            continue
        regions.append(Region(start, end, tuple(classes.items()), converting, tuple(gains.items())))
        classes, converting, gains, (p_kinks, _, p_choice) = _read(model, cache, end, "point")
        here = tuple(dict.fromkeys(a for a in kinks + choice + p_kinks + p_choice if a.at == end))
        points.append(Point(end, tuple((c, v.at(end)) for c, v in classes.items()), converting,
                            tuple((s, g.at(end)) for s, g in gains.items()), here))
        at = start = end
    raise SweepError(f"{model.charter.id}: more than {MAX_REGIONS} regions; refusing to continue")
