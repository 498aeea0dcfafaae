"""Solver benchmark: breakpoints + indifference per charter, scaling, and solver vs sampling.

Run: python benchmarks/bench_solver.py   (timings are floats only here, for printing)

Times are CPU seconds of this process (``time.process_time``), steadier than wall time on a
shared machine; the median of three runs where a row says so.

1. Each bundled charter with its reference cap table: time to compute every breakpoint and
   indifference set (target under 2 s each), and the full ``solve`` (proofs, searches, replay).
2. Generated charters of 5, 10, 15 and 20 series: the exact sweep (target at 20 series: under
   2 s), the full ``solve`` (target at 20 series: under 20 s) and its proof verdicts.
3. Time to the exact indifference point of nvidia-1998 Series A (IV.D.3(A)) and infinity-1996
   Series C (IV.3(b), IV.4(a)): the solver,
   Hypothesis with ``target()`` and a dense grid scan, side by side.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings, strategies as st, target  # noqa: E402
from tabulate import tabulate  # noqa: E402

from charter_oracle.oracle.bundled import CHARTER_IDS  # noqa: E402
from charter_oracle.oracle.exact import format_exact  # noqa: E402
from charter_oracle.oracle.liquidation import distribute  # noqa: E402
from charter_oracle.oracle.loading import load_with_table  # noqa: E402
from charter_oracle.oracle.positions import series_positions  # noqa: E402
from charter_oracle.oracle.waterfall import allocate  # noqa: E402
from charter_oracle.solver import geometry, solve  # noqa: E402
from charter_oracle.solver.generated import generated  # noqa: E402


def timed(function, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def cpu(function, *args, runs: int = 1):  # type: ignore[no-untyped-def]
    """The value and the median CPU time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        value = function(*args)
        times.append(time.process_time() - start)
    return value, sorted(times)[len(times) // 2]


def bundled_rows() -> list[tuple[str, int, int, str, str, str]]:
    rows = []
    for charter_id in CHARTER_IDS:
        charter, table = load_with_table(charter_id)
        found, seconds = cpu(geometry, charter, table, runs=3)
        _, full = cpu(solve, charter, table)
        points = sum(len(v) for v in found.indifference.values())
        rows.append((charter_id, len(found.breakpoints), points, f"{seconds:.3f}",
                     "yes" if seconds < 2 else "NO", f"{full:.2f}"))
    return rows


def scaling_rows() -> list[tuple[int, int, str, str, str, str, str]]:
    rows = []
    for count in (5, 10, 15, 20):
        charter, table = generated(count)
        found, seconds = cpu(geometry, charter, table, runs=3)
        result, full = cpu(solve, charter, table)
        verdicts = Counter(p.verdict for p in result.proofs)
        rows.append((count, len(found.breakpoints), f"{seconds:.2f}", "yes" if seconds < 2 else "NO",
                     f"{full:.2f}", "yes" if full < 20 else "NO",
                     ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))))
    return rows


def race(charter_id: str, series_id: str, limit: int) -> list[tuple[str, str, str, str, str]]:
    charter, table = load_with_table(charter_id)
    positions = series_positions(charter, table)
    common = table.shares_of(charter.common.id)

    def gain(proceeds: Fraction) -> Fraction:
        """Oracle: what the series gains by converting, the others as the oracle chose."""
        others = distribute(charter, table, proceeds).converted - {series_id}
        return (allocate(charter, proceeds, common, positions, others | {series_id}).amount(series_id)
                - allocate(charter, proceeds, common, positions, others).amount(series_id))

    rows = []
    found, seconds = timed(geometry, charter, table)
    exact = [i.lo for i in found.indifference[series_id] if i.is_point and i.lo > 0][0]
    rows.append(("solver (exact sweep)", format_exact(exact), "0", "exact", f"{seconds:.4f}"))

    # Hypothesis, guided by target(): maximise -|gain| over exit values in cents, from just above the
    # total preference (below it the series is also indifferent at 0, a degenerate optimum) to $200M.
    floor = int(sum((p.preference + p.dividends for p in positions), Fraction(0)) * 100) + 1
    best: list[Fraction] = []
    evaluations = [0]

    @settings(max_examples=1000, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.integers(min_value=floor, max_value=200_000_000 * 100))
    def search(cents: int) -> None:
        proceeds = Fraction(cents, 100)
        evaluations[0] += 1
        value = gain(proceeds)
        if proceeds > 0 and (not best or abs(value) < abs(gain(best[0]))):
            best[:] = [proceeds]
        target(-float(abs(value)), label="distance from indifference")  # float only for Hypothesis' scorer

    _, seconds = timed(search)
    hit = best[0] if best else Fraction(-1)
    rows.append((f"hypothesis target() ({evaluations[0]} examples)", format_exact(hit), format_exact(abs(hit - exact)),
                 "exact" if hit == exact else "approximate", f"{seconds:.2f}"))

    # Dense grid: every $10,000 up to the limit, then the first sign change of the gain.
    step = Fraction(10_000)
    grid_best, at, previous = None, Fraction(0), None
    start = time.perf_counter()
    count = 0
    while at <= limit:
        value = gain(at)
        count += 1
        if previous is not None and previous < 0 <= value and at > 0:
            grid_best = at
            break
        previous = value
        at += step
    seconds = time.perf_counter() - start
    hit = grid_best if grid_best is not None else Fraction(-1)
    rows.append((f"grid $10,000 steps ({count} points)", format_exact(hit), format_exact(abs(hit - exact)),
                 "exact" if hit == exact else "approximate", f"{seconds:.2f}"))
    return rows


def main() -> None:
    print("1. breakpoints + indifference sets, bundled charters (reference cap tables), CPU seconds")
    print(tabulate(bundled_rows(), headers=["charter", "breakpoints", "indifference sets", "seconds",
                                            "< 2 s", "full solve s"], disable_numparse=True))
    print()
    print("2. generated charters (solver.generated): CPU seconds, breakpoints + indifference median of 3")
    print(tabulate(scaling_rows(), headers=["series", "breakpoints", "sweep s", "< 2 s", "full solve s", "< 20 s",
                                            "proofs"], disable_numparse=True))
    print()
    print("3. time to the exact indifference point: nvidia-1998 Series A (a whole-cent point)")
    print(tabulate(race("nvidia-1998", "series_a", 60_000_000), headers=["method", "found", "|error|", "exact?", "seconds"], disable_numparse=True))

    print()
    print("   infinity-1996 Series C (3(b) cap on its interest leg: the point is not a whole cent)")
    print(tabulate(race("infinity-1996", "series_c", 30_000_000),
                   headers=["method", "found", "|error|", "exact?", "seconds"], disable_numparse=True))


if __name__ == "__main__":
    main()
