"""``charter-oracle conformance export --out DIR`` and ``conformance run DIR --engine-cmd "CMD"``.

* ``export``: the corpus of every bundled charter (``charter_oracle.conformance``), deterministic bytes.
* ``run``: every case asked of the engine over the subprocess protocol; a pass table by clause;
  exit 0 only if every case passes (1 otherwise, 2 for bad input).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from tabulate import tabulate

NAME = "conformance"
EXIT_DIFFERS = 1


def _timeout(value: str) -> float:
    from charter_oracle.invariants.engine_process import parse_timeout

    return parse_timeout(value, "--timeout")


def _exit(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], None]:
    """The command line's contract: a status other than 0 leaves as SystemExit (as ``check`` does)."""
    def run(args: argparse.Namespace) -> None:
        status = command(args)
        if status:
            raise SystemExit(status)
    return run


def run_conformance(args: argparse.Namespace) -> int:
    from charter_oracle import conformance

    if args.action == "export":
        manifest = conformance.export(Path(args.out))
        counts = ", ".join(f"{cid} {entry['count']}" for cid, entry in manifest["charters"].items())
        sys.stdout.write(f"conformance corpus v{manifest['version']}: {manifest['total']} cases ({counts}) "
                         f"written to {args.out}\n")
        return 0
    result = conformance.run(Path(args.corpus), args.engine_cmd, _timeout(args.timeout))
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), indent=2) + "\n")
        return 0 if result.ok else EXIT_DIFFERS
    rows = [[c, clause, f"{p}/{n}", "ok" if p == n else "FAIL"] for c, clause, p, n in result.by_clause()]
    passed = sum(r.passed for r in result.results)
    lines = [tabulate(rows, ["charter", "clause", "passed", ""], disable_numparse=True), "",
             f"{passed}/{len(result.results)} cases pass ({args.engine_cmd})"]
    failures = [r for r in result.results if not r.passed]
    for r in failures[:20]:
        lines.append(f"FAIL {r.id} [{'; '.join(r.clauses)}]: {r.message}")
    if len(failures) > 20:
        lines.append(f"... and {len(failures) - 20} more failures (--json lists them all)")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0 if result.ok else EXIT_DIFFERS


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    c = sub.add_parser("conformance", help="the conformance corpus: export it, or run an engine over it")
    actions = c.add_subparsers(dest="action", required=True, parser_class=type(c))
    e = actions.add_parser("export", help="write the corpus of every bundled charter")
    e.add_argument("--out", required=True, metavar="DIR")
    r = actions.add_parser("run", help="ask an engine every case; a pass table by clause")
    r.add_argument("corpus", metavar="DIR")
    r.add_argument("--engine-cmd", required=True, metavar="CMD")
    r.add_argument("--timeout", default="10", metavar="SECONDS", help="per request (default 10)")
    r.add_argument("--json", action="store_true")
    return _exit(run_conformance)


