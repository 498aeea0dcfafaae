"""Replaying the solver's answers through the oracle: the sweep, the breakpoints, the witnesses.

The symbolic model restates the waterfall; ``oracle.liquidation.distribute`` is
the reference. The sweep is compared with it piece by piece: at every boundary
where a payout changes slope or jumps, and at two exit values inside every
linear piece (which also checks that the piece is really linear). Every
breakpoint and indifference point becomes a witness with both answers, and every
proof's counterexample is paid out by the oracle before it is reported.

One ``Replay`` serves a whole ``solve``: the oracle is asked once per exit value
(breakpoints are probed by the cross-check, then witnessed, then often are
indifference points too), and the model's values at a sweep point are read off
the sweep, which read the model exactly there.
"""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.exact import format_exact
from charter_oracle.oracle.liquidation import Distribution, distribute
from charter_oracle.oracle.positions import series_positions
from charter_oracle.oracle.waterfall import allocate
from charter_oracle.solver.breakpoints import Breakpoint, Interval
from charter_oracle.solver.budget import poll
from charter_oracle.solver.model import WaterfallModel
from charter_oracle.solver.proofs import Proof
from charter_oracle.solver.sweep import Sweep
from charter_oracle.solver.symbolic import LineBackend
from charter_oracle.solver.witness import Witness


def _fmt(classes: dict[str, Fraction]) -> str:
    return ", ".join(f"{c}={format_exact(v)}" for c, v in classes.items())


def model_classes(model: WaterfallModel, proceeds: Fraction) -> dict[str, Fraction]:
    bk = LineBackend(proceeds, "point")
    return {c: line.at(proceeds) for c, line in model.outcome(bk).classes.items()}


def oracle_classes(model: WaterfallModel, table: CapTable, proceeds: Fraction) -> dict[str, Fraction]:
    return dict(distribute(model.charter, table, proceeds).classes)


class Replay:
    """The oracle's answers and the model's values for one charter and cap table, each computed once."""

    def __init__(self, model: WaterfallModel, table: CapTable, swept: Sweep | None = None) -> None:
        self.model = model
        self.table = table
        self.points = {} if swept is None else {point.at: dict(point.classes) for point in swept.points}
        self.distributions: dict[Fraction, Distribution] = {}

    def distribution(self, proceeds: Fraction) -> Distribution:
        if proceeds not in self.distributions:
            self.distributions[proceeds] = distribute(self.model.charter, self.table, proceeds)
        return self.distributions[proceeds]

    def oracle(self, proceeds: Fraction) -> dict[str, Fraction]:
        return dict(self.distribution(proceeds).classes)

    def model_at(self, proceeds: Fraction) -> dict[str, Fraction]:
        """The model's payout at one exit value: the sweep's reading there, or a fresh reading."""
        found = self.points.get(proceeds)
        return dict(found) if found is not None else model_classes(self.model, proceeds)


def _linear_pieces(swept: Sweep) -> list[tuple[int, int]]:
    """Runs of regions (first, last index) on which every class is paid by the same line, the
    points between them paying that line's value: one linear piece of the payout each."""
    runs: list[tuple[int, int]] = []
    for index, region in enumerate(swept.regions):
        if runs and index:
            point = swept.points[index]
            before = swept.regions[index - 1]
            if (region.classes == before.classes
                    and all(line.at(point.at) == value
                            for (_, line), (_, value) in zip(region.classes, point.classes, strict=True))):
                runs[-1] = (runs[-1][0], index)
                continue
        runs.append((index, index))
    return runs


def cross_check_sweep(model: WaterfallModel, table: CapTable, swept: Sweep,
                      replay: Replay | None = None) -> tuple[int, list[str]]:
    """Compare the oracle with the sweep at every boundary between linear pieces and twice inside each."""
    replay = replay or Replay(model, table, swept)
    checks, failures = 0, []
    probes: list[tuple[Fraction, dict[str, Fraction]]] = []
    for first, last in _linear_pieces(swept):
        point = swept.points[first]
        probes.append((point.at, dict(point.classes)))
        lo, hi, classes = swept.regions[first].lo, swept.regions[last].hi, swept.regions[first].classes
        inside = [(lo * 2 + hi) / 3, (lo + hi * 2) / 3] if hi is not None else [lo + 1, lo * 2 + 1000]
        for at in inside:
            probes.append((at, {c: line.at(at) for c, line in classes}))
    for at, expected in probes:
        poll("the oracle's replay of the sweep")
        got = replay.oracle(at)
        checks += 1
        if got != expected:
            failures.append(f"{model.charter.id} at exit value {format_exact(at)}: model pays {_fmt(expected)}; "
                            f"oracle pays {_fmt(got)}")
    return checks, failures


