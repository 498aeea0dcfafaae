"""``charter-oracle conform CHARTER --engine-cmd "CMD"``: an engine in any language checked on one charter.

The plugin's engine check (probes, Hypothesis, a minimized counterexample, classes first with
their clauses) over the subprocess protocol of docs/engine-protocol.md (``charter_oracle.conform``).
Exit 0 when the engine agrees, 1 when it differs (or crashes, hangs, answers out of protocol),
2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from charter_oracle.conformance_command import EXIT_DIFFERS, _exit, _timeout

NAME = "conform"


def run_conform(args: argparse.Namespace) -> int:
    from charter_oracle.conform import conform
    from charter_oracle.oracle.interpretations import parse_choices

    result = conform(args.charter, args.engine_cmd, cap_table=args.cap_table,
                     interpret=parse_choices(args.interpret or []), profile=args.profile, rounding=args.rounding,
                     timeout=_timeout(args.timeout), out=Path(args.out) if args.out else None)
    sys.stdout.write((json.dumps(result.to_json(), indent=2) if args.json else result.text()) + "\n")
    return 0 if result.ok else EXIT_DIFFERS


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    p = sub.add_parser("conform", help="check an engine in any language against the oracle (subprocess protocol)")
    p.add_argument("charter", help="a bundled charter id or the path of a charter file")
    p.add_argument("--engine-cmd", required=True, metavar="CMD", help="the engine's command (docs/engine-protocol.md)")
    p.add_argument("--cap-table", help="cap-table file (default: the bundled reference cap table)")
    p.add_argument("--interpret", action="append", metavar="ID=VALUE", help="choose an interpretation (repeatable)")
    p.add_argument("--profile", default="ci", choices=("ci", "dev", "thorough"), help="Hypothesis settings profile")
    p.add_argument("--rounding", default="exact", choices=("exact", "cents"),
                   help="exact: every amount equals the oracle's; cents: whole cents within a cent, summing up")
    p.add_argument("--timeout", default="10", metavar="SECONDS", help="per request (default 10)")
    p.add_argument("--out", metavar="DIR", help="where the counterexample cap table goes (default: a temporary directory)")
    p.add_argument("--json", action="store_true")

    return _exit(run_conform)
