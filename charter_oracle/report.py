"""Invariant reports: Markdown for people, JSON for machines, an SVG of the payout curves.

A report is built from plain data (``CharterReport``) gathered by the check
command: the charter's terms with their clauses, the cap table and the
interpretations in force, one verdict per invariant, the solver's breakpoints and
indifference sets, and the mutant catalogue's summary. Writing is deterministic:
no timestamps, no timings, sorted keys where order is not meaningful, and an SVG
with a fixed hash salt and no date.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from tabulate import tabulate as _tabulate

from charter_oracle.escape import code_fence, code_span, for_markdown
from charter_oracle.oracle.cap_table import CapTable, cap_table_to_toml
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import format_exact, format_money
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.report_extras import extra_terms_lines, grant_lines

VERDICTS = ("proved", "held", "vacuous", "violated", "finding", "not applicable", "unknown", "error")


@dataclass(frozen=True)
class InvariantRow:
    id: str
    statement: str
    kind: str  # "oracle" | "charter-property"
    clauses: str
    verdict: str  # one of VERDICTS
    detail: str  # examples run, reason, proof method...
    counterexample: dict[str, Any] | None = None
    fingerprint: str | None = None
    accepted: bool = False  # a finding accepted by the baseline
    examples: int = 0  # examples generated
    exercised: int = 0  # of them, those that reached the invariant's clause (0 with examples: vacuous)


@dataclass(frozen=True)
class EdgeRow:
    exit_value: Fraction
    what: str
    clause: str


@dataclass(frozen=True)
class CharterReport:
    charter: Charter
    table: CapTable
    invariants: tuple[InvariantRow, ...]
    breakpoints: tuple[EdgeRow, ...]
    indifference: tuple[tuple[str, tuple[tuple[Fraction, Fraction], ...]], ...]
    witnesses: tuple[dict[str, Any], ...]
    mutants: dict[str, Any]
    notes: tuple[str, ...] = field(default=())

    @property
    def failed(self) -> bool:
        """Exit status 1: an oracle invariant violated or vacuous (nothing tested), an invariant crashed,
        or a finding not in the baseline."""
        return any(r.verdict in ("violated", "vacuous", "error") or (r.verdict == "finding" and not r.accepted)
                   for r in self.invariants)

    @property
    def vacuous(self) -> tuple[InvariantRow, ...]:
        return tuple(r for r in self.invariants if r.verdict == "vacuous")


def tabulate(rows: Any, headers: Any, tablefmt: str = "simple") -> str:
    """tabulate, escaping every Markdown (github) cell: names come from input files.

    Shadowing the import makes escaping the default for every report table, present and
    future; the index's links to report files pass as they are (``escape.for_markdown``).
    """
    if tablefmt == "github":
        rows = [[for_markdown(cell) for cell in row] for row in rows]
        headers = [for_markdown(h) for h in headers]
    return _tabulate(rows, headers, tablefmt=tablefmt)


def terms_rows(charter: Charter, table: CapTable) -> list[list[str]]:
    """The charter's terms at a glance, one row per class, each with its clause."""
    rows = [[charter.common.id, f"{charter.common.authorized:,} authorized", "residual", "-", "-", "-", charter.common.cite]]
    for s in charter.series:
        p = s.participation
        if p.kind == "capped":
            legs = []
            if p.cap_per_share is not None:
                legs.append(f"${format_exact(p.cap_per_share)}")
            if p.interest_rate is not None:
                legs.append(f"{format_exact(p.interest_rate * 100)}% simple on ${format_exact(p.interest_principal or 0)}")
            participation = "capped at the lesser of " + " and ".join(legs) + (" incl. preference" if p.cap_includes_preference else "")
        else:
            participation = p.kind
        rows.append([
            s.id,
            f"{s.designated:,} designated",
            f"${format_exact(s.liquidation.preference)}/share, rank {s.liquidation.rank} ({s.liquidation.cite})",
            f"{participation} ({p.cite})",
            f"{format_exact(s.conversion.value)} / {format_exact(table.conversion_price(charter, s.id))} ({s.conversion.cite})",
            f"{s.dilution.method} ({s.dilution.cite})",
            s.cite,
        ])
    return rows


