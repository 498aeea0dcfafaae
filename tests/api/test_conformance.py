"""The conformance corpus and the commands over it: ``conformance export|run`` and ``conform``.

The full corpus is regenerated and compared with the committed one by CI (.ci/run); here one
charter's part is, so that a stale corpus also fails the test suite.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from charter_oracle import conformance
from _cli import run

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "conformance"
PYTHON_ENGINE = f"{sys.executable} {ROOT / 'examples' / 'python_engine.py'}"


def wrapped(engine_id: str) -> str:
    return f"{sys.executable} -m charter_oracle.invariants.engine_wrapper {engine_id}"



def test_the_committed_corpus_is_large_enough_and_counted_right() -> None:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == conformance.CORPUS_VERSION
    from charter_oracle.oracle import bundled
    assert list(manifest["charters"]) == list(bundled.CHARTER_IDS)  # every bundled charter, in order
    assert manifest["total"] == sum(e["count"] for e in manifest["charters"].values()) >= 500
    _, _, cases = conformance.load_corpus(CORPUS)
    assert len(cases) == manifest["total"]
    by_clause: dict[str, int] = {}
    for case in cases:
        for clause in case["clauses"]:
            by_clause[f"{case['charter']} {clause}"] = by_clause.get(f"{case['charter']} {clause}", 0) + 1
    assert by_clause == manifest["by_clause"]
    whys = " ".join(c["why"] for c in cases)
    for kind in ("breakpoint:", "one cent below", "one cent above", "a shortfall inside the pari passu tier",
                 "participation cap reached", "conversions stable only jointly", "a tie of one half",
                 "counterexample of the buggy engine shortfall-by-shares",
                 "counterexample of the oracle mutant pari-passu-in-sequence"):
        assert kind in whys, kind


@pytest.mark.parametrize("charter_id", ["byzantine-1999"])  # all of them: .ci/run (about 7 s)
def test_the_committed_corpus_is_what_export_writes_now(charter_id: str) -> None:
    files = conformance.corpus_files([charter_id])
    for name in (f"cases/{charter_id}.json", f"charters/{charter_id}.json"):
        assert (CORPUS / name).read_text(encoding="utf-8") == files[name], (
            f"conformance/{name} is stale: run charter-oracle conformance export --out conformance")


def test_export_is_deterministic_and_removes_what_is_no_longer_bundled(tmp_path: Path) -> None:
    (tmp_path / "a" / "cases").mkdir(parents=True)
    (tmp_path / "a" / "cases" / "gone-1990.json").write_text("{}")
    conformance.export(tmp_path / "a", ["byzantine-1999"])
    conformance.export(tmp_path / "b", ["byzantine-1999"])
    names = sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*.json"))
    assert names == ["cases/byzantine-1999.json", "charters/byzantine-1999.json", "manifest.json"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_the_python_example_engine_passes_every_case(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "conformance", "run", str(CORPUS), "--engine-cmd", PYTHON_ENGINE)
    total = json.loads((CORPUS / "manifest.json").read_text())["total"]
    assert (status, err) == (0, "")
    assert f"{total}/{total} cases pass" in out and "FAIL" not in out
    assert "nvidia-1998     IV.D.2(A)" in out  # the pass table, by charter and clause


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_node_example_engine_passes_every_case() -> None:
    result = conformance.run(CORPUS, f"node {ROOT / 'examples' / 'node_engine.js'}")
    assert result.ok, [r.message for r in result.results if not r.passed][:3]


def test_a_buggy_engine_fails_the_corpus_with_its_clause(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "conformance", "run", str(CORPUS), "--engine-cmd", wrapped("shortfall-by-shares"),
                         "--json")
    assert status == 1
    report = json.loads(out)
    failing = {row["clause"] for row in report["by_clause"] if row["passed"] < row["cases"]}
    assert "IV.B.2(b): A-1 and A-2 pari passu after Series B" in failing  # example-modern's pari passu tier
    assert "IV.D.2(A)" in failing  # nvidia's one tier of four series
    assert report["failures"][0]["message"]


def test_conform_exit_statuses(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "conform", "byzantine-1999", "--engine-cmd", PYTHON_ENGINE)
    assert status == 0 and "distribute: agrees with charter-oracle on byzantine-1999" in out
    status, out, _ = run(capsys, "conform", "nvidia-1998", "--engine-cmd", wrapped("conversion-as-if-alone"),
                         "--out", str(tmp_path), "--json")
    report = json.loads(out)
    assert status == 1 and report["ok"] is False
    assert "IV.D.3(A)" in report["checks"]["distribute"]["message"]  # the conversion clause, named
    assert report["checks"]["votes"] == "agrees"
    status, out, err = run(capsys, "conform", "nvidia-1998", "--engine-cmd", "/nonexistent/engine")
    assert (status, out) == (2, "") and err.count("\n") == 1 and "cannot start" in err


@pytest.mark.parametrize("argv", [
    ["conformance", "run", "/nonexistent/corpus", "--engine-cmd", "x"],
    ["conformance", "run", str(CORPUS), "--engine-cmd", "x", "--timeout", "-1"],
    ["conform", "nvidia-1998", "--engine-cmd", "x", "--timeout", "soon"],
])
def test_bad_input_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "") and err.count("\n") == 1 and err.startswith("charter-oracle: ")


def test_export_refuses_a_file_as_its_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    status, out, err = run(capsys, "conformance", "export", "--out", str(target))
    assert (status, out) == (2, "") and "is not a directory" in err
    assert target.read_text() == "x"
