"""The conformance corpus: cases where engines go wrong, as language-neutral JSON (docs/engine-protocol.md).

``build(charter_id)`` chooses, for one bundled charter and its default interpretations, the
cap tables and queries where engines differ from the charter, and computes the oracle's
exact answer for each:

* tables: the bundled reference cap table; a probe table (one holder per class, odd
  counts: ``impl_probes.probe_table``); the probe table with each holding split between
  two holders (1/3 and 2/3, so that holders' amounts do not terminate); the vote probe
  tables (a holder of two series whose fractions only add up per holder, a tie of 2.5);
* proceeds: every solver breakpoint and indifference point and one cent either side
  (``solver.geometry``), the probes' points (each tier's quarter points, i.e. shortfalls
  inside a pari passu tier, and its end; each cap binding exactly; the middle of each
  stretch), zero, one cent, far beyond;
* the minimal counterexample of every deliberately buggy engine (``buggy_engines``) that
  can show on the charter, found by the probes alone (deterministic) and minimized; and of
  every mutant of the oracle (``mutants``) that changes a payout or a vote there, found and
  minimized the same way (the mutant's answer against the oracle's);
* each case says why it is there (every reason that chose it) and which clauses its
  answer rests on (the oracle's steps' cites; for votes the voting clause); a case where
  a series deciding as if alone would answer differently, or where several outcomes are
  stable, says so.

``export(out)`` writes ``manifest.json``, ``charters/ID.json`` (the charter's JSON form)
and ``cases/ID.json`` for every bundled charter (``bundled.CHARTER_IDS``: a charter bundled
later joins without a change here), deterministically: same code, same bytes.
``run(corpus, engine_cmd)`` asks an engine every case over the subprocess protocol
(``charter_oracle/conformance_run.py``).

Over 300 lines on purpose: each source of cases (geometry, tiers, vote ties, the buggy engines'
and the mutants' counterexamples) is a short function, and they share the draft/collector; split
apart they would each need the same private helpers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.invariants import buggy_engines as bugs
from charter_oracle.invariants import impl_probes as probes
from charter_oracle.invariants.cases import Case
from charter_oracle.invariants.engine_json import FORM_VERSION, cap_table_to_json, charter_to_json
from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import InputError, OracleError
from charter_oracle.oracle.exact import format_exact
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.oracle.voting import count_votes

PROTOCOL_VERSION = 1
CENT = Fraction(1, 100)


@dataclass
class _Draft:  # mutable on purpose: reasons accumulate while the case is being chosen (cases are plain JSON)
    table: CapTable
    table_name: str
    op: str
    proceeds: Fraction | None
    why: list[str] = field(default_factory=list)


class _Collector:
    """Cases keyed by (table, query), each keeping every reason that chose it, in order of discovery."""

    def __init__(self) -> None:
        self.drafts: dict[tuple[Any, ...], _Draft] = {}

    def add(self, table: CapTable, table_name: str, op: str, proceeds: Fraction | None, why: str) -> None:
        if proceeds is not None and proceeds < 0:
            return
        key = (table, op, proceeds)
        draft = self.drafts.setdefault(key, _Draft(table, table_name, op, proceeds))
        if why not in draft.why:
            draft.why.append(why)


def _split_table(table: CapTable) -> CapTable:
    """Each holding split between two holders, a third and the rest (holders' amounts stop terminating)."""
    holdings: list[Holding] = []
    for h in table.holdings:
        third = h.shares // 3
        if third:
            holdings += [Holding(f"{h.holder} (1)", h.class_id, third), Holding(f"{h.holder} (2)", h.class_id, h.shares - third)]
        else:
            holdings.append(h)
    return CapTable(table.as_of, tuple(holdings), table.options, table.conversion_prices,
                    table.declared_unpaid_dividends, table.issue_dates)


def _tables(charter: Charter, reference: CapTable) -> list[tuple[str, CapTable]]:
    tables = [("reference cap table", reference)]
    probe = probes.probe_table(charter)
    if probe is not None:
        tables.append(("probe table (one holder per class)", probe))
        split = _split_table(probe)
        if probes.valid(split, charter):
            tables.append(("probe table, each class split 1/3 : 2/3 between two holders", split))
    return tables


def _vote_ties(charter: Charter, reference: CapTable) -> list[tuple[str, CapTable]]:
    """Per series: 5 shares and 1 share at twice the conversion price: 5/2 and 1/2 votes (half-up gives 3 and 1,
    half-even 2 and 0)."""
    out = []
    for s in charter.series:
        if s.designated < 6:
            continue
        holdings = (Holding("Tie Holder A", s.id, 5), Holding("Tie Holder B", s.id, 1),
                    Holding("Common Holder", charter.common.id, 3))
        table = CapTable(reference.as_of, holdings, conversion_prices=((s.id, 2 * s.conversion.value),),
                         issue_dates=reference.issue_dates)
        if probes.valid(table, charter):
            out.append((s.id, table))
    return out


def _geometry_points(charter: Charter, table: CapTable) -> list[tuple[Fraction, str]]:
    """The solver's breakpoints and indifference points, each with what happens there."""
    from charter_oracle.solver import geometry

    try:
        found = geometry(charter, table)
    except OracleError:
        return []
    points = []
    for b in found.breakpoints:
        points.append((b.at, "breakpoint: " + "; ".join(f"{what} ({cite})" for what, cite in b.causes)))
    for series_id, intervals in sorted(found.indifference.items()):
        for interval in intervals:
            ends = [interval.lo] if interval.hi is None or interval.hi == interval.lo else [interval.lo, interval.hi]
            for end in ends:
                if end > 0:
                    points.append((end, f"{series_id} indifferent between converting and not (solver)"))
    return points


def _tier_points(charter: Charter, table: CapTable) -> list[tuple[Fraction, str]]:
    """Inside each seniority tier (a shortfall shared within it) and its end."""
    from charter_oracle.oracle.positions import series_positions

    positions = [p for p in series_positions(charter, table) if p.shares]
    out, paid = [], Fraction(0)
    for rank in sorted({p.rank for p in positions}):
        tier = [p for p in positions if p.rank == rank]
        owed = sum((p.preference + p.dividends for p in tier), Fraction(0))
        ids = ", ".join(p.id for p in tier)
        cite = tier[0].series.liquidation.cite
        for k in (1, 2, 3):
            kind = "a shortfall inside the pari passu tier" if len(tier) > 1 else "a shortfall inside the tier"
            out.append((paid + owed * Fraction(k, 4), f"{kind} of rank {rank} ({ids}), {k}/4 paid ({cite})"))
        paid += owed
    return out


def _engine_counterexamples(charter: Charter, reference: CapTable) -> list[tuple[Case, str]]:
    """Each applicable buggy engine's first probe failure, minimized (probes only: deterministic)."""
    from charter_oracle.invariants.impl_check import Checker, Target

    found = []
    for entry in bugs.CATALOGUE:
        applies, _ = entry.applies(charter)
        if not applies:
            continue
        target = Target(charter.id, charter, reference, "ci", entry.rounding)
        for what in ("distribute", "votes"):
            checker = Checker(entry.engine, entry.id, what, target)
            violation = checker.probe()
            if violation is not None and violation.case is not None:
                case = probes.minimize(violation.case, charter, checker._fails)
                found.append((case, f"counterexample of the buggy engine {entry.id}: {entry.mistake}"))
                break
    return found


def _oracle_answer(charter: Charter, case: Case) -> Any:
    """What the oracle (or a mutant of it, inside its patch) answers: holders, or the error it raises."""
    try:
        if case.proceeds is None:
            return tuple((v.holder, v.total) for v in count_votes(charter, case.table).holders)
        return distribute(charter, case.table, case.proceeds).holders
    except OracleError as error:
        return ("refused", str(error))
    except Exception as error:  # a mutant may crash where the oracle answers: a difference too
        return ("crashed", type(error).__name__)


def _mutant_counterexamples(charter: Charter, reference: CapTable) -> list[tuple[Case, str]]:
    """Each oracle mutant's first differing probe (votes first, then exits), minimized: cases a wrong
    engine with the same mistake fails. Mutants of other questions (dilution, consents) find none."""
    from charter_oracle.invariants.mutants import MUTANTS

    candidates = probes.vote_probes(charter, reference) + probes.distribute_probes(charter, reference)
    truth = [_oracle_answer(charter, case) for case in candidates]
    found = []
    for mutant in MUTANTS:
        if charter.id not in mutant.charters:
            continue

        def differs(case: Case, mutant: Any = mutant) -> bool:
            want = _oracle_answer(charter, case)
            with mutant.patch():
                return _oracle_answer(charter, case) != want

        with mutant.patch():
            first = next((c for c, want in zip(candidates, truth) if _oracle_answer(charter, c) != want), None)
        if first is not None:
            found.append((probes.minimize(first, charter, differs),
                          f"counterexample of the oracle mutant {mutant.id}: {mutant.bug}"))
    return found


def _clauses(charter: Charter, draft: _Draft) -> list[str]:
    if draft.op == "votes":
        return [charter.voting.cite]
    d = distribute(charter, draft.table, draft.proceeds or Fraction(0))
    cites = list(dict.fromkeys(s.cite for s in d.steps))
    return cites or [charter.liquidation.cite]


def _annotate_conversion(charter: Charter, draft: _Draft, want: Any) -> None:
    """Say so where the stable outcome differs from each series deciding alone, or where several are stable."""
    if draft.op != "distribute":
        return
    if len(want.stable_outcomes) > 1:
        outcomes = "; ".join("{" + ", ".join(sorted(o)) + "}" for o in want.stable_outcomes)
        draft.why.append(f"several stable conversion outcomes ({outcomes}): all.equilibrium pays the first")
    try:
        alone = bugs.CONVERSION_AS_IF_ALONE.distribute_loaded(charter, draft.table, draft.proceeds or Fraction(0))
    except OracleError:
        return
    if {h: Fraction(a) for h, a in alone.items()} != dict(want.holders):  # type: ignore[arg-type]
        draft.why.append("conversions stable only jointly: a series deciding as if no other converted gets this wrong")


def build(charter_id: str) -> tuple[Charter, list[dict[str, Any]]]:
    """The charter (default interpretations) and its cases, in a fixed order."""
    charter, reference = load_with_table(charter_id)
    collect = _Collector()
    tables = _tables(charter, reference)
    for name, table in tables:
        collect.add(table, name, "votes", None, f"votes on the {name}")
    for name, table in [(f"vote probe table {i + 1}", t) for i, t in enumerate(probes.vote_probe_tables(charter))]:
        collect.add(table, name, "votes", None, "votes whose fractions only add up per holder, or a tie of one half")
    for series_id, table in _vote_ties(charter, reference):
        collect.add(table, f"vote tie table ({series_id})", "votes", None,
                    f"a tie: {series_id} converting into exactly n + 1/2 votes, rounded {charter.voting.tie} "
                    f"({charter.voting.cite})")
    for name, table in tables:
        for at, why in _geometry_points(charter, table):
            collect.add(table, name, "distribute", at, why)
            collect.add(table, name, "distribute", at - CENT, f"one cent below: {why}")
            collect.add(table, name, "distribute", at + CENT, f"one cent above: {why}")
        for at, why in _tier_points(charter, table):
            collect.add(table, name, "distribute", at, why)
        for at in probes.probe_proceeds(charter, table):
            collect.add(table, name, "distribute", at, "probe point (between breakpoints, at zero, a cent, far beyond)")
    for case, why in _engine_counterexamples(charter, reference) + _mutant_counterexamples(charter, reference):
        collect.add(case.table, "minimal counterexample table", "distribute" if case.proceeds is not None else "votes",
                    case.proceeds, why)
    cases = []
    first: dict[CapTable, int] = {}
    for i, d in enumerate(collect.drafts.values()):
        first.setdefault(d.table, i)
    # Grouped by table (in order of discovery), votes first, then by proceeds.
    drafts = sorted(collect.drafts.values(), key=lambda d: (first[d.table], d.op != "votes", d.proceeds or 0))
    for draft in drafts:
        try:
            cases.append(_case(charter, draft, len(cases) + 1))
        except OracleError:
            continue  # the oracle refuses the case (no stable outcome): nothing for an engine to match
    return charter, cases


def _case(charter: Charter, draft: _Draft, number: int) -> dict[str, Any]:
    if draft.op == "votes":
        count = count_votes(charter, draft.table)
        expected: dict[str, Any] = {"holders": {v.holder: str(v.total) for v in count.holders}}
        query: dict[str, Any] = {"op": "votes"}
    else:
        assert draft.proceeds is not None
        want = distribute(charter, draft.table, draft.proceeds)
        _annotate_conversion(charter, draft, want)
        expected = {"holders": {h: format_exact(a) for h, a in want.holders},
                    "converted": sorted(want.converted)}
        query = {"op": "distribute", "proceeds": format_exact(draft.proceeds)}
    return {"id": f"{charter.id}/{number:04d}", "charter": charter.id, "table": draft.table_name,
            "cap_table": cap_table_to_json(draft.table), "query": query, "expected": expected,
            "clauses": _clauses(charter, draft), "why": "; ".join(draft.why)}


# --- writing and reading the corpus ------------------------------------------------------------

def _dump(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _cases_text(charter_id: str, cases: list[dict[str, Any]]) -> str:
    """One case per line (diffs stay readable), in a JSON object."""
    lines = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in cases]
    return f'{{"charter":{json.dumps(charter_id)},"cases":[\n' + ",\n".join(lines) + "\n]}\n"


def corpus_files(charter_ids: Iterable[str] = bundled.CHARTER_IDS) -> dict[str, str]:
    """Every file of the corpus, path -> text (computed in full before anything is written)."""
    files: dict[str, str] = {}
    charters: dict[str, Any] = {}
    by_clause: dict[str, int] = {}
    total = 0
    for charter_id in charter_ids:
        charter, cases = build(charter_id)
        files[f"charters/{charter_id}.json"] = _dump(charter_to_json(charter))
        files[f"cases/{charter_id}.json"] = _cases_text(charter_id, cases)
        ops: dict[str, int] = {}
        for case in cases:
            ops[case["query"]["op"]] = ops.get(case["query"]["op"], 0) + 1
            for clause in case["clauses"]:
                key = f"{charter_id} {clause}"
                by_clause[key] = by_clause.get(key, 0) + 1
        charters[charter_id] = {"charter": f"charters/{charter_id}.json", "cases": f"cases/{charter_id}.json",
                                "count": len(cases), "by_op": dict(sorted(ops.items())),
                                "interpretations_in_force": dict(charter.chosen)}
        total += len(cases)
    manifest = {"corpus": "charter-oracle conformance corpus", "version": CORPUS_VERSION,
                "engine_protocol": PROTOCOL_VERSION, "json_form": FORM_VERSION,
                "note": "expected answers under the interpretations in force listed per charter (the defaults); "
                        "amounts are exact strings (a decimal, or p/q); docs/engine-protocol.md",
                "total": total, "charters": charters, "by_clause": dict(sorted(by_clause.items()))}
    files["manifest.json"] = _dump(manifest)
    return files


def export(out: Path, charter_ids: Iterable[str] = bundled.CHARTER_IDS) -> dict[str, Any]:
    """Write the corpus under ``out`` (files of charters no longer bundled removed); the manifest."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {str(out)!r}: exists and is not a directory")
    files = corpus_files(charter_ids)
    for sub in ("charters", "cases"):
        folder = out / sub
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.json"):
            if f"{sub}/{stale.name}" not in files:
                stale.unlink()
    for path, text in sorted(files.items()):
        (out / path).write_text(text, encoding="utf-8")
    return json.loads(files["manifest.json"])


# Reading a corpus and running an engine over it: charter_oracle/conformance_run.py (re-exported here).
from charter_oracle.conformance_run import CORPUS_VERSION, CaseResult, RunResult, load_corpus, run  # noqa: E402

__all__ = ["CORPUS_VERSION", "CaseResult", "RunResult", "build", "corpus_files", "export", "load_corpus", "run"]
