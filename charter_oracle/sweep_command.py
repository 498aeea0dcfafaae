"""``charter-oracle sweep``: payouts across exit values, as a table, CSV, JSON or a spreadsheet, and a plot.

Exit values come from ``--from A --to B --step S`` or ``--points P1,P2,...``;
``--breakpoints`` adds a row at every breakpoint and indifference end in range (all
of them with ``--points``). JSON is exact (strings ``Fraction`` parses); the table,
CSV and spreadsheet show decimals: payouts and per-share values exact when they
terminate within 6 places, else rounded half up to 6 places (percentages likewise).
``--plot FILE.png|FILE.svg`` draws each holder's (or class's) payout against the exit
value with the breakpoints marked and labelled by value.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

from charter_oracle.exit_sweep import BY, ExitSweep, exit_points, sweep_exits
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.exact import format_money, parse_amount
from charter_oracle.oracle.interpretations import parse_choices
from charter_oracle.ocf_options import add_ocf_options, ocf_options
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.readable import decimal, money

NAME = "sweep"
FORMATS = ("table", "csv", "json", "xlsx")


def _points(args: argparse.Namespace) -> list[Fraction]:
    ranged = [args.start, args.stop, args.step]
    if args.points is not None:
        if any(v is not None for v in ranged):
            raise InputError("--points goes without --from/--to/--step")
        parts = [p.strip() for p in args.points.split(",")]
        if not parts or any(not p for p in parts):
            raise InputError(f"--points {args.points!r}: expected exit values separated by commas")
        return [parse_amount(p, "--points") for p in parts]
    if any(v is None for v in ranged):
        raise InputError("give --from A --to B --step S, or --points P1,P2,...")
    return exit_points(parse_amount(args.start, "--from"), parse_amount(args.stop, "--to"),
                       parse_amount(args.step, "--step"))


def _wide_rows(result: ExitSweep) -> list[list[str]]:
    header = ["exit value", "marks"]
    for key in result.keys:
        header += [f"{key} payout", f"{key} per share", f"{key} %"]
    rows = [header]
    for row in result.rows:
        line = [decimal(row.proceeds), "; ".join(row.marks)]
        for payout, per_share, pct in zip(row.payouts, result.per_share(row), result.percent(row)):
            line += [decimal(payout), decimal(per_share), decimal(pct)]
        rows.append(line)
    return rows


def as_csv(result: ExitSweep) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(_wide_rows(result))
    return buffer.getvalue()


def as_table(result: ExitSweep) -> str:
    """Long format: one line per exit value and holder (or class), readable in a terminal."""
    lines = []
    for row in result.rows:
        for i, (key, payout, per_share, pct) in enumerate(
                zip(result.keys, row.payouts, result.per_share(row), result.percent(row))):
            lines.append([money(row.proceeds) if i == 0 else "", key, money(payout),
                          decimal(per_share), "" if pct is None else decimal(pct, 4) + "%",
                          "; ".join(row.marks) if i == 0 else ""])
    head = f"{result.charter_id}: payout by {result.by} across {len(result.rows)} exit values"
    choices = "interpretations: " + ", ".join(f"{k}={v}" for k, v in result.interpretations)
    body = _columns(["exit value", result.by, "payout", "per share", "share of exit", "marks"], lines)
    return "\n".join([head, "", body, "", choices]) + "\n"


def _columns(header: list[str], lines: list[list[str]]) -> str:
    """Plain left-aligned columns (tabulate's layout, without its per-cell parsing: 70,000 cells in a
    10,000-point sweep took it seconds)."""
    widths = [max([len(h)] + [len(line[i]) for line in lines]) for i, h in enumerate(header)]
    rule = ["-" * w for w in widths]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
                     for line in [header, rule, *lines])


def as_xlsx(result: ExitSweep) -> bytes:
    from charter_oracle.xlsx import workbook

    rows = _wide_rows(result)
    cells: list[list[Any]] = [list(rows[0])]
    for row in rows[1:]:
        cells.append([("n", v) if i != 1 and v else v for i, v in enumerate(row)])
    return workbook(cells, sheet_name=f"{result.charter_id} by {result.by}")


def plot(result: ExitSweep, knots: list[Fraction], path: Path) -> bytes:
    """Each key's payout against the exit value; payouts become floats only as pixel coordinates."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "charter-oracle"
    matplotlib.rcParams["svg.fonttype"] = "none"
    xs = [float(r.proceeds) / 1e6 for r in result.rows]
    fig, ax = plt.subplots(figsize=(9, 5))
    for i, key in enumerate(result.keys):
        ax.plot(xs, [float(r.payouts[i]) / 1e6 for r in result.rows], label=key, linewidth=1.4)
    top = ax.get_ylim()[1]
    for k in knots:
        ax.axvline(float(k) / 1e6, color="grey", linewidth=0.6, linestyle=":")
        ax.text(float(k) / 1e6, top, format_money(k), rotation=90, fontsize=6, va="top", ha="right", color="grey")
    ax.set_xlabel("exit value ($ millions)")
    ax.set_ylabel("payout ($ millions)")
    ax.set_title(f"{result.charter_id}: payout by {result.by} (dotted: breakpoints)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")  # outside: labels stay readable
    ax.grid(alpha=0.2)
    buffer = io.BytesIO()
    kind = path.suffix.lower().lstrip(".")
    metadata = {"Date": None, "Creator": None} if kind == "svg" else {"Software": None}
    fig.savefig(buffer, format=kind, metadata=metadata, bbox_inches="tight", dpi=120)
    plt.close(fig)
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    """The whole file or nothing: written beside the target under a unique name, then renamed over it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _destination(value: str | None, what: str, suffixes: tuple[str, ...] | None = None) -> Path | None:
    if value is None:
        return None
    path = Path(value)
    if suffixes and path.suffix.lower() not in suffixes:
        raise InputError(f"{what} {value!r}: the file name must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise InputError(f"{what} {value!r}: is a directory, not a file")
    if not path.parent.is_dir():
        raise InputError(f"{what} {value!r}: no such directory {str(path.parent)!r}")
    return path


def run_sweep(args: argparse.Namespace) -> None:
    fmt = "json" if args.json else args.format
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    out = _destination(args.out, "--out")
    if fmt == "xlsx" and out is None:
        raise InputError("--format xlsx writes a file: give --out FILE.xlsx")
    picture = _destination(args.plot, "--plot", (".png", ".svg"))
    points = _points(args)  # every input checked before the charter is loaded or anything computed
    charter, table = load_with_table(args.charter, args.cap_table, parse_choices(args.interpret or []),
                                     **ocf_options(args))
    result = sweep_exits(charter, table, points, by=args.by, breakpoints=args.breakpoints)
    render: dict[str, Callable[[ExitSweep], bytes]] = {
        "json": lambda r: (json.dumps(r.to_json(), indent=2) + "\n").encode(),
        "csv": lambda r: as_csv(r).encode(),
        "table": lambda r: as_table(r).encode(),
        "xlsx": as_xlsx,
    }
    data = render[fmt](result)
    drawing = b""
    if picture is not None:
        # The drawing needs every knot in range, whatever points the table asked for.
        lo, hi = min(points), max(points)
        dense = sweep_exits(charter, table, [lo, hi, *(lo + (hi - lo) * i / 200 for i in range(1, 200))],
                            by=args.by, breakpoints=True)
        drawing = plot(dense, [r.proceeds for r in dense.rows if r.marks], picture)
    if out is not None:
        _write_atomically(out, data)
    else:
        sys.stdout.write(data.decode())
    if picture is not None:
        _write_atomically(picture, drawing)


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    p = sub.add_parser("sweep", help="each holder's or class's payout across exit values (table, CSV, JSON, xlsx, plot)")
    p.add_argument("charter", help="a bundled charter id or the path of a charter file")
    p.add_argument("--cap-table", help="cap-table file or OCF package (default: the bundled reference cap table)")
    add_ocf_options(p)
    p.add_argument("--interpret", action="append", metavar="ID=VALUE")
    p.add_argument("--from", dest="start", metavar="A", help="first exit value")
    p.add_argument("--to", dest="stop", metavar="B", help="last exit value")
    p.add_argument("--step", metavar="S", help="distance between exit values")
    p.add_argument("--points", metavar="P1,P2,...", help="exit values, separated by commas")
    p.add_argument("--breakpoints", action="store_true", help="add a row at every breakpoint and indifference end")
    p.add_argument("--by", default="holder", choices=BY, help="payouts per holder (default) or per class")
    p.add_argument("--format", default="table", choices=FORMATS, help="output format (default: table)")
    p.add_argument("--out", metavar="FILE", help="write the output to FILE (needed for xlsx)")
    p.add_argument("--plot", metavar="FILE", help="also draw the payouts, as FILE.png or FILE.svg")
    p.add_argument("--json", action="store_true", help="the same as --format json")
    return run_sweep
