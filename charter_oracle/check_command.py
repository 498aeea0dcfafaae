"""``charter-oracle check``: prove, fuzz and search every applicable invariant; write the reports.

Per charter: the invariant suite through Hypothesis, the solver's proofs (a
*proved* verdict replaces *held* where the solver proves an invariant over all
exit values), breakpoints, indifference sets and boundary witnesses, and the
mutant catalogue's summary. Exit status: 0 when every oracle invariant holds, none
is vacuous (examples ran but none reached its clause) and no finding is new against
the baseline, 1 otherwise, 2 for bad input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape, quoteattr

from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.interpretations import parse_choices

from charter_oracle.report import (
    CharterReport,
    EdgeRow,
    InvariantRow,
    index_markdown,
    payout_curve_svg,
    to_json,
    to_markdown,
)

NAME = "check"
PROFILES = ("ci", "dev", "thorough")


class _Progress:
    """A live line on a terminal; plain lines otherwise (CI logs)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()

    def say(self, text: str) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K" + text)
            sys.stderr.flush()
        else:
            sys.stderr.write(text + "\n")

    def done(self) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K")


def fingerprint(charter_id: str, invariant: str, clauses: str) -> str:
    """A stable id for a finding's class: the charter, the invariant and the clauses that cause it.

    Not the shrunk example itself, which may differ between Hypothesis versions: a
    baseline accepts "this property fails on this charter for this clause".
    """
    return hashlib.sha256(f"{charter_id}|{invariant}|{clauses}".encode()).hexdigest()[:16]


