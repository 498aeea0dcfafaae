"""Replaying the solver's answers through the oracle: the sweep, the breakpoints, the witnesses.

The symbolic model restates the waterfall; ``oracle.liquidation.distribute`` is
the reference. Every point and region of the sweep is compared with it (the
exact value at each region boundary, and two exit values inside each region,
which also checks that the region is really linear), every breakpoint and
indifference point becomes a witness with both answers, and every proof's
counterexample is paid out by the oracle before it is reported.
"""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.exact import format_exact
from charter_oracle.oracle.liquidation import distribute
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


def cross_check_sweep(model: WaterfallModel, table: CapTable, swept: Sweep) -> tuple[int, list[str]]:
    """Compare the oracle with the sweep at every boundary and twice inside every region."""
    checks, failures = 0, []
    probes: list[tuple[Fraction, dict[str, Fraction]]] = []
    for point in swept.points:
        probes.append((point.at, dict(point.classes)))
    for region in swept.regions:
        inside = ([(region.lo * 2 + region.hi) / 3, (region.lo + region.hi * 2) / 3] if region.hi is not None
                  else [region.lo + 1, region.lo * 2 + 1000])
        for at in inside:
            probes.append((at, {c: line.at(at) for c, line in region.classes}))
    for at, expected in probes:
        poll("the oracle's replay of the sweep")
        got = oracle_classes(model, table, at)
        checks += 1
        if got != expected:
            failures.append(f"{model.charter.id} at exit value {format_exact(at)}: model pays {_fmt(expected)}; "
                            f"oracle pays {_fmt(got)}")
    return checks, failures


def breakpoint_witnesses(model: WaterfallModel, table: CapTable, found: tuple[Breakpoint, ...]) -> list[Witness]:
    witnesses = []
    for bp in found:
        expected = model_classes(model, bp.at)
        got = oracle_classes(model, table, bp.at)
        what = "; ".join(why for why, _ in bp.causes)
        slopes = ", ".join(f"{c.class_id} slope {c.before}->{c.after}" + (f" jump {c.jump}" if c.jump else "")
                           for c in bp.changes)
        witnesses.append(Witness(
            "breakpoint", "; ".join(dict.fromkeys(cite for _, cite in bp.causes)), f"{what} ({slopes})",
            (("proceeds", bp.at), *((f"paid_{c}", v) for c, v in expected.items())),
            _fmt(expected), _fmt(got), got == expected,
        ))
    return witnesses


def indifference_witnesses(model: WaterfallModel, table: CapTable,
                           sets: dict[str, tuple[Interval, ...]]) -> list[Witness]:
    """At each isolated indifference point, and at both ends of each interval, the oracle's own
    waterfalls with the series converting and staying (others as the oracle chose) must pay it the same."""
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
                others = distribute(charter, table, at).converted - {sid}
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


def total_preference_witness(model: WaterfallModel, table: CapTable) -> list[Witness]:
    """Proceeds exactly equal to every preferential amount: common gets nothing there."""
    claims = model.claims(frozenset())
    total = sum(claims.values(), Fraction(0))
    if total == 0:
        return []
    expected = model_classes(model, total)
    got = oracle_classes(model, table, total)
    cites = "; ".join(dict.fromkeys(p.series.liquidation.cite for p in model.positions))
    return [Witness(
        "total-preference", cites, "proceeds exactly equal to the total preferential amount: every preference "
        "filled, nothing left for common",
        (("proceeds", total), *((f"paid_{c}", v) for c, v in expected.items())),
        _fmt(expected), _fmt(got), got == expected and expected[model.charter.common.id] == 0,
    )]


def counterexample_witness(model: WaterfallModel, table: CapTable, proof: Proof) -> Witness:
    values = dict(proof.witness)
    at = Fraction(values["proceeds"])
    expected = model_classes(model, at)
    got = oracle_classes(model, table, at)
    return Witness(
        f"counterexample:{proof.invariant}", "; ".join(proof.cites), f"{proof.invariant} fails: {proof.statement}",
        proof.witness, _fmt(expected), _fmt(got), got == expected,
    )
