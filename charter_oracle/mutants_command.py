"""``charter-oracle mutants [--json]``: run the invariant suite against every mutant of the oracle.

Prints ``{"total": N, "killed": K, "survivors": [ids]}`` as JSON (with ``--json``
also each mutant's killing charter and invariant); exits 1 when a mutant survives.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

NAME = "mutants"


def register(subparsers: Any) -> Callable[[argparse.Namespace], None]:
    parser = subparsers.add_parser(NAME, help="run the invariant suite against the mutant catalogue")
    parser.add_argument("--json", action="store_true", help="also list which invariant killed each mutant")
    parser.add_argument("--oracle-profile", default="ci", choices=("ci", "dev", "thorough"))
    parser.add_argument("--only", action="append", metavar="MUTANT_ID", help="run only these mutants (repeatable)")
    return run


def run(args: argparse.Namespace) -> None:
    from charter_oracle.invariants.mutants import BY_ID, MUTANTS, run_mutants
    from charter_oracle.oracle.errors import InputError

    chosen = MUTANTS
    if args.only:
        unknown = [m for m in args.only if m not in BY_ID]
        if unknown:
            raise InputError(f"--only {unknown[0]!r}: no such mutant (known: {', '.join(sorted(BY_ID))})")
        chosen = tuple(BY_ID[m] for m in args.only)
    summary = run_mutants(args.oracle_profile, chosen)
    payload: dict[str, Any] = {k: summary[k] for k in ("total", "killed", "survivors")}
    if args.json:
        payload["results"] = summary["results"]
    sys.stdout.write(json.dumps(payload, indent=2 if args.json else None) + "\n")
    if summary["survivors"]:
        raise SystemExit(1)