def _replay(charter_id: str, example: dict[str, Any] | None) -> str:
    """The counterexample as files a user can replay: the cap table, then proceeds or events."""
    if not example:
        return ""
    lines = [f"# cap table (save as cap-table.toml; charter {charter_id})", example.get("cap_table", "").rstrip()]
    if "proceeds" in example:
        lines += ["", f"# replay: charter-oracle waterfall {charter_id} --cap-table cap-table.toml --proceeds {example['proceeds']}"]
    if example.get("events"):
        lines += ["", f"# events (save as events.toml; replay: charter-oracle adjust {charter_id} --cap-table cap-table.toml --events events.toml)"]
        for event in example["events"]:
            lines.append("[[events]]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in event.items()]
    if example.get("params"):
        lines += ["", "# parameters: " + json.dumps(example["params"], sort_keys=True)]
    return "\n".join(lines)


def _suite_rows(charter, table, profile: str, progress: _Progress) -> list[dict[str, Any]]:
    from charter_oracle.invariants.registry import INVARIANTS
    from charter_oracle.invariants.suite import run_invariant

    rows = []
    for invariant in INVARIANTS:
        progress.say(f"{charter.id}: {invariant.id}")
        v = run_invariant(invariant, charter, table, profile)
        counts = f"{v.examples} examples, {v.exercised} reached the clause"
        detail = {"held": counts, "vacuous": f"{counts}: nothing was tested", "not applicable": v.reason}.get(
            v.verdict, v.message)
        example = None
        if v.verdict in ("violated", "finding"):
            example = {"explanation": v.message, "replay": _replay(charter.id, v.counterexample), "case": v.counterexample}
        rows.append({"id": v.invariant, "statement": v.statement, "kind": v.kind, "clauses": "; ".join(v.clauses),
                     "verdict": v.verdict, "detail": detail, "counterexample": example,
                     "examples": v.examples, "exercised": v.exercised})
    return rows


def _solver(charter, table) -> dict[str, Any]:
    from charter_oracle.solver import solve, to_json as solver_json

    return solver_json(solve(charter, table))


def _mutants(profile: str) -> dict[str, Any]:
    from charter_oracle.invariants.mutants import run_mutants

    return run_mutants(profile)


def _merge(charter_id: str, suite: list[dict[str, Any]], proofs: dict[str, Any], accepted: set[str]) -> list[InvariantRow]:
    rows = []
    for item in suite:
        verdict, detail = item["verdict"], item.get("detail", "")
        proof = proofs.get(item["id"])
        if proof and verdict == "held":
            if proof.get("verdict") == "proved":
                verdict, detail = "proved", f"proved over all exit values by Z3; {detail}"
            elif proof.get("verdict") == "counterexample":
                verdict, detail = "violated", f"Z3 counterexample: {proof.get('witness', proof)}"
        counterexample = item.get("counterexample")
        fp = fingerprint(charter_id, item["id"], item.get("clauses", "")) if verdict in ("finding", "violated") else None
        rows.append(InvariantRow(
            id=item["id"], statement=item.get("statement", ""), kind=item.get("kind", "oracle"),
            clauses=item.get("clauses", ""), verdict=verdict, detail=detail, counterexample=counterexample,
            fingerprint=fp, accepted=bool(fp and verdict == "finding" and fp in accepted),
            examples=item.get("examples", 0), exercised=item.get("exercised", 0),  # kept when a proof replaces held
        ))
    return rows


def run_check(args: argparse.Namespace) -> int:
    if args.profile not in PROFILES:
        raise InputError(f"--profile {args.profile!r}: expected one of {', '.join(PROFILES)}")
    ids = args.charters or [c for c in bundled.CHARTER_IDS if c != "example-modern"]
    if args.cap_table and len(ids) != 1:
        raise InputError("--cap-table goes with exactly one CHARTER")
    chosen = parse_choices(args.interpret or [])
    accepted = _read_baseline(args.baseline) if args.baseline else set()
    loaded = []
    known: set[str] = set()
    for charter_id in ids:  # validate every input before any work or any file is written
        specs = {spec.id for spec in load_charter(charter_id).interpretations}
        known |= specs
        charter = load_charter(charter_id, {k: v for k, v in chosen.items() if k in specs})
        path = args.cap_table or bundled.reference_cap_table(charter_id)
        if path is None:
            raise InputError(f"charter {charter_id!r} is not bundled: give its cap table with --cap-table FILE")
        loaded.append((charter, load_cap_table(path, charter)))
    unknown = sorted(set(chosen) - known)
    if unknown:
        raise InputError(f"--interpret {unknown[0]}: no such interpretation for the charters checked")
    progress = _Progress()
    timings: list[tuple[str, float]] = []
    mutants: dict[str, Any] = {}
    if not args.no_mutants:
        progress.say("mutant catalogue")
        mutants = _mutants(args.profile)
    reports: list[CharterReport] = []
    for charter, table in loaded:
        start = time.perf_counter()
        progress.say(f"{charter.id}: solver")
        solved = _solver(charter, table) if charter.series else {"breakpoints": [], "indifference": {}, "proofs": {}, "witnesses": []}
        suite = _suite_rows(charter, table, args.profile, progress)
        rows = _merge(charter.id, suite, solved.get("proofs", {}), accepted)
        # The solver describes each breakpoint in a replayed witness (what changes, its clause).
        described = {w["values"]["proceeds"]: w for w in solved.get("witnesses", []) if w.get("id") == "breakpoint"}
        edges = tuple(EdgeRow(Fraction(b), described.get(b, {}).get("what", "slope change"), described.get(b, {}).get("cite", ""))
                      for b in solved.get("breakpoints", []))
        indifference = tuple((sid, tuple((Fraction(s["from"]), Fraction(s["to"])) for s in spans))
                             for sid, spans in sorted(solved.get("indifference", {}).items()))
        searches = tuple(w for w in solved.get("witnesses", []) if w.get("id") != "breakpoint")
        reports.append(CharterReport(charter, table, tuple(rows), edges, indifference, searches, mutants))
        timings.append((charter.id, time.perf_counter() - start))
    progress.done()
    _write(Path(args.out), reports)
    if args.write_baseline:
        _write_baseline(Path(args.write_baseline), reports)
    if args.junit:
        Path(args.junit).write_text(_junit(reports))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(index_markdown(reports))
    for charter_id, seconds in timings:
        print(f"{charter_id}: {seconds:.1f} s")
    for r in reports:
        for row in r.vacuous:
            print(f"{r.charter.id}: {row.id} is vacuous: none of its {row.examples} examples reached its clause "
                  f"({row.clauses})")
    failed = [r.charter.id for r in reports if r.failed]
    if mutants.get("survivors"):
        failed.append("mutants: " + ", ".join(mutants["survivors"]))
    print("check: " + ("FAILED: " + "; ".join(failed) if failed else "ok") + f" (reports in {args.out})")
    return 1 if failed else 0


def _write(out: Path, reports: list[CharterReport]) -> None:
    """Write every file only after everything is computed; nothing half-written on failure."""
    files: dict[str, str] = {"index.md": index_markdown(reports)}
    for r in reports:
        files[f"{r.charter.id}.md"] = to_markdown(r)
        files[f"{r.charter.id}.json"] = json.dumps(to_json(r), indent=2, sort_keys=True) + "\n"
        files[f"{r.charter.id}.svg"] = payout_curve_svg(r.charter, r.table, [b.exit_value for b in r.breakpoints])
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            temp = out / f".{name}.tmp"
            temp.write_text(text, encoding="utf-8")
            temp.replace(out / name)
    except OSError as error:
        raise InputError(f"--out {str(out)!r}: cannot write ({error.strerror})") from None


def _read_baseline(path: str) -> set[str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {item["fingerprint"] for item in data["accepted"]}
    except FileNotFoundError:
        raise InputError(f"--baseline {path!r}: no such file") from None
    except (ValueError, KeyError, TypeError):
        raise InputError(f"--baseline {path!r}: not a baseline file (expected {{\"accepted\": [...]}})") from None


def _write_baseline(path: Path, reports: list[CharterReport]) -> None:
    accepted = [{"charter": r.charter.id, "invariant": row.id, "fingerprint": row.fingerprint}
                for r in reports for row in r.invariants if row.verdict == "finding"]
    path.write_text(json.dumps({"accepted": accepted}, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _junit(reports: list[CharterReport]) -> str:
    cases = []
    failures = 0
    for r in reports:
        for row in r.invariants:
            name = quoteattr(row.id)
            body = ""
            if row.verdict in ("violated", "vacuous") or (row.verdict == "finding" and not row.accepted):
                failures += 1
                text = json.dumps(row.counterexample, indent=2, sort_keys=True) if row.counterexample else row.detail
                body = f'<failure message={quoteattr(row.verdict + ": " + row.statement)}>{escape(text)}</failure>'
            elif row.verdict == "not applicable":
                body = f"<skipped message={quoteattr(row.detail)}/>"
            cases.append(f'  <testcase classname={quoteattr(r.charter.id)} name={name}>{body}</testcase>')
    total = len(cases)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<testsuite name="charter-oracle" tests="{total}" failures="{failures}">\n' + "\n".join(cases) + "\n</testsuite>\n")


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    p = sub.add_parser("check", help="prove, fuzz and search every invariant; write reports; gate CI")
    p.add_argument("charters", nargs="*", metavar="CHARTER", help="bundled ids or charter files (default: the bundled ones)")
    p.add_argument("--cap-table", help="cap-table file (with one CHARTER)")
    p.add_argument("--profile", default="ci", help="ci | dev | thorough")
    p.add_argument("--out", default="reports", help="report directory (default: reports/)")
    p.add_argument("--baseline", help="accepted findings (JSON)")
    p.add_argument("--write-baseline", help="write the current findings as a baseline file")
    p.add_argument("--junit", help="write a JUnit XML file")
    p.add_argument("--interpret", action="append", metavar="ID=VALUE")
    p.add_argument("--no-mutants", action="store_true", help="skip the mutant catalogue (faster; reports omit it)")

    def run(args: argparse.Namespace) -> None:
        status = run_check(args)
        if status:
            raise SystemExit(status)

    return run