def payout_curve_svg(charter: Charter, table: CapTable, breakpoints: list[Fraction]) -> str:
    """Each class's payout against the exit value, breakpoints marked, as deterministic SVG text.

    Payouts are exact; they become floats only here, as pixel coordinates of a drawing.
    The curves are piecewise linear between breakpoints, so evaluating the oracle at
    the breakpoints (and between them) draws them exactly.
    """
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "charter-oracle"
    matplotlib.rcParams["svg.fonttype"] = "none"
    top = max(breakpoints, default=Fraction(0))
    if top == 0:
        top = Fraction(10_000_000)
    xs = sorted({Fraction(0), *breakpoints, top * Fraction(3, 2)} | {b * Fraction(1, 2) for b in breakpoints})
    # Midpoints between consecutive points keep the lines honest between breakpoints.
    xs = sorted(set(xs) | {(a + b) / 2 for a, b in zip(xs, xs[1:])})
    series: dict[str, list[Fraction]] = {cid: [] for cid in charter.class_ids}
    for x in xs:
        result = distribute(charter, table, x)
        for cid, amount in result.classes:
            series[cid].append(amount)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for cid, amounts in series.items():
        ax.plot([float(x) / 1e6 for x in xs], [float(a) / 1e6 for a in amounts], label=cid, linewidth=1.5)
    for b in breakpoints:
        ax.axvline(float(b) / 1e6, color="grey", linewidth=0.5, linestyle=":")
    ax.set_xlabel("exit value ($ millions)")
    ax.set_ylabel("payout ($ millions)")
    ax.set_title(f"{charter.id}: payout by class (dotted: breakpoints)")
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.2)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _snippet(counterexample: dict[str, Any] | None) -> str:
    if not counterexample:
        return ""
    body = counterexample.get("replay") or json.dumps(counterexample, indent=2, sort_keys=True)
    fence = code_fence(body)  # a name with ``` in it cannot close the block early
    return f"{fence}toml\n{body}\n{fence}"


def to_markdown(report: CharterReport) -> str:
    c, t = report.charter, report.table
    out = [f"# {for_markdown(c.name)} (`{c.id}`)", "", f"Source: {code_span(c.source)}, dated {c.date.isoformat()}.", ""]
    out += ["## Terms at a glance", "", tabulate(
        terms_rows(c, t), ["class", "shares", "preference", "participation", "conversion value / price", "dilution", "clause"],
        tablefmt="github"), ""]
    out += extra_terms_lines(c, t, tabulate)  # redemption and pay-to-play (charter_oracle/report_extras.py)
    out += ["## Cap table and interpretations", "", f"As of {t.as_of.isoformat()}.", "", tabulate(
        [[h.holder, h.class_id, f"{h.shares:,}"] for h in t.holdings], ["holder", "class", "shares"], tablefmt="github"), ""]
    if t.options:
        out += [tabulate([[o.holder, f"{o.shares:,}", format_exact(o.exercise_price)] for o in t.options],
                         ["options holder", "shares", "exercise price"], tablefmt="github"), ""]
    out += grant_lines(c, t, tabulate)  # warrants and vested options (charter_oracle/report_extras.py)
    out += [tabulate(list(c.chosen), ["interpretation", "value in force"], tablefmt="github"), ""]
    # A table that fits a screen (verdicts and counts), then each invariant's statement, clauses and
    # detail as a list below it: long prose in table cells made rows hundreds of characters wide.
    out += ["## Invariants", "", tabulate(
        [[r.id, r.verdict + (" (accepted)" if r.accepted else ""), r.examples if r.examples else "",
          r.exercised if r.examples else ""] for r in report.invariants],
        ["invariant", "verdict", "examples", "reached the clause"], tablefmt="github"), ""]
    out += ["### What each invariant says, and its verdict in detail", ""]
    for r in report.invariants:
        kind = {"charter-property": "charter property", "data-consistency": "data consistency"}.get(r.kind, "oracle invariant")
        out.append(f"- `{r.id}` ({kind}): {for_markdown(r.statement)}")
        if r.clauses:
            out.append(f"  Clauses: {for_markdown(r.clauses)}.")
        if r.detail:
            out.append(f"  {r.verdict.capitalize()}: {for_markdown(r.detail)}")
    out.append("")
    for r in report.invariants:
        if r.verdict in ("violated", "finding", "error") and r.counterexample:
            out += [f"### {r.verdict.capitalize()}: `{r.id}`", "", for_markdown(r.counterexample.get("explanation", "")), ""]
            if r.counterexample.get("case"):
                out += [_snippet(r.counterexample), ""]
            if r.counterexample.get("traceback"):  # a crash is a bug in charter-oracle: the traceback is the report
                out += ["```text", r.counterexample["traceback"].rstrip(), "```", ""]
    out += ["## Edges: breakpoints and indifference", "", f"![payout by class]({c.id}.svg)", ""]
    if report.breakpoints:
        out += [tabulate([[format_money(b.exit_value), format_exact(b.exit_value), b.what, b.clause] for b in report.breakpoints],
                         ["exit value", "exact", "what changes", "clause"], tablefmt="github"), ""]
    else:
        out += ["No breakpoints: every class's payout is linear in the exit value.", ""]
    rows = [[sid, "point" if a == b else "interval", format_exact(a), format_exact(b)]
            for sid, spans in report.indifference for a, b in spans]
    if rows:
        out += [tabulate(rows, ["series", "kind", "from", "to"], tablefmt="github"), ""]
    if report.witnesses:
        out += ["### Boundary and rounding witnesses", "", tabulate(
            [[w.get("id", ""), w.get("what", ""), "agrees" if w.get("agrees") else "DISAGREES", w.get("cite", "")]
             for w in report.witnesses],
            ["search", "witness", "oracle replay", "clause"], tablefmt="github"), ""]
    m = report.mutants
    if m:
        out += ["## Mutant catalogue", "", f"{m.get('killed', 0)} of {m.get('total', 0)} deliberately wrong oracles killed by the suite"
                + (f"; survivors: {for_markdown(', '.join(m['survivors']))}" if m.get("survivors") else "") + ".", ""]
    for note in report.notes:
        out += [f"> {for_markdown(note)}", ""]
    return "\n".join(out).rstrip() + "\n"


