"""Oracle benchmarks: prints numbers, asserts nothing (speed is measured, not tested).

1. waterfall evaluations per second on nvidia-1998 with a realistic cap table; the same with the
   payout function (charter_oracle/payout_function.py: built once from the solver's sweep, then a
   bisection and one line per holder), and its one-time build cost;
2. a 20-series charter with 100,000 holders: one full distribution (target < 0.5 s), and with
   200 holders (target < 10 ms);
3. the stable-outcome search from 2 to 20 series: time and waterfalls allocated (the level
   comparisons allocate only the stable prefixes; undecided prefixes fall back to allocations).

Times are CPU time (``time.process_time``), the median of 3 runs: steadier than wall time on a
shared machine.

Run: python benchmarks/bench_oracle.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charter_oracle.oracle.cap_table import build_cap_table  # noqa: E402
from charter_oracle.oracle.charter_file import build_charter  # noqa: E402
from charter_oracle.oracle.conversion_choice import choose_conversions  # noqa: E402
from charter_oracle.oracle.liquidation import distribute  # noqa: E402
from charter_oracle.oracle.loading import load_with_table  # noqa: E402
from charter_oracle.oracle.positions import series_positions  # noqa: E402
from charter_oracle.payout_function import build_payout_function  # noqa: E402


def cpu_rate(run: Callable[[int], object], seconds: float = 1.0) -> float:
    """Calls of ``run`` per CPU second (``process_time``: steadier than wall time on a shared machine)."""
    n, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        run(n)
        n += 1
    return n / (time.process_time() - start)


def payout_function_rates(charter, table, proceeds: list[Fraction]) -> None:  # type: ignore[no-untyped-def]
    """The payout function on the same cap table and proceeds as the waterfall rate above."""
    builds = []
    for _ in range(3):
        t0 = time.process_time()
        f = build_payout_function(charter, table)
        builds.append(time.process_time() - t0)
    for p in proceeds:  # a benchmark of wrong answers would be worthless: same Fractions as the oracle
        assert tuple(f.holders(p).items()) == distribute(charter, table, p).holders
    oracle = statistics.median(cpu_rate(lambda n: distribute(charter, table, proceeds[n % len(proceeds)]))
                               for _ in range(3))
    holders = statistics.median(cpu_rate(lambda n: f.holders(proceeds[n % len(proceeds)])) for _ in range(3))
    classes = statistics.median(cpu_rate(lambda n: f.classes(proceeds[n % len(proceeds)])) for _ in range(3))
    print(f"  CPU time, median of 3 x 1 s: oracle {oracle:,.0f}/s; payout function {holders:,.0f}/s "
          f"(one evaluation = every holder's exact amount, a dict holder -> Fraction equal to "
          f"distribute(...).holders; {holders / oracle:,.0f}x the oracle); class totals only {classes:,.0f}/s")
    print(f"  payout function build (once per charter, cap table, interpretations, date): "
          f"{statistics.median(builds) * 1000:.0f} ms CPU (median of 3): the solver's sweep, {len(f.knots)} knots, "
          f"{f.oracle_evaluations} oracle runs to verify; pays for itself after "
          f"~{statistics.median(builds) * oracle:,.0f} evaluations")


def synthetic_charter(k: int) -> dict:
    """k series with mixed terms: ranks in tiers of 3, every third participating with a 3x cap."""
    series = []
    for i in range(k):
        price = Fraction(100 + 37 * i, 100)
        participation = (
            {"kind": "capped", "cap_per_share": str(3 * price), "cap_includes_preference": True, "cite": "bench"}
            if i % 3 == 2 else {"kind": "none", "cite": "bench"}
        )
        series.append({
            "id": f"s{i:02d}", "name": f"Series {i}", "designated": 10**9, "original_issue_price": str(price),
            "cite": "bench", "liquidation": {"preference": str(price), "rank": 1 + (k - i) // 3, "cite": "bench"},
            "participation": participation,
            "conversion": {"value": str(price), "initial_price": str(price), "cite": "bench"},
            "dilution": {"method": "none", "cite": "bench"},
        })
    return {
        "format": 1, "id": f"bench-{k}", "name": "bench", "date": "2026-01-01", "source": "bench",
        "common": {"id": "common", "name": "Common", "authorized": 10**12, "par": "0.0001", "cite": "bench"},
        "preferred": {"authorized": 10**11, "cite": "bench"},
        "series": series,
        "liquidation": {"cite": "bench", "shortfall_cite": "bench", "residual_cite": "bench"},
        "conversion": {"cite": "bench", "cash_in_lieu_cite": "bench", "retire_cite": "bench", "reservation_cite": "bench"},
        "voting": {"cite": "bench", "aggregate": "holder", "tie": "half-up"},
        "dividends": {"cite": "bench"},
    }


def synthetic_cap_table(charter, holders: int) -> dict:
    classes = list(charter.class_ids)
    rows = []
    for h in range(holders):
        rows.append({"holder": f"holder-{h}", "class": classes[h % len(classes)], "shares": 1000 + (h * 7919) % 50_000})
    return {"as_of": "2026-06-30", "holdings": rows}


def median_cpu(run: Callable[[], object], repeat: int = 3) -> float:
    """The median CPU time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    charter, table = load_with_table("nvidia-1998")
    proceeds = [Fraction(p) for p in ("1000000", "25000000", "60000000", "90000000", "150000000", "400000000")]
    rates = []
    for _ in range(3):
        n, start = 0, time.process_time()
        while time.process_time() - start < 1.0:
            distribute(charter, table, proceeds[n % len(proceeds)])
            n += 1
        rates.append(n / (time.process_time() - start))
    print(f"nvidia-1998 reference cap table: {statistics.median(rates):,.0f} waterfall evaluations per CPU second "
          f"(median of 3 runs of 1 s, proceeds cycling through {len(proceeds)} values)")
    payout_function_rates(charter, table, proceeds)

    big = build_charter(synthetic_charter(20), "bench-20")
    raw = synthetic_cap_table(big, 100_000)
    t0 = time.process_time()
    big_table = build_cap_table(raw, big, "bench")
    validation = time.process_time() - t0
    result = distribute(big, big_table, Fraction(10**11))
    assert sum(a for _, a in result.holders) == Fraction(10**11)
    took = median_cpu(lambda: distribute(big, big_table, Fraction(10**11)))
    print(f"20 series, 100,000 holders: distribution {took:.3f} s (target < 0.5 s); cap-table validation "
          f"{validation:.3f} s; {len(result.converted)} series convert")
    small_table = build_cap_table(synthetic_cap_table(big, 200), big, "bench")
    exits = (Fraction(5 * 10**6), Fraction(5 * 10**7), Fraction(5 * 10**8))
    took = median_cpu(lambda: [distribute(big, small_table, p) for p in exits])
    print(f"20 series, 200 holders: distribution {took * 1000 / len(exits):.2f} ms (target < 10 ms; "
          f"{len(exits)} exit values)")

    print("stable-outcome search (k series, 3 exit values each):")
    print(f"{'k':>4} {'ms per search':>14} {'waterfalls':>11}")
    for k in (2, 4, 6, 8, 10, 12, 14, 16, 18, 20):
        ch = build_charter(synthetic_charter(k), f"bench-{k}")
        tb = build_cap_table(synthetic_cap_table(ch, 200), ch, "bench")
        positions = series_positions(ch, tb)
        common = tb.shares_of("common")
        evaluations = [choose_conversions(ch, p, common, positions).evaluations for p in exits]
        took = median_cpu(lambda: [choose_conversions(ch, p, common, positions) for p in exits])  # noqa: B023
        print(f"{k:>4} {took * 1000 / len(exits):>14.2f} {sum(evaluations) / len(exits):>11.1f}")


if __name__ == "__main__":
    main()
