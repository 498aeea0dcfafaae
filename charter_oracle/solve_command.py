"""``charter-oracle solve``: exact breakpoints, indifference sets, proofs and boundary witnesses (Z3)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.interpretations import parse_choices

NAME = "solve"


def run_solve(args: argparse.Namespace) -> None:
    from charter_oracle import solver
    charter = load_charter(args.charter, parse_choices(args.interpret or []))
    path = args.cap_table or bundled.reference_cap_table(args.charter)
    if path is None:
        raise InputError(f"charter {args.charter!r} is not bundled: give its cap table with --cap-table FILE")
    table = load_cap_table(path, charter)
    result = solver.solve(charter, table)
    text = json.dumps(solver.to_json(result), indent=2) if args.json else solver.to_text(result)
    sys.stdout.write(text + "\n")


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    p = sub.add_parser("solve", help="exact breakpoints, indifference sets, proofs and boundary witnesses (Z3)")
    p.add_argument("charter", help="a bundled charter id or the path of a charter file")
    p.add_argument("--cap-table", help="cap-table file (default: the bundled reference cap table)")
    p.add_argument("--interpret", action="append", metavar="ID=VALUE")
    p.add_argument("--json", action="store_true")
    return run_solve
