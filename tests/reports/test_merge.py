"""check --merge: the reports of a CI matrix (one charter per job) merge into the set one run writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from charter_oracle.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "user_charters"
USER = [str(CORPUS / "common-only-one-holder.toml"), "--cap-table", str(CORPUS / "common-only-one-holder.cap-table.toml")]


def _check(out: Path, *argv: str) -> int:
    return main(["check", *argv, "--out", str(out)])


@pytest.fixture(scope="module")
def byzantine_shard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One job's report directory for byzantine-1999, checked once; each test copies it (``_shard``)."""
    out = tmp_path_factory.mktemp("shard") / "byzantine"
    assert _check(out, "byzantine-1999") == 0
    return out


def _shard(byzantine_shard: Path, where: Path) -> Path:
    shutil.copytree(byzantine_shard, where)
    return where


def test_merged_shards_are_the_single_run_byte_for_byte(tmp_path: Path, byzantine_shard: Path) -> None:
    _shard(byzantine_shard, tmp_path / "one")
    assert _check(tmp_path / "two", *USER) == 0
    assert main(["check", "--merge", str(tmp_path / "one"), str(tmp_path / "two"), "--out", str(tmp_path / "merged"),
                 "--junit", str(tmp_path / "merged.xml")]) == 0
    # the same two charters checked in one run (the user's charter needs its own --cap-table, so
    # the single run is assembled from the two shards' own files plus one index over both)
    merged = {p.name: p.read_bytes() for p in (tmp_path / "merged").iterdir()}
    for shard in ("one", "two"):
        for p in (tmp_path / shard).iterdir():
            if p.name != "index.md":
                assert merged[p.name] == p.read_bytes(), p.name
    index = merged["index.md"].decode()
    assert "[byzantine-1999](byzantine-1999.md)" in index and "[common-only-one-holder]" in index
    assert index.index("byzantine-1999") < index.index("common-only-one-holder")  # sorted, whatever the order given
    junit = (tmp_path / "merged.xml").read_text()
    assert junit.count("<testcase ") == sum(len(json.loads(merged[n])["invariants"])
                                            for n in ("byzantine-1999.json", "common-only-one-holder.json"))


def test_one_failed_shard_fails_the_merge(tmp_path: Path, capsys: pytest.CaptureFixture[str], byzantine_shard: Path) -> None:
    _shard(byzantine_shard, tmp_path / "one")
    report = tmp_path / "one" / "byzantine-1999.json"
    data = json.loads(report.read_text())
    data["failed"] = True  # as the job recorded it: a violation or a new finding under its baseline
    report.write_text(json.dumps(data))
    assert main(["check", "--merge", str(tmp_path / "one"), "--out", str(tmp_path / "merged")]) == 1
    assert "check: FAILED byzantine-1999" in capsys.readouterr().out
    assert "| FAIL" in (tmp_path / "merged" / "index.md").read_text()


def test_the_same_charter_in_two_shards_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  byzantine_shard: Path) -> None:
    _shard(byzantine_shard, tmp_path / "one")
    _shard(byzantine_shard, tmp_path / "again")  # two jobs that both checked it
    empty = tmp_path / "empty"
    empty.mkdir()
    capsys.readouterr()  # the two checks' progress lines
    for dirs, needle in (([tmp_path / "one", tmp_path / "again"], "is in both"), ([empty], "holds no charter report"),
                         ([tmp_path / "nope"], "not a directory")):
        assert main(["check", "--merge", *map(str, dirs), "--out", str(tmp_path / "m")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and needle in err, err
    assert main(["check", "byzantine-1999", "--merge", str(tmp_path / "one"), "--out", str(tmp_path / "m")]) == 2
    assert "--merge takes report directories only" in capsys.readouterr().err


def test_a_shared_hypothesis_database_keeps_the_failures_for_the_next_job(tmp_path: Path, monkeypatch) -> None:
    """--hypothesis-db DIR is Hypothesis's own directory database: a job's failing examples land there,
    to be passed to the next job as a cache or an artifact (Hypothesis replays saved examples first)."""
    import dataclasses

    from hypothesis.database import DirectoryBasedExampleDatabase

    from charter_oracle.invariants import registry
    from charter_oracle.invariants.cases import Violation
    from charter_oracle.invariants.profiles import example_database, profile_settings

    with example_database(tmp_path / "db"):
        shared = profile_settings("dev").database
        assert profile_settings("ci").database is None  # derandomized: Hypothesis allows it no database
    assert isinstance(shared, DirectoryBasedExampleDatabase) and Path(shared.path) == tmp_path / "db"
    assert not isinstance(profile_settings("dev").database, DirectoryBasedExampleDatabase)  # outside the block

    def always_fails(charter, case):  # a planted bug: every example fails, so there is a failure to keep
        raise Violation("planted", case)

    planted = dataclasses.replace(registry.BY_ID["conservation"], check=always_fails)
    monkeypatch.setattr(registry, "INVARIANTS", (planted,))
    db = tmp_path / "db"
    for run in ("first", "second"):  # the second job starts from the first one's database
        status = main(["check", "byzantine-1999", "--profile", "dev", "--out", str(tmp_path / run),
                       "--hypothesis-db", str(db)])
        assert status == 1
        assert any(p.is_file() for p in db.rglob("*")), "no failing example was saved"
    (tmp_path / "file").write_text("x")
    for argv in (["--profile", "dev", "--hypothesis-db", str(tmp_path / "file")], ["--hypothesis-db", str(db)]):
        assert main(["check", "byzantine-1999", "--out", str(tmp_path / "x"), *argv]) == 2
