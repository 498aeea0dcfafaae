"""charter-oracle check: exit statuses, deterministic reports, baseline, JUnit, step summary."""

from __future__ import annotations

import json

import pytest

from charter_oracle.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_common_only_charter_passes_and_reports_not_applicable(capsys, tmp_path):
    status, out, _ = run(capsys, "check", "byzantine-1999", "--out", str(tmp_path))
    assert status == 0 and "check: ok" in out
    report = json.loads((tmp_path / "byzantine-1999.json").read_text())
    verdicts = {row["id"]: row["verdict"] for row in report["invariants"]}
    # a common-only charter: preference invariants are not applicable, never passed
    assert verdicts["preference-priority"] == "not applicable"
    assert verdicts["conservation"] in ("held", "proved")
    assert (tmp_path / "byzantine-1999.svg").read_text().startswith("<?xml")
    assert "byzantine-1999" in (tmp_path / "index.md").read_text()


def test_findings_fail_by_name_and_write_baseline_accepts_them(capsys, tmp_path, monkeypatch):
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


def test_two_runs_write_identical_bytes(capsys, tmp_path):
    for name in ("x", "y"):
        assert run(capsys, "check", "nvidia-1998", "--out", str(tmp_path / name))[0] == 0
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