def to_json(report: CharterReport) -> dict[str, Any]:
    c, t = report.charter, report.table
    return {
        "charter": c.id,
        "cap_table": cap_table_to_toml(t),
        "interpretations": dict(c.chosen),
        "invariants": [
            {"id": r.id, "statement": r.statement, "kind": r.kind, "clauses": r.clauses, "verdict": r.verdict,
             "detail": r.detail, "counterexample": r.counterexample, "fingerprint": r.fingerprint, "accepted": r.accepted,
             "examples": r.examples, "exercised": r.exercised}
            for r in report.invariants
        ],
        "breakpoints": [{"exit_value": format_exact(b.exit_value), "what": b.what, "clause": b.clause} for b in report.breakpoints],
        "indifference": {sid: [{"from": format_exact(a), "to": format_exact(b)} for a, b in spans] for sid, spans in report.indifference},
        "witnesses": list(report.witnesses),
        "mutants": report.mutants,
        "failed": report.failed,
    }


def index_markdown(reports: list[CharterReport]) -> str:
    return index_from_json([to_json(r) for r in reports])


def index_from_json(reports: list[dict[str, Any]]) -> str:
    """The index from the per-charter JSON reports: the same table whether one run wrote them all or
    several CI jobs each wrote some (``check --merge``)."""
    rows = []
    for r in reports:
        counts = {v: sum(1 for row in r["invariants"] if row["verdict"] == v) for v in VERDICTS}
        rows.append([f"[{r['charter']}]({r['charter']}.md)", counts["proved"], counts["held"], counts["vacuous"],
                     counts["violated"], counts["finding"], counts["not applicable"], counts["unknown"], counts["error"],
                     len(r.get("breakpoints", ())), "FAIL" if r["failed"] else "ok"])
    table = tabulate(rows, ["charter", "proved", "held", "vacuous", "violated", "finding", "not applicable", "unknown",
                            "error", "breakpoints", "status"], tablefmt="github")
    mutants = next((r["mutants"] for r in reports if r.get("mutants")), {})
    tail = ""
    if mutants:
        tail = (f"\nMutant catalogue: {mutants.get('killed', 0)} of {mutants.get('total', 0)} deliberately wrong oracles "
                "killed by the suite.\n")
    return "# charter-oracle invariant reports\n\n" + table + "\n" + tail
