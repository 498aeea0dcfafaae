"""``charter-oracle check``: prove, fuzz and search every applicable invariant; write the reports.

Per charter: the invariant suite through Hypothesis, the solver's proofs (a
*proved* verdict replaces *held* where the solver proves an invariant over all
exit values), breakpoints, indifference sets and boundary witnesses, and (with
``--mutants``, the project's own CI) the mutant catalogue's summary (rows: ``check_rows.py``; files: ``check_files.py``). Exit status: 0
when every oracle invariant holds, none crashed (``error``), none is vacuous (examples
ran but none reached its clause) and no finding is new against the baseline, 1
otherwise, 2 for bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from contextlib import ExitStack
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

from charter_oracle import baseline as _baseline
from charter_oracle import output
from charter_oracle.check_files import junit_from_json, write_report_set
from charter_oracle.check_jobs import Done, Unit, Work, default_jobs, parse_jobs, run_units, workers
from charter_oracle.check_rows import Progress, merge_proofs, suite_row
from charter_oracle.interrupts import checkpoint, stoppable
from charter_oracle.oracle import bundled
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import InputError, OutputError
from charter_oracle.oracle.interpretations import parse_choices
from charter_oracle.oracle.exit_options_scope import refuse_cash_exercise
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.ocf_check import consistency_rows
from charter_oracle.ocf_options import add_ocf_options, ocf_options
from charter_oracle.process import keep_status_if_stdout_closes
from charter_oracle.report import CharterReport, EdgeRow, index_from_json
from charter_oracle.solve_command import budget_seconds
from charter_oracle.solver.budget import DEFAULT_SECONDS

NAME = "check"
PROFILES = ("ci", "dev", "thorough")


def _units(loaded: list[tuple[Any, Any, str]], mutants: bool) -> list[Unit]:
    """The run's units in report order: the mutant catalogue, then per charter its solver and its invariants."""
    from charter_oracle.invariants.mutants import MUTANTS
    from charter_oracle.invariants.registry import INVARIANTS

    units = [Unit("mutant", m.id) for m in MUTANTS] if mutants else []
    for index, (charter, _, _) in enumerate(loaded):
        units += [Unit("solver", "solver", index)]  # with the payout curve (nothing to solve without preferred)
        units += [Unit("invariant", inv.id, index) for inv in INVARIANTS]
    return units


class _Run(ExitStack):
    """What a run holds until it ends, however it ends: interrupt handling, a private Hypothesis
    home, and the plan's temporary files (removed on any failure or interrupt)."""

    def start(self, plan: output.Plan) -> output.Plan:
        # Also: a destination that cannot be written exits 3 and an interrupt 130/143, the old
        # reports untouched (``output``); the status reflects the verdicts even if stdout closes.
        keep_status_if_stdout_closes()
        self.callback(plan.discard)
        self.enter_context(stoppable())
        self.enter_context(output.private_hypothesis_home())
        return plan


def run_check(args: argparse.Namespace) -> int:
    with _Run() as run:
        try:
            return _check(args, run)
        except Exception:
            # An interrupt raised inside a library call can come out wrapped in the library's own error
            # (ctypes turns it into ArgumentError inside a Z3 call): if a signal came, it is an interrupt.
            checkpoint()
            raise


