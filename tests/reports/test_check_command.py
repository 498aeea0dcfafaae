"""charter-oracle check: exit statuses, deterministic reports, baseline, JUnit, step summary."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import settings

from _cli import run
from charter_oracle.cli import main
from charter_oracle.invariants import registry, suite

CORPUS = Path(__file__).resolve().parents[1] / "user_charters"


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ci profile with 10 examples: the whole pipeline, every invariant, a fifth of the examples."""
    original = suite.profile_settings
    monkeypatch.setattr(suite, "profile_settings", lambda name: settings(original(name), max_examples=10))


@pytest.fixture
def findings_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the invariants whose findings a test is about, and one that holds (the full suite on
    every bundled charter is tests/invariants/test_suite_bundled.py's job)."""
    wanted = {"split-round-trip", "vote-tie-independence", "conservation"}
    monkeypatch.setattr(registry, "INVARIANTS", tuple(i for i in registry.INVARIANTS if i.id in wanted))




@pytest.fixture(scope="module")
def byzantine(tmp_path_factory):  # type: ignore[no-untyped-def]
    """One ci-profile check of byzantine-1999, read by the two tests below: (status, stdout, report directory)."""
    out_dir = tmp_path_factory.mktemp("byzantine")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["check", "byzantine-1999", "--out", str(out_dir)])
    return status, stdout.getvalue(), out_dir


def test_common_only_charter_passes_and_reports_not_applicable(byzantine):
    status, out, tmp_path = byzantine
    assert status == 0 and "check: ok" in out
    report = json.loads((tmp_path / "byzantine-1999.json").read_text())
    verdicts = {row["id"]: row["verdict"] for row in report["invariants"]}
    # a common-only charter: preference invariants are not applicable, never passed
    assert verdicts["preference-priority"] == "not applicable"
    assert verdicts["conservation"] in ("held", "proved")
    assert (tmp_path / "byzantine-1999.svg").read_text().startswith("<?xml")
    assert "byzantine-1999" in (tmp_path / "index.md").read_text()


def test_findings_fail_by_name_and_write_baseline_accepts_them(capsys, tmp_path, monkeypatch, findings_only, quick):
    # (both findings show within 10 examples: the test is about naming, baselines and reports, not about search)
    out1, out2 = tmp_path / "a", tmp_path / "b"
    baseline = tmp_path / "baseline.json"
    status, out, _ = run(capsys, "check", "infinity-1996", "--out", str(out1), "--junit", str(tmp_path / "j1.xml"))
    assert status == 1  # findings are new without a baseline: each named, with how to accept them
    for invariant in ("split-round-trip", "vote-tie-independence"):
        assert f"check: FAILED infinity-1996: {invariant} (new finding)" in out
    assert "--write-baseline FILE" in out
    junit = (tmp_path / "j1.xml").read_text()
    assert "<failure" in junit and 'name="split-round-trip"' in junit

    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    status, out, _ = run(capsys, "check", "infinity-1996", "--out", str(out2), "--write-baseline", str(baseline))
    assert status == 0 and "check: ok" in out and f"baseline written to {baseline}" in out
    accepted = json.loads(baseline.read_text())["accepted"]
    assert {"split-round-trip", "vote-tie-independence"} <= {a["invariant"] for a in accepted}
    assert "| [infinity-1996](infinity-1996.md)" in summary.read_text()
    md = (out2 / "infinity-1996.md").read_text()
    # accepted findings are listed as accepted, each with a replayable cap table / events snippet
    assert "finding (accepted)" in md and "save as cap-table.toml" in md and "[[events]]" in md
    assert "charter-oracle adjust infinity-1996 --cap-table cap-table.toml --events events.toml" in md


def test_two_runs_write_identical_bytes(capsys, tmp_path, quick):
    # A small user charter (one series, weighted average to the cent) whose findings (split-round-trip,
    # reservation-sufficient) fail both runs alike, with counterexamples, breakpoints and a payout curve.
    # At 10 examples per invariant (``quick``): every invariant, the solver and every report file, twice;
    # .ci/run compares a full-profile run of the bundled charters with the committed reports byte for byte.
    wa_cents = (str(CORPUS / "wa-cents.toml"), "--cap-table", str(CORPUS / "wa-cents.cap-table.toml"))
    statuses = {run(capsys, "check", *wa_cents, "--out", str(tmp_path / name), "--no-mutants")[0] for name in "xy"}
    assert statuses == {1}
    assert {f.name for f in (tmp_path / "x").iterdir()} == {"index.md", "wa-cents.json", "wa-cents.md", "wa-cents.svg"}
    for file in sorted((tmp_path / "x").iterdir()):
        assert file.read_bytes() == (tmp_path / "y" / file.name).read_bytes(), file.name


