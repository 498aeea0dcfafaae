"""The solver's answers as JSON (exact strings that ``Fraction`` parses back) and as a table."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from tabulate import tabulate

from charter_oracle.oracle.exact import format_exact, format_money
from charter_oracle.solver.solve import SolveResult
from charter_oracle.solver.witness import Value


def _value(value: Value) -> Any:
    if isinstance(value, bool) or isinstance(value, str):
        return value
    return format_exact(value)


def to_json(result: SolveResult) -> dict[str, Any]:
    indifference: dict[str, list[dict[str, Any]]] = {}
    for sid, intervals in result.indifference:
        rows = []
        for interval in intervals:
            row: dict[str, Any] = {"from": format_exact(interval.lo),
                                   "to": None if interval.hi is None else format_exact(interval.hi)}
            if interval.lo_open:
                row["from_open"] = True
            if interval.hi_open:
                row["to_open"] = True
            rows.append(row)
        indifference[sid] = rows
    proofs: dict[str, dict[str, Any]] = {}
    for proof in result.proofs:
        entry: dict[str, Any] = {"verdict": proof.verdict, "statement": proof.statement, "cites": list(proof.cites)}
        if proof.reason:
            entry["reason"] = proof.reason
        if proof.witness:
            entry["witness"] = {name: _value(v) for name, v in proof.witness}
        if proof.assumptions:
            entry["assumptions"] = list(proof.assumptions)
        proofs[proof.invariant] = entry
    out: dict[str, Any] = {
        "charter": result.charter_id,
        "interpretations": dict(result.interpretations),
        "breakpoints": [format_exact(b.at) for b in result.breakpoints],
        "indifference": indifference,
        "proofs": proofs,
        "witnesses": [
            {"id": w.id, "cite": w.cite, "what": w.what, "values": {k: _value(v) for k, v in w.values},
             "expected": w.expected, "oracle": w.oracle, "agrees": w.agrees, "replayed": w.replayed}
            for w in result.witnesses
        ],
    }
    if result.incomplete:  # only when the budget stopped something: complete runs keep their bytes
        out["incomplete"] = list(result.incomplete)
    return out


def _money(value: Fraction) -> str:
    return f"{format_money(value)} ({format_exact(value)})" if value.denominator != 1 else format_money(value)


def to_text(result: SolveResult) -> str:
    rows: list[tuple[Fraction, int, str, str, str]] = []
    for b in result.breakpoints:
        slopes = ", ".join(f"{c.class_id} {c.before}->{c.after}" for c in b.changes)
        rows.append((b.at, 0, _money(b.at), "; ".join(w for w, _ in b.causes) + f" [slope {slopes}]",
                     "; ".join(dict.fromkeys(c for _, c in b.causes))))
    for sid, intervals in result.indifference:
        for i in intervals:
            if i.is_point:
                where, what = _money(i.lo), f"{sid} indifferent: preference = conversion"
            else:
                hi = "no upper end" if i.hi is None else _money(i.hi)
                where = f"{_money(i.lo)} .. {hi}"
                what = f"{sid} indifferent on the whole interval"
            rows.append((i.lo, 1, where, what, _cite(result, sid)))
    rows.sort(key=lambda r: (r[0], r[1]))
    parts = [f"{result.charter_name} ({result.charter_id})",
             "interpretations: " + ", ".join(f"{k}={v}" for k, v in result.interpretations),
             "",
             tabulate([r[2:] for r in rows], headers=["exit value", "what happens there", "clause"]) if rows
             else ("no breakpoints computed: the time budget stopped the sweep" if result.incomplete
                   else "no breakpoints: every class is paid pro rata over all exit values"),
             "",
             tabulate([(p.invariant, p.verdict, ", ".join(f"{k}={_value(v)}" for k, v in p.witness) or p.reason,
                        "; ".join(p.cites)) for p in result.proofs],
                      headers=["invariant", "verdict", "witness / reason", "clause"]),
             "",
             tabulate([(w.id, w.what, "agrees" if w.agrees else "DISAGREES", w.cite)
                       for w in result.witnesses if w.id not in ("breakpoint", "indifference")],
                      headers=["search", "witness", "oracle replay", "clause"])]
    if result.incomplete:
        parts += ["", "INCOMPLETE (solver budget):", *result.incomplete]
    if result.failures:
        parts += ["", "SOLVER/ORACLE DISAGREEMENTS:", *result.failures]
    return "\n".join(parts) + "\n"


def _cite(result: SolveResult, series_id: str) -> str:
    for w in result.witnesses:
        if w.id == "indifference" and dict(w.values).get("series") == series_id:
            return w.cite
    return ""
