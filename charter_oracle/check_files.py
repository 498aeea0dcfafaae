"""``check``'s files: the report set (Markdown, JSON, SVG, index), the baseline and JUnit XML, written
through ``output`` (the whole set privately, then swapped in: complete or not at all)."""

from __future__ import annotations

import argparse
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from charter_oracle import baseline as _baseline
from charter_oracle import output
from charter_oracle.report import CharterReport, index_markdown, payout_curve_svg, to_json, to_markdown  # noqa: F401 (the
# curve is drawn through this module's name, which tests replace to skip drawing)


def write_report_set(plan: output.Plan, reports: list[CharterReport], args: argparse.Namespace,
                     curves: dict[str, str]) -> None:
    """Write the whole set privately, then swap it in (``output``): complete or not at all. ``curves``: each
    charter's payout curve as SVG text (``payout_curve_svg``, drawn by ``check`` in its workers)."""
    files: dict[str, str] = {"index.md": index_markdown(reports)}
    for r in reports:
        files[f"{r.charter.id}.md"] = to_markdown(r)
        files[f"{r.charter.id}.json"] = json.dumps(to_json(r), indent=2, sort_keys=True) + "\n"
        files[f"{r.charter.id}.svg"] = curves[r.charter.id]
    output.write_reports(plan, files)
    staged = {}
    if plan.baseline is not None:
        staged[output.stage_file(plan, plan.baseline, baseline_text(reports), "--write-baseline")] = plan.baseline
    if plan.junit is not None:
        staged[output.stage_file(plan, plan.junit, junit_xml(reports), "--junit")] = plan.junit
    output.commit(plan, staged)
    output.append_summary(plan, index_markdown(reports))


def baseline_text(reports: list[CharterReport]) -> str:
    """Every current finding as an accepted entry (violations and errors are bugs: never listed)."""
    entries = [_baseline.Entry(r.charter.id, row.id, row.fingerprint or "", row.clauses,
                               _baseline.shape(row.detail, _baseline.holder_names((row.counterexample or {}).get("case"))))
               for r in reports for row in r.invariants if row.verdict == "finding"]
    return _baseline.dumps(entries)


def junit_xml(reports: list[CharterReport]) -> str:
    return junit_from_json([to_json(r) for r in reports])


def junit_from_json(reports: list[dict[str, Any]]) -> str:
    """One testcase per charter x invariant, from the JSON reports (so a merge of shards writes the same)."""
    cases = []
    failures = errors = 0
    for r in reports:
        for row in r["invariants"]:
            name = quoteattr(row["id"])
            body = ""
            if row["verdict"] == "error":  # JUnit's own word for a test that crashed rather than failed
                errors += 1
                text = (row.get("counterexample") or {}).get("traceback") or row["detail"]
                body = f'<error message={quoteattr("error: " + row["detail"])}>{escape(text)}</error>'
            elif (row["verdict"] in ("violated", "vacuous")
                  or (row["verdict"] == "finding" and not row.get("accepted"))):
                failures += 1
                example = row.get("counterexample")
                text = json.dumps(example, indent=2, sort_keys=True) if example else row["detail"]
                body = f'<failure message={quoteattr(row["verdict"] + ": " + row["statement"])}>{escape(text)}</failure>'
            elif row["verdict"] == "not applicable":
                body = f"<skipped message={quoteattr(row['detail'])}/>"
            cases.append(f'  <testcase classname={quoteattr(r["charter"])} name={name}>{body}</testcase>')
    total = len(cases)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<testsuite name="charter-oracle" tests="{total}" failures="{failures}" errors="{errors}">\n'
            + "\n".join(cases) + "\n</testsuite>\n")