@pytest.mark.parametrize("argv, needle", [
    (["check", "no-such-charter"], "no-such-charter"),
    (["check", "--profile", "nightly"], "--profile"),
    (["check", "infinity-1996", "nvidia-1998", "--cap-table", "x.toml"], "exactly one CHARTER"),
    (["check", "infinity-1996", "--baseline", "/nonexistent.json"], "--baseline"),
    (["check", "infinity-1996", "--interpret", "nope.x=y"], "nope.x"),
])
def test_bad_input_is_one_line_and_status_2(capsys, tmp_path, argv, needle):
    status, out, err = run(capsys, *argv, "--out", str(tmp_path / "r"))
    assert status == 2 and out == "" and needle in err and err.count("\n") == 1
    assert not (tmp_path / "r").exists()  # nothing half-written


def test_report_gives_examples_and_exercised_per_invariant(byzantine):
    status, _, tmp_path = byzantine
    rows = {row["id"]: row for row in json.loads((tmp_path / "byzantine-1999.json").read_text())["invariants"]}
    assert status == 0
    ran = rows["monotone-continuous"]
    assert ran["verdict"] in ("held", "proved") and ran["examples"] == 50 and 1 <= ran["exercised"] <= 50
    assert f"{ran['exercised']} reached the clause" in ran["detail"]
    assert (rows["preference-priority"]["examples"], rows["preference-priority"]["exercised"]) == (0, 0)  # not applicable


def test_vacuous_invariant_fails_check_and_is_named(capsys, tmp_path, monkeypatch):
    """An invariant whose examples pass without reaching its clause tested nothing: exit 1, named on the console."""
    import dataclasses

    from charter_oracle.invariants import registry

    blind = dataclasses.replace(registry.BY_ID["vote-rounding"], check=lambda charter, case: None)
    monkeypatch.setattr(registry, "INVARIANTS", (registry.BY_ID["conservation"], blind))
    status, out, _ = run(capsys, "check", "byzantine-1999", "--out", str(tmp_path), "--no-mutants",
                         "--junit", str(tmp_path / "j.xml"))
    assert status == 1 and "check: FAILED (1)" in out
    assert "check: FAILED byzantine-1999: vote-rounding (vacuous: none of its 50 examples reached its clause" in out
    rows = {row["id"]: row for row in json.loads((tmp_path / "byzantine-1999.json").read_text())["invariants"]}
    assert (rows["vote-rounding"]["verdict"], rows["vote-rounding"]["exercised"]) == ("vacuous", 0)
    assert rows["conservation"]["verdict"] in ("held", "proved")
    md = (tmp_path / "byzantine-1999.md").read_text()
    assert re.search(r"\| vote-rounding +\| vacuous +\| +50 \| +0 \|", md), md
    assert "  Vacuous: 50 examples, 0 reached the clause: nothing was tested" in md
    assert '<failure message="vacuous' in (tmp_path / "j.xml").read_text()


def test_a_proof_keeps_the_example_counts():
    from charter_oracle.check_rows import merge_proofs as _merge

    suite = [{"id": "conservation", "verdict": "held", "detail": "50 examples, 46 reached the clause",
              "examples": 50, "exercised": 46, "clauses": "IV.2"},
             {"id": "monotone-continuous", "verdict": "vacuous", "detail": "d", "examples": 50, "exercised": 0}]
    proofs = {"conservation": {"verdict": "proved"}, "monotone-continuous": {"verdict": "proved"}}
    proved, vacuous = _merge("x", suite, proofs, set())
    assert (proved.verdict, proved.examples, proved.exercised) == ("proved", 50, 46)
    assert "46 reached the clause" in proved.detail
    assert (vacuous.verdict, vacuous.examples, vacuous.exercised) == ("vacuous", 50, 0)  # a proof does not hide it