def _check(args: argparse.Namespace, run: _Run) -> int:
    if args.merge:
        return _merge_shards(args, run)
    if args.profile not in PROFILES:
        raise InputError(f"--profile {args.profile!r}: expected one of {', '.join(PROFILES)}")
    ids = args.charters or [c for c in bundled.CHARTER_IDS if c != "example-modern"]
    if args.cap_table and len(ids) != 1:
        raise InputError("--cap-table goes with exactly one CHARTER")
    chosen = parse_choices(args.interpret or [])
    budget = budget_seconds(args.solver_budget)
    jobs = parse_jobs(args.jobs) if args.jobs is not None else default_jobs()
    entries = _baseline.read(args.baseline) if args.baseline else ()
    accepted = {e.fingerprint for e in entries}
    loaded = []
    known: set[str] = set()
    for charter_id in ids:  # validate every input before any work or any file is written
        specs = {spec.id for spec in load_charter(charter_id).interpretations}
        known |= specs
        # (interpretations chosen for several charters apply to those that have them)
        charter, table = load_with_table(charter_id, args.cap_table, {k: v for k, v in chosen.items() if k in specs},
                                         **ocf_options(args))
        refuse_cash_exercise(charter, "check")  # oracle/exit_options_scope.py
        loaded.append((charter, table, charter_id))
    unknown = sorted(set(chosen) - known)
    if unknown:
        raise InputError(f"--interpret {unknown[0]}: no such interpretation for the charters checked")
    # Every destination is checked (and the private report directory made) before any work.
    plan = run.start(output.plan(args.out, [entry[0].id for entry in loaded], args.junit, args.write_baseline))
    if args.hypothesis_db:
        from charter_oracle.invariants.profiles import example_database

        if args.profile == "ci":
            raise InputError("--hypothesis-db goes with --profile dev or thorough: the ci profile is derandomized "
                             "and remembers no examples")
        run.enter_context(example_database(_database_directory(args.hypothesis_db)))
    progress = Progress()
    timings: list[str] = []  # per phase, printed after the run (never written into a report)
    units = _units(loaded, args.mutants)
    work = Work(tuple((charter, table) for charter, table, _ in loaded), args.profile, budget)
    wall = time.perf_counter()
    done: dict[Unit, Done] = {}

    def starting(unit: Unit) -> None:
        progress.say("mutant " + unit.name if unit.charter < 0 else f"{loaded[unit.charter][0].id}: {unit.name}")

    for item in run_units(units, work, jobs, starting):  # in this order, whatever the number of jobs
        done[item.unit] = item
    mutants: dict[str, Any] = {}
    if args.mutants:  # the project's own catalogue, about this oracle, not about the charters checked
        from charter_oracle.invariants.mutants import summary

        mutant_units = [u for u in units if u.kind == "mutant"]
        mutants = summary([done[u].result for u in mutant_units])
        timings.append(f"mutant catalogue: {sum(done[u].seconds for u in mutant_units):.1f} s")
    reports: list[CharterReport] = []
    interpret = tuple(args.interpret or ())
    curves: dict[str, str] = {}
    for index, (charter, table, charter_arg) in enumerate(loaded):
        solver = done[Unit("solver", "solver", index)]
        solved, curves[charter.id] = solver.result
        mine = [done[u] for u in units if u.charter == index and u.kind == "invariant"]
        suite = [suite_row(d.result, charter.id, charter_arg, interpret) for d in mine]
        suite += consistency_rows(charter, args.cap_table, **ocf_options(args))  # an OCF package's terms vs the charter
        rows = merge_proofs(charter.id, suite, solved.get("proofs", {}), accepted)
        if args.write_baseline:  # the baseline being written accepts every current finding
            rows = [dataclasses.replace(r, accepted=True) if r.verdict == "finding" else r for r in rows]
        # The solver describes each breakpoint in a replayed witness (what changes, its clause).
        described = {w["values"]["proceeds"]: w for w in solved.get("witnesses", []) if w.get("id") == "breakpoint"}
        edges = tuple(EdgeRow(Fraction(b), described.get(b, {}).get("what", "slope change"), described.get(b, {}).get("cite", ""))
                      for b in solved.get("breakpoints", []))
        indifference = tuple((sid, tuple((Fraction(s["from"]), Fraction(s["to"])) for s in spans))
                             for sid, spans in sorted(solved.get("indifference", {}).items()))
        searches = tuple(w for w in solved.get("witnesses", []) if w.get("id") != "breakpoint")
        reports.append(CharterReport(charter, table, tuple(rows), edges, indifference, searches, mutants))
        oracle = sum(d.oracle for d in mine)
        solver_seconds = solver.seconds
        timings.append(f"{charter.id}: {solver_seconds + sum(d.seconds for d in mine):.1f} s (generation "
                       f"{sum(d.seconds for d in mine) - oracle:.1f} s, oracle {oracle:.1f} s, solver and curve {solver_seconds:.1f} s)")
    used = workers(jobs, len(units))
    timings.append(f"elapsed: {time.perf_counter() - wall:.1f} s with {used} {'job' if used == 1 else 'jobs'} "
                   "(the lines above are CPU seconds)")
    progress.done()
    checkpoint()
    start = time.perf_counter()
    write_report_set(plan, reports, args, curves)
    timings.append(f"reports: {time.perf_counter() - start:.1f} s")
    for line in timings:
        print(line)
    return _verdict_lines(args, reports, entries, mutants)


def _database_directory(value: str) -> Path:
    """``--hypothesis-db``: a directory (made if missing, its parent must exist), never a file."""
    path = Path(value)
    if not value or path.exists() and not path.is_dir():
        raise InputError(f"--hypothesis-db {value!r}: not a directory")
    if not path.parent.is_dir():
        raise InputError(f"--hypothesis-db {value!r}: its parent directory does not exist")
    try:
        path.mkdir(exist_ok=True)
    except OSError as error:
        raise OutputError(f"--hypothesis-db {value!r}: cannot be created ({error.strerror})") from None
    return path


