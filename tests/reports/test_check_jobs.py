"""``check --jobs N``: the same report bytes with workers as without, a clean stop on interrupt, bad values refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _cli import run
from hypothesis import settings

from charter_oracle.invariants import suite

from charter_oracle.check_jobs import Unit, Work, run_units
from charter_oracle.oracle.loading import load_with_table

CHARTERS = Path(__file__).resolve().parent.parent / "user_charters"


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_reports_are_the_same_bytes_with_one_job_and_with_two(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # 10 examples an invariant (workers are forked, so they inherit this): a user charter with a finding (its
    # shrunk counterexample must come out the same too) in about a second a run.
    original = suite.profile_settings
    monkeypatch.setattr(suite, "profile_settings", lambda name: settings(original(name), max_examples=10))
    charter = str(CHARTERS / "wa-cents.toml")
    table = str(CHARTERS / "wa-cents.cap-table.toml")
    for jobs in ("1", "2"):
        status, out, err = run(capsys, "check", charter, "--cap-table", table, "--jobs", jobs,
                               "--out", str(tmp_path / jobs))
        assert status in (0, 1), err
        assert f"with {jobs} job" in out  # the run said how many processes did the work
    assert _files(tmp_path / "1") == _files(tmp_path / "2")
    assert '"verdict": "finding"' in (tmp_path / "1" / "wa-cents.json").read_text()


def test_units_come_back_in_their_order_and_workers_ran_them() -> None:
    """Results are handed back in the order asked, and with two jobs they were computed in other processes."""
    charter, table = load_with_table("infinity-1996")
    units = [Unit("invariant", name, 0) for name in ("vote-rounding", "conservation", "split-proportional")]
    seen: list[Unit] = []
    done = list(run_units(units, Work(((charter, table),), "ci", 30), 2, seen.append))
    assert [d.unit for d in done] == units == seen
    assert [d.result.invariant for d in done] == ["vote-rounding", "conservation", "split-proportional"]
    alone = list(run_units(units, Work(((charter, table),), "ci", 30), 1))
    assert [d.result for d in alone] == [d.result for d in done]


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", ""])
def test_a_bad_jobs_value_is_one_line_and_status_2(value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", "byzantine-1999", "--jobs", value, "--out", str(tmp_path / "r"))
    assert status == 2 and len(err.strip().splitlines()) == 1 and "--jobs" in err, err
    assert not (tmp_path / "r").exists()


def test_a_bad_jobs_variable_is_one_line_and_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTER_ORACLE_JOBS", "many")
    status, out, err = run(capsys, "check", "byzantine-1999", "--out", str(tmp_path / "r"))
    assert status == 2 and "CHARTER_ORACLE_JOBS" in err and len(err.strip().splitlines()) == 1, err


def _workers_of(marker: str) -> list[str]:
    """Processes still running whose command line holds ``marker`` (forked workers keep the parent's)."""
    found = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    return found.stdout.split()


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupt_with_workers_stops_them_and_leaves_no_reports(tmp_path: Path, sig: int, status: int) -> None:
    out = tmp_path / "reports-with-workers"
    env = {**os.environ, "CHARTER_ORACLE_JOBS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "charter_oracle.cli", "check", "infinity-1996", "--out", str(out)],
                            cwd=tmp_path, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until the workers are at work
        if "infinity-1996: conservation" in line:
            break
    time.sleep(0.3)
    proc.send_signal(sig)  # to the parent only, as a CI runner does
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == status, err
    assert "Traceback" not in err and err.rstrip("\n").splitlines()[-1] == "charter-oracle: interrupted"
    assert not out.exists()
    deadline = time.monotonic() + 5
    while _workers_of(str(out)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _workers_of(str(out)) == []


def test_an_interrupt_that_a_library_wrapped_in_its_own_error_is_still_an_interrupt(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """ctypes turns a KeyboardInterrupt raised inside a Z3 call into ArgumentError: a signal came, so exit 130."""
    import ctypes

    from charter_oracle import check_jobs, interrupts

    def interrupted_inside_z3(unit: Unit) -> None:
        interrupts._received.append(signal.SIGINT)  # what the handler records as the signal arrives
        raise ctypes.ArgumentError("argument 2: <class 'KeyboardInterrupt'>: ")

    monkeypatch.setattr(check_jobs, "_run_unit", interrupted_inside_z3)
    out = tmp_path / "r"
    status, _, err = run(capsys, "check", "byzantine-1999", "--out", str(out))
    assert status == 130 and err.strip().splitlines()[-1] == "charter-oracle: interrupted", err
    assert "Traceback" not in err and not out.exists()


def test_an_error_in_a_worker_comes_back_as_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user-input error raised inside a worker reaches the command line as the same one-line error."""
    from charter_oracle import check_jobs
    from charter_oracle.oracle.errors import InputError

    def refuses(*args: object) -> None:
        raise InputError("--solver-budget: deliberately refused")

    monkeypatch.setattr(check_jobs, "_solve_and_draw", refuses)  # inherited by the forked workers
    charter, table = load_with_table("infinity-1996")
    units = [Unit("invariant", "vote-rounding", 0), Unit("solver", "solver", 0)]
    with pytest.raises(InputError, match="deliberately refused"):
        list(run_units(units, Work(((charter, table),), "ci", 30), 2))


def test_where_the_platform_cannot_fork_the_units_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    from charter_oracle import check_jobs

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert check_jobs.workers(4, 10) == 1
    charter, table = load_with_table("byzantine-1999")
    (done,) = run_units([Unit("invariant", "vote-rounding", 0)], Work(((charter, table),), "ci", 30), 4)
    assert done.result.invariant == "vote-rounding"
    monkeypatch.undo()
    assert check_jobs.workers(4, 10) == 4 and check_jobs.workers(4, 3) == 3 and check_jobs.workers(4, 0) == 1
