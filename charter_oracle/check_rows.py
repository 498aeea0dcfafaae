"""``check``'s rows per charter: the invariant suite's verdicts, replayable counterexamples, and the
solver's proofs merged in (a *proved* verdict replaces *held*), findings fingerprinted against the baseline."""

from __future__ import annotations

import json
import shlex
import sys
from typing import Any

from charter_oracle import baseline as _baseline
from charter_oracle.interrupts import checkpoint
from charter_oracle.report import InvariantRow


class Progress:
    """A live line on a terminal; plain lines otherwise (CI logs)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()

    def say(self, text: str) -> None:
        checkpoint()  # each step is a point where a swallowed interrupt is raised again
        try:  # progress is a courtesy: a closed stderr must not stop the run
            if self.tty:
                sys.stderr.write("\r\033[K" + text)
                sys.stderr.flush()
            else:
                sys.stderr.write(text + "\n")
        except (OSError, ValueError):
            pass

    def done(self) -> None:
        if self.tty:
            self.say("")


def replay(charter_arg: str, example: dict[str, Any] | None, interpret: tuple[str, ...] = ()) -> str:
    """The counterexample as files a user can replay: the cap table, then proceeds or events.

    ``charter_arg`` is the charter as the user named it on the command line (a bundled id or the
    path of their own file), so the printed commands run as written; interpretations chosen with
    ``--interpret`` are repeated.
    """
    if not example:
        return ""
    charter = " ".join([shlex.quote(charter_arg), *(f"--interpret {shlex.quote(i)}" for i in interpret)])
    lines = [f"# cap table (save as cap-table.toml; charter {charter_arg})", example.get("cap_table", "").rstrip()]
    if "proceeds" in example:
        lines += ["", f"# replay: charter-oracle waterfall {charter} --cap-table cap-table.toml --proceeds {example['proceeds']}"]
    if example.get("events"):
        lines += ["", f"# events (save as events.toml; replay: charter-oracle adjust {charter} --cap-table cap-table.toml --events events.toml)"]
        for event in example["events"]:
            lines.append("[[events]]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in event.items()]
    if example.get("params"):
        lines += ["", "# parameters: " + json.dumps(example["params"], sort_keys=True)]
    return "\n".join(lines)


def suite_row(v: Any, charter_id: str, charter_arg: str = "", interpret: tuple[str, ...] = ()) -> dict[str, Any]:
    """One invariant's verdict (``invariants.suite.Verdict``) as a report row, with a replayable counterexample."""
    counts = f"{v.examples} examples, {v.exercised} reached the clause"
    detail = {"held": counts, "vacuous": f"{counts}: nothing was tested", "not applicable": v.reason}.get(
        v.verdict, v.message)
    example = None
    if v.verdict in ("violated", "finding", "error"):
        example = {"explanation": v.message, "replay": replay(charter_arg or charter_id, v.counterexample, interpret),
                   "case": v.counterexample}
        if v.traceback:
            example["traceback"] = v.traceback
    return {"id": v.invariant, "statement": v.statement, "kind": v.kind, "clauses": "; ".join(v.clauses),
            "verdict": v.verdict, "detail": detail, "counterexample": example,
            "examples": v.examples, "exercised": v.exercised}


def merge_proofs(charter_id: str, suite: list[dict[str, Any]], proofs: dict[str, Any], accepted: set[str]) -> list[InvariantRow]:
    """Suite rows with the solver's proofs; findings fingerprinted (``baseline.py``) and matched with the baseline."""
    rows = []
    for item in suite:
        verdict, detail = item["verdict"], item.get("detail", "")
        proof = proofs.get(item["id"])
        if proof and verdict == "held":
            if proof.get("verdict") == "proved":
                # Say exactly what was proved: every exit value, for this cap table, on what it rests.
                rests_on = "; ".join(proof.get("assumptions", [])) or "every exit value >= 0 for this cap table"
                verdict, detail = "proved", f"proved by Z3 over {rests_on}; {detail}"
            elif proof.get("verdict") == "unknown":  # the report says the proof was tried and not finished
                detail = f"{detail}; Z3 could not decide ({proof.get('reason', 'unknown')})"
            elif proof.get("verdict") == "counterexample":
                verdict, detail = "violated", f"Z3 counterexample: {proof.get('witness', proof)}"
        counterexample = item.get("counterexample")
        fp = None
        if verdict in ("finding", "violated"):
            case = (counterexample or {}).get("case")
            stable = _baseline.shape(detail, _baseline.holder_names(case))
            fp = _baseline.fingerprint(charter_id, item["id"], item.get("clauses", ""), stable)
        rows.append(InvariantRow(
            id=item["id"], statement=item.get("statement", ""), kind=item.get("kind", "oracle"),
            clauses=item.get("clauses", ""), verdict=verdict, detail=detail, counterexample=counterexample,
            fingerprint=fp, accepted=bool(fp and verdict == "finding" and fp in accepted),
            examples=item.get("examples", 0), exercised=item.get("exercised", 0),  # kept when a proof replaces held
        ))
    return rows
