"""The exit-value sweep: each holder's (or class's) payout across many exit values, exactly.

What investors and lawyers ask for first: "what do I get at $10M, $20M, ... $200M?".
Every number is the oracle's (``oracle.liquidation.distribute``, the clause-cited
waterfall), but the oracle is not re-run at every one of 10,000 points:

* the solver's sweep gives the exit values where any payout changes slope or jumps
  (breakpoints, and the ends of every indifference set) — the *knots*;
* between two knots every payout is one line in the exit value: the payout function
  (``charter_oracle/payout_function.py``) holds those lines and the oracle's own answer at
  every knot, each line verified against the oracle at five points of its segment before
  use; each row is then a bisection and one line per key;
* the function costs a few oracle runs per segment to build, so a sweep of fewer points
  than that simply runs the oracle at each point.

Interpolation is exact (``Fraction``), so each row equals the oracle's answer at that
exit value. Where payouts are not piecewise linear by construction — whole-cent
payouts (``all.payout-cents = cents``) — or the solver cannot sweep the charter, or the
oracle disagrees with the sweep's lines, every point is computed by the oracle (slower,
equally exact).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.exit_options_scope import refuse_cash_exercise
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import InputError, OracleError
from charter_oracle.oracle.exact import format_exact
from charter_oracle.oracle.liquidation import Distribution, distribute

if TYPE_CHECKING:
    from charter_oracle.solver.sweep import Sweep

MAX_POINTS = 100_000  # a sweep is a table for people and spreadsheets, not a stress test
BY = ("holder", "class")


@dataclass(frozen=True)
class SweepRow:
    """One exit value: each key's payout, and why the row is there when it marks a knot."""

    proceeds: Fraction
    payouts: tuple[Fraction, ...]  # in the order of ``ExitSweep.keys``
    marks: tuple[str, ...] = ()  # e.g. "breakpoint (IV.D.2(A))", "series_b indifferent from"


@dataclass(frozen=True)
class ExitSweep:
    charter_id: str
    by: str  # "holder" | "class"
    keys: tuple[str, ...]
    shares: tuple[int, ...]  # shares held per key (all classes of a holder), for per-share values
    rows: tuple[SweepRow, ...]
    interpretations: tuple[tuple[str, str], ...]
    oracle_evaluations: int  # how many points the oracle computed (the rest were interpolated)

    def per_share(self, row: SweepRow) -> tuple[Fraction | None, ...]:
        return tuple(p / s if s else None for p, s in zip(row.payouts, self.shares))

    def percent(self, row: SweepRow) -> tuple[Fraction | None, ...]:
        return tuple(p * 100 / row.proceeds if row.proceeds else None for p in row.payouts)

    def to_json(self) -> dict[str, Any]:
        def exact(v: Fraction | None) -> str | None:
            return None if v is None else format_exact(v)

        return {
            "charter": self.charter_id,
            "by": self.by,
            "columns": list(self.keys),
            "shares": dict(zip(self.keys, self.shares)),
            "rows": [{
                "proceeds": format_exact(row.proceeds),
                "marks": list(row.marks),
                "payouts": {k: format_exact(v) for k, v in zip(self.keys, row.payouts)},
                "per_share": {k: exact(v) for k, v in zip(self.keys, self.per_share(row))},
                "percent": {k: exact(v) for k, v in zip(self.keys, self.percent(row))},
            } for row in self.rows],
            "interpretations": dict(self.interpretations),
        }


def exit_points(start: Fraction, stop: Fraction, step: Fraction) -> list[Fraction]:
    """start, start + step, ... up to and including stop (when it lands on it)."""
    if step <= 0:
        raise InputError(f"--step {format_exact(step)}: must be positive")
    if stop < start:
        raise InputError(f"--to {format_exact(stop)} is below --from {format_exact(start)}")
    count = (stop - start) // step + 1
    if count > MAX_POINTS:
        raise InputError(f"--from/--to/--step give {count} exit values; at most {MAX_POINTS} in one sweep")
    return [start + i * step for i in range(int(count))]


@dataclass(frozen=True)
class _Knot:
    at: Fraction
    marks: tuple[str, ...]