def breakpoint_witnesses(model: WaterfallModel, table: CapTable, found: tuple[Breakpoint, ...],
                         replay: Replay | None = None) -> list[Witness]:
    replay = replay or Replay(model, table)
    witnesses = []
    for bp in found:
        expected = replay.model_at(bp.at)
        got = replay.oracle(bp.at)
        what = "; ".join(why for why, _ in bp.causes)
        slopes = ", ".join(f"{c.class_id} slope {c.before}->{c.after}" + (f" jump {c.jump}" if c.jump else "")
                           for c in bp.changes)
        witnesses.append(Witness(
            "breakpoint", "; ".join(dict.fromkeys(cite for _, cite in bp.causes)), f"{what} ({slopes})",
            (("proceeds", bp.at), *((f"paid_{c}", v) for c, v in expected.items())),
            _fmt(expected), _fmt(got), got == expected,
        ))
    return witnesses


def indifference_witnesses(model: WaterfallModel, table: CapTable, sets: dict[str, tuple[Interval, ...]],
                           replay: Replay | None = None) -> list[Witness]:
    """At each isolated indifference point, and at both ends of each interval, the oracle's own
    waterfalls with the series converting and staying (others as the oracle chose) must pay it the same."""
    replay = replay or Replay(model, table)
    charter = model.charter
    positions = series_positions(charter, table)
    common = table.shares_of(charter.common.id)
    witnesses = []
    for sid, intervals in sets.items():
        series = charter.series_by_id(sid)
        for interval in intervals:
            ends = [interval.lo] if interval.is_point else [e for e, open_ in ((interval.lo, interval.lo_open),
                                                                             (interval.hi, interval.hi_open))
                                                           if e is not None and not open_]
            for at in ends:
                others = replay.distribution(at).converted - {sid}
                converting = allocate(charter, at, common, positions, others | {sid}).amount(sid)
                staying = allocate(charter, at, common, positions, others).amount(sid)
                kind = "point" if interval.is_point else "interval end"
                witnesses.append(Witness(
                    "indifference", series.conversion.cite,
                    f"{sid} indifferent between preference and conversion ({kind})",
                    (("series", sid), ("proceeds", at), ("others_converting", ",".join(sorted(others)) or "-")),
                    "converting pays the same as staying",
                    f"converting {format_exact(converting)}, staying {format_exact(staying)}",
                    converting == staying,
                ))
    return witnesses


def total_preference_witness(model: WaterfallModel, table: CapTable, replay: Replay | None = None) -> list[Witness]:
    """Proceeds exactly equal to every preferential amount: common gets nothing there."""
    claims = model.claims(frozenset())
    total = sum(claims.values(), Fraction(0))
    if total == 0:
        return []
    replay = replay or Replay(model, table)
    expected = replay.model_at(total)
    got = replay.oracle(total)
    cites = "; ".join(dict.fromkeys(p.series.liquidation.cite for p in model.positions))
    return [Witness(
        "total-preference", cites, "proceeds exactly equal to the total preferential amount: every preference "
        "filled, nothing left for common",
        (("proceeds", total), *((f"paid_{c}", v) for c, v in expected.items())),
        _fmt(expected), _fmt(got), got == expected and expected[model.charter.common.id] == 0,
    )]


def counterexample_witness(model: WaterfallModel, table: CapTable, proof: Proof,
                           replay: Replay | None = None) -> Witness:
    replay = replay or Replay(model, table)
    values = dict(proof.witness)
    at = Fraction(values["proceeds"])
    expected = replay.model_at(at)
    got = replay.oracle(at)
    return Witness(
        f"counterexample:{proof.invariant}", "; ".join(proof.cites), f"{proof.invariant} fails: {proof.statement}",
        proof.witness, _fmt(expected), _fmt(got), got == expected,
    )
