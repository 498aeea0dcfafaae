"""The exit-value sweep: 10,000 exit values on nvidia-1998 (target: under 5 s end to end).

Prints the time to compute the rows, to render each format, and the whole command
(a fresh process, as a user runs it), with how many points the oracle computed
itself (the rest are interpolated exactly between the solver's knots).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from charter_oracle.exit_sweep import exit_points, sweep_exits
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.sweep_command import as_csv, as_table, as_xlsx


def main() -> None:
    charter, table = load_with_table("nvidia-1998")
    points = exit_points(Fraction(0), Fraction(99_990_000), Fraction(10_000))
    start = time.perf_counter()
    result = sweep_exits(charter, table, points, breakpoints=True)
    rows = time.perf_counter() - start
    print(f"nvidia-1998, {len(result.rows)} rows ({len(points)} asked + knots): rows {rows:.2f} s, "
          f"oracle computed {result.oracle_evaluations} points itself")
    for name, render in (("json", lambda r: json.dumps(r.to_json())), ("csv", as_csv), ("table", as_table),
                         ("xlsx", as_xlsx)):
        start = time.perf_counter()
        render(result)
        print(f"  render {name}: {time.perf_counter() - start:.2f} s")
    with tempfile.TemporaryDirectory() as work:
        for fmt in ("csv", "json", "xlsx"):
            out = Path(work) / f"sweep.{fmt}"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "charter_oracle.cli", "sweep", "nvidia-1998", "--from", "0",
                            "--to", "99990000", "--step", "10000", "--breakpoints", "--format", fmt,
                            "--out", str(out)], check=True)
            print(f"  whole command, --format {fmt}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