def _knots(charter: Charter, table: CapTable) -> tuple[list[_Knot], Sweep] | None:
    """The solver's breakpoints and indifference ends, each with what happens there, and the sweep they
    come from; None if unsweepable."""
    from charter_oracle.payout_function import sweep_of  # loaded by a sweep only (the CLI imports this module)
    from charter_oracle.solver.breakpoints import breakpoints, indifference

    try:
        swept = sweep_of(charter, table)
    except OracleError:
        return None
    marks: dict[Fraction, list[str]] = {}
    for b in breakpoints(charter, swept):
        what = "; ".join(f"{what} ({cite})" for what, cite in b.causes) or "slope change"
        marks.setdefault(b.at, []).append(f"breakpoint: {what}")
    for series_id, intervals in sorted(indifference(charter, swept).items()):
        for interval in intervals:
            if interval.hi is not None and interval.hi == interval.lo:
                if interval.lo == 0:
                    continue  # at an exit of 0 every choice pays nothing: not worth a mark
                marks.setdefault(interval.lo, []).append(f"{series_id} indifferent between converting and not")
                continue
            marks.setdefault(interval.lo, []).append(f"{series_id} indifferent from here")
            if interval.hi is not None:
                marks.setdefault(interval.hi, []).append(f"{series_id} indifferent up to here")
    return [_Knot(at, tuple(dict.fromkeys(m))) for at, m in sorted(marks.items())], swept


class _Oracle:
    """The oracle at one exit value, read by key, counted."""

    def __init__(self, charter: Charter, table: CapTable, by: str, keys: Sequence[str]) -> None:
        self.charter, self.table, self.by, self.keys = charter, table, by, keys
        self.evaluations = 0

    def __call__(self, proceeds: Fraction) -> tuple[Fraction, ...]:
        self.evaluations += 1
        result: Distribution = distribute(self.charter, self.table, proceeds)
        got = dict(result.holders if self.by == "holder" else result.classes)
        return tuple(got.get(k, Fraction(0)) for k in self.keys)


def sweep_exits(charter: Charter, table: CapTable, points: Iterable[Fraction], *, by: str = "holder",
                breakpoints: bool = False) -> ExitSweep:
    """Payouts at every point (and, with ``breakpoints``, at every knot inside their range)."""
    refuse_cash_exercise(charter, "sweep")  # oracle/exit_options_scope.py
    if by not in BY:
        raise InputError(f"--by {by!r}: expected one of {', '.join(BY)}")
    wanted = sorted(set(points))
    if any(p < 0 for p in wanted):
        raise InputError(f"exit value {format_exact(min(wanted))}: must not be negative")
    if by == "holder":
        keys = tuple(table.holders)
        shares = tuple(sum(h.shares for h in table.holdings if h.holder == k) for k in keys)
    else:
        keys = tuple(charter.class_ids)
        shares = tuple(table.shares_of(k) for k in keys)
    oracle = _Oracle(charter, table, by, keys)
    linear = dict(charter.chosen).get("all.payout-cents", "exact") == "exact"
    found = _knots(charter, table) if linear else None
    marks: dict[Fraction, tuple[str, ...]] = {}
    if found is not None and breakpoints and wanted:
        knots = found[0]
        low, high = wanted[0], wanted[-1]
        inside = [k for k in knots if low <= k.at <= high] if len(wanted) > 1 else knots
        marks = {k.at: k.marks for k in inside}
        wanted = sorted(set(wanted) | set(marks))
    values, evaluations = _values(charter, table, by, oracle, None if found is None else found[1], wanted)
    rows = [SweepRow(p, v, marks.get(p, ())) for p, v in zip(wanted, values)]
    return ExitSweep(charter.id, by, keys, shares, tuple(rows), charter.chosen, evaluations)


def _values(charter: Charter, table: CapTable, by: str, oracle: _Oracle, swept: Sweep | None,
            wanted: list[Fraction]) -> tuple[list[tuple[Fraction, ...]], int]:
    """Each point's payouts and how many oracle runs they took: the payout function's when the sweep
    gives one and it costs fewer oracle runs (about six per segment) than the points."""
    from charter_oracle.payout_function import build_cost, build_payout_function

    if swept is not None and len(wanted) > build_cost(swept):
        try:
            function = build_payout_function(charter, table, swept)
        except OracleError:
            function = None  # the oracle disagreeing with the sweep's lines, or refusing a knot: no shortcut
        if function is not None:
            evaluate = function.holder_values if by == "holder" else function.class_values
            return [evaluate(p) for p in wanted], function.oracle_evaluations
    return [oracle(p) for p in wanted], oracle.evaluations
