"""``charter-oracle solve``: exact breakpoints, indifference sets, proofs and boundary witnesses (Z3)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.interpretations import parse_choices
from charter_oracle.ocf_options import add_ocf_options, ocf_options
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.solver.budget import DEFAULT_SECONDS

NAME = "solve"


def run_solve(args: argparse.Namespace) -> None:
    from charter_oracle import solver

    charter, table = load_with_table(args.charter, args.cap_table, parse_choices(args.interpret or []),
                                     **ocf_options(args))
    result = solver.solve(charter, table, budget_seconds=budget_seconds(args.solver_budget))
    text = json.dumps(solver.to_json(result), indent=2) if args.json else solver.to_text(result)
    sys.stdout.write(text + "\n")


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    p = sub.add_parser("solve", help="exact breakpoints, indifference sets, proofs and boundary witnesses (Z3)")
    p.add_argument("charter", help="a bundled charter id or the path of a charter file")
    p.add_argument("--cap-table", help="cap-table file or OCF package (default: the bundled reference cap table)")
    add_ocf_options(p)
    p.add_argument("--interpret", action="append", metavar="ID=VALUE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--solver-budget", metavar="SECONDS", default=str(DEFAULT_SECONDS),
                   help=f"time limit for the whole run (default {DEFAULT_SECONDS}); past it what is left is 'unknown'")
    return run_solve


def budget_seconds(value: str) -> int:
    """``--solver-budget``: whole seconds, at least 1 (a time limit, never money: an int is exact enough)."""
    if not value.isascii() or not value.isdigit() or int(value) < 1 or len(value) > 7:
        raise InputError(f"--solver-budget {value!r}: expected a whole number of seconds from 1 to 9999999")
    return int(value)
