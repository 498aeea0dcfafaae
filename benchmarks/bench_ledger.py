"""Ledger benchmarks: prints numbers, asserts nothing (speed is measured, not tested).

1. 20 financings on nvidia-1998 (exact prices, the default): issues, option grants, splits,
   repricings and expiries mixed (target < 1 s);
2. one option grant repriced 22 times on infinity-1996 (each repricing replays the events since
   the grant, never the whole ledger again and again);
3. ten dilutive issues at cent prices on infinity-1996 and on nvidia-1998 (exact prices: the
   one that grew about four-fold in length per issue while bases counted fractional shares).

For each: seconds, and the longest numerator or denominator (in digits) among the conversion
prices, so that exact arithmetic growing out of bounds shows up here, not as a hang.

Run: python benchmarks/bench_ledger.py [--limit SECONDS]   (a case over the limit is stopped and
reported as such; default 60 s)
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charter_oracle.oracle.adjustments import Event, run_ledger  # noqa: E402
from charter_oracle.oracle.loading import load_with_table  # noqa: E402


def _digits(value: Fraction) -> int:
    # from bit lengths (about 0.30103 digits a bit): str() of a huge integer is slow or refused
    return int(max(abs(value.numerator).bit_length(), value.denominator.bit_length()) * 0.30103) + 1


def nvidia_twenty(day: dt.date) -> list[Event]:
    """20 financings: 8 issues, 4 grants, 2 splits, 4 repricings, 2 expiries (post-split units)."""
    d = [day + dt.timedelta(days=30 * i) for i in range(20)]
    F = Fraction
    return [
        Event("issue", d[0], shares=1_000_000, price=F("0.45"), commissions=F("9000")),
        Event("grant", d[1], shares=400_000, exercise_price=F("0.30")),
        Event("issue", d[2], shares=700_000, price=F("0.41")),
        Event("split", d[3], ratio=F(2)),
        Event("reprice", d[4], grant=1, exercise_price=F("0.10")),
        Event("issue", d[5], shares=1_300_000, price=F("0.17"), commissions=F("4000")),
        Event("grant", d[6], shares=250_000, exercise_price=F("0.12"), price=F("0.01")),
        Event("issue", d[7], shares=900_000, price=F("0.19")),
        Event("reprice", d[8], grant=6, exercise_price=F("0.09")),
        Event("expire", d[9], shares=300_000, grant=1),
        Event("issue", d[10], shares=2_000_000, price=F("0.13")),
        Event("split", d[11], ratio=F(3, 2)),
        Event("grant", d[12], shares=500_000, exercise_price=F("0.07")),
        Event("issue", d[13], shares=1_100_000, price=F("0.11"), commissions=F("2500")),
        Event("reprice", d[14], grant=1, exercise_price=F("0.05")),
        Event("grant", d[15], shares=350_000, exercise_price=F("0.06")),
        Event("issue", d[16], shares=800_000, price=F("0.09")),
        Event("expire", d[17], shares=100_000, grant=12),
        Event("reprice", d[18], grant=15, exercise_price=F("0.04")),
        Event("issue", d[19], shares=1_500_000, price=F("0.08")),
    ]


def infinity_repricings(day: dt.date, count: int = 22) -> list[Event]:
    events = [Event("grant", day, shares=300_000, exercise_price=F_("0.50"))]
    for i in range(count):
        price = F_("0.05") + F_(i % 7, 100)  # down and back up again
        events.append(Event("reprice", day + dt.timedelta(days=i + 1), grant=0, exercise_price=price))
    return events


def cent_issues(day: dt.date, count: int = 10) -> list[Event]:
    return [Event("issue", day + dt.timedelta(days=i), shares=150_000 + 10_000 * i, price=F_(90 - 7 * i, 100))
            for i in range(count)]


F_ = Fraction


class _Late(Exception):
    pass


def _timed(run: Callable[[], Sequence[dict[str, Fraction]]], limit: int) -> tuple[float | None, int]:
    def stop(signum: int, frame: object) -> None:
        raise _Late()

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(limit)
    start = time.perf_counter()
    try:
        prices = run()
    except _Late:
        return None, 0
    finally:
        signal.alarm(0)
    elapsed = time.perf_counter() - start
    return elapsed, max((_digits(p) for state in prices for p in state.values()), default=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=60)
    limit = parser.parse_args().limit

    nvidia, nv_table = load_with_table("nvidia-1998")
    infinity, inf_table = load_with_table("infinity-1996")

    cases = [
        ("nvidia-1998: 20 financings (8 issues, 4 grants, 2 splits, 4 repricings, 2 expiries), exact prices",
         nvidia, nv_table, nvidia_twenty(dt.date(1998, 7, 1)), "target < 1 s"),
        ("infinity-1996: one grant repriced 22 times", infinity, inf_table, infinity_repricings(dt.date(1996, 7, 2)), ""),
        ("infinity-1996: ten dilutive issues at cent prices", infinity, inf_table,
         cent_issues(dt.date(1996, 7, 2)), ""),
        ("nvidia-1998: ten dilutive issues at cent prices, exact prices", nvidia, nv_table,
         cent_issues(dt.date(1998, 7, 1)), ""),
    ]
    for name, charter, table, events, target in cases:
        def run(charter=charter, table=table, events=events) -> list[dict[str, Fraction]]:
            return [s.conversion_prices for s in run_ledger(charter, table, events).states]

        elapsed, digits = _timed(run, limit)
        shown = f"> {limit} s (stopped)" if elapsed is None else f"{elapsed:.3f} s"
        extra = f"; longest price term {digits} digits" if elapsed is not None else ""
        print(f"{name}: {shown}{extra}" + (f" ({target})" if target else ""))


if __name__ == "__main__":
    main()
