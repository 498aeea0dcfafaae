"""Running an engine over a conformance corpus: each case asked over the subprocess protocol
(docs/engine-protocol.md), the answers compared exactly, a pass table by clause.

``load_corpus`` reads a corpus written by ``charter_oracle.conformance.export``; ``run`` starts the
engine once and asks it every case; ``RunResult.by_clause`` is the table ``conformance run`` prints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.oracle.errors import InputError

CORPUS_VERSION = 1  # the corpus format this reader knows (charter_oracle.conformance writes it)


def load_corpus(folder: Path) -> tuple[dict[str, Any], dict[str, str], list[dict[str, Any]]]:
    """The manifest, each charter's JSON text (compact, as sent) and every case, in manifest order."""
    def read(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise InputError(f"corpus {str(folder)!r}: cannot read {path.name}: {error.strerror or error}") from None
        except ValueError as error:
            raise InputError(f"corpus {str(folder)!r}: {path.name} is not JSON: {error}") from None

    manifest = read(folder / "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("version") != CORPUS_VERSION:
        raise InputError(f"corpus {str(folder)!r}: manifest.json is not a version-{CORPUS_VERSION} corpus manifest")
    charters: dict[str, str] = {}
    cases: list[dict[str, Any]] = []
    for charter_id, entry in manifest["charters"].items():
        charters[charter_id] = json.dumps(read(folder / entry["charter"]), separators=(",", ":"))
        cases += read(folder / entry["cases"])["cases"]
    return manifest, charters, cases


@dataclass(frozen=True)
class CaseResult:
    id: str
    charter: str
    clauses: tuple[str, ...]
    passed: bool
    message: str  # empty when passed


@dataclass(frozen=True)
class RunResult:
    engine: str
    results: tuple[CaseResult, ...]

    @property
    def ok(self) -> bool:
        return all(r.passed for r in self.results)

    def by_clause(self) -> list[tuple[str, str, int, int]]:
        """(charter, clause, passed, cases), in the corpus's order of first appearance."""
        table: dict[tuple[str, str], list[int]] = {}
        for r in self.results:
            for clause in r.clauses:
                row = table.setdefault((r.charter, clause), [0, 0])
                row[0] += r.passed
                row[1] += 1
        return [(c, clause, p, n) for (c, clause), (p, n) in table.items()]

    def to_json(self) -> dict[str, Any]:
        return {"engine": self.engine, "ok": self.ok, "cases": len(self.results),
                "passed": sum(r.passed for r in self.results),
                "by_clause": [{"charter": c, "clause": k, "passed": p, "cases": n} for c, k, p, n in self.by_clause()],
                "failures": [{"id": r.id, "clauses": list(r.clauses), "message": r.message}
                             for r in self.results if not r.passed]}


def _compare(case: dict[str, Any], got: dict[str, str]) -> str:
    """Empty if the answer is the expected one; else what differs, first holders first."""
    want = case["expected"]["holders"]
    extra = sorted(set(got) - set(want))
    if extra:
        return f"paid {extra[0]!r}, who is not in the cap table"
    wrong = [f"{h}: engine {got.get(h, '0')}, expected {v}" for h, v in want.items()
             if Fraction(got.get(h, "0")) != Fraction(v)]
    return "; ".join(wrong[:3]) + (f"; and {len(wrong) - 3} more" if len(wrong) > 3 else "")


def run(folder: Path, engine_cmd: str, timeout: float = 10.0) -> RunResult:
    """Every case of the corpus asked of the engine behind ``engine_cmd``."""
    from charter_oracle.invariants.engine_process import ProcessEngine
    from charter_oracle.oracle.errors import EngineError

    _, charters, cases = load_corpus(folder)
    results = []
    with ProcessEngine(engine_cmd, timeout).start() as engine:
        for case in cases:
            query = case["query"]
            what = f"case {case['id']}, {query['op']}" + (f" at {query['proceeds']}" if "proceeds" in query else "")
            try:
                got = engine.send(query["op"], charters[case["charter"]], case["cap_table"], query.get("proceeds"), what)
                message = _compare(case, got)
            except EngineError as error:
                message = str(error)
            results.append(CaseResult(case["id"], case["charter"], tuple(case["clauses"]), not message, message))
    return RunResult(engine_cmd, tuple(results))