def _merge_shards(args: argparse.Namespace, run: _Run) -> int:
    """``--merge DIR...``: the report sets of several jobs as one, with one index and one exit status."""
    from charter_oracle.merge import read_shards

    if args.charters or args.cap_table or args.baseline or args.write_baseline or args.mutants:
        raise InputError("--merge takes report directories only (with --out, --junit): no CHARTER, --cap-table, "
                         "--baseline, --write-baseline or --mutants; each job applied its own")
    shards = read_shards(args.merge)
    plan = run.start(output.plan(args.out, [s.charter for s in shards], args.junit, None))
    files = {"index.md": index_from_json([s.data for s in shards])}
    for shard in shards:
        for name, data in shard.files().items():
            files[name] = data.decode("utf-8")
    missing = [n for n in plan.names if n not in files]
    if missing:
        raise InputError(f"--merge: {missing[0]!r} is missing beside {shards[0].charter}.json's shard")
    checkpoint()
    output.write_reports(plan, files)
    staged = {}
    if plan.junit is not None:
        staged[output.stage_file(plan, plan.junit, junit_from_json([s.data for s in shards]), "--junit")] = plan.junit
    output.commit(plan, staged)
    output.append_summary(plan, files["index.md"])
    failed = [s.charter for s in shards if s.failed]
    for charter_id in failed:
        print(f"check: FAILED {charter_id} (see {charter_id}.md)")
    print("check: " + (f"FAILED ({len(failed)})" if failed else "ok") + f" (merged {len(shards)} charters into {args.out})")
    return 1 if failed else 0


def _verdict_lines(args: argparse.Namespace, reports: list[CharterReport], entries: tuple[_baseline.Entry, ...],
                   mutants: dict[str, Any]) -> int:
    """Name every failure (charter: invariant), flag stale baseline entries, say how to accept findings.

    Exit 1 when an oracle invariant is violated or crashed, or a finding is new; a baseline just
    written with ``--write-baseline`` accepts the findings, so they no longer fail, but violations
    and errors (bugs, never acceptable) still do. A surviving mutant fails only a ``--mutants`` run.
    """
    failures, new_findings = [], []
    for r in reports:
        for row in r.invariants:
            if row.verdict in ("violated", "error"):
                failures.append(f"{r.charter.id}: {row.id} ({row.verdict})")
            elif row.verdict == "vacuous":  # examples ran and passed, but none reached the clause: nothing tested
                failures.append(f"{r.charter.id}: {row.id} (vacuous: none of its {row.examples} examples "
                                f"reached its clause, {row.clauses})")
            elif row.verdict == "finding" and not row.accepted:
                new_findings.append(f"{r.charter.id}: {row.id} (new finding)")
    found = {row.fingerprint for r in reports for row in r.invariants if row.verdict == "finding" and row.fingerprint}
    for e in _baseline.stale(entries, [r.charter.id for r in reports], found):
        print(f"check: baseline entry no longer occurs: {e.charter}: {e.invariant} ({e.fingerprint})"
              + ("" if e.shape else "; written by an older version: rewrite it with --write-baseline"))
    if mutants.get("survivors"):
        failures.append("mutants: " + ", ".join(mutants["survivors"]) + " survived")
    for line in failures + new_findings:
        print(f"check: FAILED {line}")
    if new_findings:
        print("check: to accept these findings, record them with --write-baseline FILE, then pass --baseline FILE")
    if args.write_baseline:
        print(f"check: baseline written to {args.write_baseline}")
    failed = failures + new_findings
    print("check: " + (f"FAILED ({len(failed)})" if failed else "ok") + f" (reports in {args.out})")
    return 1 if failed else 0


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    p = sub.add_parser("check", help="prove, fuzz and search every invariant; write reports; gate CI")
    p.add_argument("charters", nargs="*", metavar="CHARTER", help="bundled ids or charter files (default: the bundled ones)")
    p.add_argument("--cap-table", help="cap-table file or OCF package (with one CHARTER)")
    add_ocf_options(p)
    p.add_argument("--profile", default="ci", help="ci | dev | thorough")
    p.add_argument("--out", default="reports", help="report directory (default: reports/)")
    p.add_argument("--baseline", help="accepted findings (JSON)")
    p.add_argument("--write-baseline", help="write the current findings as a baseline file")
    p.add_argument("--junit", help="write a JUnit XML file")
    p.add_argument("--interpret", action="append", metavar="ID=VALUE")
    p.add_argument("--solver-budget", metavar="SECONDS", default=str(DEFAULT_SECONDS),
                   help=f"the solver's time limit per charter (default {DEFAULT_SECONDS}); past it proofs are 'unknown'")
    p.add_argument("--jobs", metavar="N", help="worker processes (default: $CHARTER_ORACLE_JOBS, else the CPUs "
                   "available); the reports are the same bytes with any number")
    p.add_argument("--hypothesis-db", metavar="DIR",
                   help="share failing examples across runs and CI jobs in Hypothesis's directory database DIR")
    p.add_argument("--merge", nargs="+", metavar="DIR",
                   help="combine the report directories of several jobs (a CI matrix) into --out: one index, one status")
    p.add_argument("--mutants", action="store_true",
                   help="also run the project's own mutant catalogue (this repository's CI; a survivor fails the run)")
    p.add_argument("--no-mutants", action="store_true",
                   help="accepted for compatibility: the catalogue runs only with --mutants")

    def run(args: argparse.Namespace) -> None:
        status = run_check(args)
        if status:
            raise SystemExit(status)

    return run
