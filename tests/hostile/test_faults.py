"""Faults around ``check``: interrupts at several points, a full disk, a read-only mount,
two concurrent runs, planted symbolic links, a closed stdout.

The old reports must come through every failure byte for byte, with no temporary
file or directory left beside them; the exit status says what happened (130 for
SIGINT, 143 for SIGTERM, 3 for I/O), never 0 or 1 for a run that did not finish.
Runs use one small charter and ``--no-mutants``; the writing phase is tested
directly on ``charter_oracle.output`` with small synthetic report sets.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from charter_oracle import output
from charter_oracle.cli import main

OLD = {"index.md": "old index [nvidia-1998](nvidia-1998.md)\n", "nvidia-1998.md": "old md\n",
       "nvidia-1998.json": "{}\n", "nvidia-1998.svg": "<svg/>\n", "baseline.json": '{"accepted": []}\n'}


def _old_reports(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in OLD.items():
        (out / name).write_text(text)
    return _snapshot(out)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".new-" in p.name or ".old-" in p.name or p.name.endswith(".tmp"))


def _start(*argv: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "charter_oracle.cli", *argv], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _interrupt_at(proc: subprocess.Popen[str], marker: str, delay: float, sig: int) -> tuple[int, str]:
    """Send ``sig`` ``delay`` seconds after the progress line containing ``marker``."""
    seen = []
    assert proc.stderr is not None
    for line in proc.stderr:
        seen.append(line)
        if marker in line:
            time.sleep(delay)
            proc.send_signal(sig)
            break
    rest = proc.communicate(timeout=120)[1]
    return proc.returncode, "".join(seen) + rest


# --- interrupts, in a real process ------------------------------------------------------------------


@pytest.mark.parametrize("marker, delay, sig, status", [
    ("nvidia-1998: solver", 0.3, signal.SIGINT, 130),  # inside the Z3 phase (nvidia's takes ~1 s): Z3 must not swallow it
    # the Hypothesis phase on infinity-1996, whose solver phase before it is short (~0.2 s)
    ("infinity-1996: conservation", 0.2, signal.SIGINT, 130),  # inside Hypothesis
    ("infinity-1996: preference-priority", 0.1, signal.SIGTERM, 143),  # a CI runner cancelling the job
])
def test_interrupt_leaves_old_reports_untouched(tmp_path, marker, delay, sig, status):
    out = tmp_path / "reports"
    before = _old_reports(out)
    proc = _start("check", marker.split(":")[0], "--no-mutants", "--out", str(out), "--junit", str(tmp_path / "j.xml"), cwd=tmp_path)
    code, err = _interrupt_at(proc, marker, delay, sig)
    assert code == status, err
    assert "Traceback" not in err and err.rstrip("\n").splitlines()[-1] == "charter-oracle: interrupted"
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == [] and not (tmp_path / "j.xml").exists()
    assert not (tmp_path / ".hypothesis").exists()


def test_z3_query_is_cancelled_not_swallowed():
    """Without ``stoppable`` Z3 answers "unknown" to Ctrl-C and the run goes on; with it, KeyboardInterrupt."""
    import z3

    from charter_oracle.interrupts import stoppable

    def hard_query(ctx: z3.Context | None) -> z3.CheckSatResult:
        solver = z3.Solver(ctx=ctx)
        solver.set("timeout", 4000)  # if the interrupt were swallowed, the test fails instead of hanging
        xs = [z3.Int(f"x{i}", ctx) for i in range(40)]
        for i in range(39):
            solver.add(xs[i] * xs[i + 1] % 97 == (i * 7) % 97, xs[i] > 1000)
        solver.add(z3.Sum(xs) == 123456789)
        return solver.check()

    for fresh in (False, True):  # the global context, and a fresh one per query (as the solver does)
        timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            with stoppable():
                timer.start()
                hard_query(z3.Context() if fresh else None)
                time.sleep(5)  # not reached when the interrupt is honoured (the query takes far longer)
        timer.join()
        assert time.monotonic() - start < 5


# --- the writing phase, on charter_oracle.output directly ------------------------------------------


def _plan(tmp_path: Path, **kw) -> output.Plan:
    return output.plan(str(tmp_path / "reports"), ["nvidia-1998"], kw.get("junit"), kw.get("baseline"), environ={})


NEW = {name: f"new {name}\n" for name in ("index.md", "nvidia-1998.md", "nvidia-1998.json", "nvidia-1998.svg")}


def test_interrupt_while_writing_reports(tmp_path, monkeypatch):
    before = _old_reports(tmp_path / "reports")
    p = _plan(tmp_path)
    written = []
    real = output._write_new

    def write_then_interrupt(path, text):
        if len(written) == 2:
            raise KeyboardInterrupt
        written.append(path)
        real(path, text)

    monkeypatch.setattr(output, "_write_new", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        try:
            output.write_reports(p, NEW)
        finally:
            p.discard()
    assert _snapshot(tmp_path / "reports") == before and _leftovers(tmp_path) == []


def test_interrupt_inside_commit_before_the_swap(tmp_path, monkeypatch):
    before = _old_reports(tmp_path / "reports")
    p = _plan(tmp_path)
    output.write_reports(p, NEW)

    def interrupted(plan):
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "_carry_over", interrupted)
    with pytest.raises(KeyboardInterrupt):
        try:
            output.commit(p, {})
        finally:
            p.discard()
    assert _snapshot(tmp_path / "reports") == before and _leftovers(tmp_path) == []


def test_pending_interrupt_aborts_the_commit(tmp_path):
    before = _old_reports(tmp_path / "reports")
    p = _plan(tmp_path)
    output.write_reports(p, NEW)
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # pending while blocked: just before the swap
        with pytest.raises(KeyboardInterrupt):
            output.commit(p, {})
    finally:
        p.discard()
        with pytest.raises(KeyboardInterrupt):  # delivered now: Python's handler runs
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
            time.sleep(0.01)
    assert _snapshot(tmp_path / "reports") == before and _leftovers(tmp_path) == []


def test_commit_swaps_a_complete_set_and_keeps_other_files(tmp_path):
    out = tmp_path / "reports"
    _old_reports(out)
    (out / "infinity-1996.md").write_text("stale report of a charter the old index does not list\n")
    (out / "index.md").write_text("[nvidia-1998](nvidia-1998.md) [infinity-1996](infinity-1996.md)\n")
    p = _plan(tmp_path)
    output.write_reports(p, NEW)
    output.commit(p, {})
    p.discard()
    after = {name: data.decode() for name, data in _snapshot(out).items()}
    # the new set, the baseline carried over; the other charter's stale report gone with the old index
    assert after == {**NEW, "baseline.json": OLD["baseline.json"]}
    assert _leftovers(tmp_path) == []


# --- planted symbolic links -----------------------------------------------------------------------


def test_planted_symlinks_are_never_followed(tmp_path):
    out = tmp_path / "reports"
    _old_reports(out)
    victims = {name: tmp_path / f"victim-{i}" for i, name in enumerate(["index.md", ".index.md.tmp", "nvidia-1998.svg"])}
    for name, victim in victims.items():
        victim.write_text("precious\n")
        (out / name).unlink(missing_ok=True)
        os.symlink(victim, out / name)
    junit_victim = tmp_path / "junit-victim"
    junit_victim.write_text("precious\n")
    os.symlink(junit_victim, tmp_path / "j.xml")
    p = _plan(tmp_path, junit=str(tmp_path / "j.xml"))
    output.write_reports(p, NEW)
    staged = {output.stage_file(p, p.junit, "<testsuite/>\n", "--junit"): p.junit}
    output.commit(p, staged)
    p.discard()
    assert all(v.read_text() == "precious\n" for v in [*victims.values(), junit_victim])
    assert not (out / "index.md").is_symlink() and (out / "index.md").read_text() == NEW["index.md"]
    assert not (tmp_path / "j.xml").is_symlink() and (tmp_path / "j.xml").read_text() == "<testsuite/>\n"
    # the old fixed temporary name is dropped with the old set, its target untouched
    assert not os.path.lexists(out / ".index.md.tmp")


# --- two runs on one --out ---------------------------------------------------------------------------


def test_the_swap_waits_for_the_lock(tmp_path):
    out = tmp_path / "reports"
    _old_reports(out)
    p = _plan(tmp_path)
    output.write_reports(p, NEW)
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another run is swapping its set in
    done = threading.Event()
    worker = threading.Thread(target=lambda: (output.commit(p, {}), done.set()))
    # commit blocks signals only in the thread that calls it; run it in a thread to hold the lock meanwhile
    worker.start()
    time.sleep(0.3)
    assert not done.is_set() and (out / "index.md").read_text() == OLD["index.md"]
    os.close(fd)
    worker.join(10)
    assert done.is_set() and (out / "index.md").read_text() == NEW["index.md"]
    p.discard()


def test_two_concurrent_runs_on_one_out(tmp_path):
    out = tmp_path / "reports"
    _old_reports(out)
    runs = [_start("check", "byzantine-1999", "--no-mutants", "--out", str(out), cwd=tmp_path) for _ in range(2)]
    results = [r.communicate(timeout=300) + (r.returncode,) for r in runs]
    assert [code for _, _, code in results] == [0, 0], [err for _, err, _ in results]
    names = sorted(p.name for p in out.iterdir())
    assert names == ["baseline.json", "byzantine-1999.json", "byzantine-1999.md", "byzantine-1999.svg", "index.md"]
    assert "[byzantine-1999](byzantine-1999.md)" in (out / "index.md").read_text()
    assert _leftovers(tmp_path) == [] and not (tmp_path / ".hypothesis").exists()


# --- a full disk and a read-only file system ----------------------------------------------------------


@pytest.fixture
def small_tmpfs(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({result.stderr.decode().strip() or 'mount failed'})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_disk_full_leaves_old_reports(small_tmpfs, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    out = small_tmpfs / "reports"
    before = _old_reports(out)
    status, stdout, err = _run(capsys, "check", "byzantine-1999", "--no-mutants", "--out", str(out))
    last = err.rstrip("\n").splitlines()[-1]  # after the progress lines, one line says what failed
    assert (status, stdout) == (3, "") and last.startswith("charter-oracle: --out") and "No space left" in last, err
    assert _snapshot(out) == before and _leftovers(small_tmpfs) == []


def test_read_only_out_is_refused_before_the_run(small_tmpfs, capsys):
    out = small_tmpfs / "reports"
    before = _old_reports(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    start = time.monotonic()
    status, stdout, err = _run(capsys, "check", "byzantine-1999", "--no-mutants", "--out", str(out))
    assert (status, stdout) == (3, "") and "Read-only" in err and err.count("\n") == 1, err
    assert time.monotonic() - start < 5  # refused before the run, not after it
    assert _snapshot(out) == before


# --- stdout's reader going away --------------------------------------------------------------------


class _Closed:
    """A stdout whose reader has gone: every write is a BrokenPipe."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        raise ValueError("no file descriptor")


@pytest.mark.parametrize("failed, status", [(True, 1)])  # (0 with a real closed pipe: the next test)
def test_closed_stdout_keeps_the_verdict_status(tmp_path, capsys, monkeypatch, failed, status):
    from charter_oracle import check_command

    def verdicts(*_args):  # the verdicts say "failed": printing them hits the closed stdout
        print("check: FAILED byzantine-1999: planted (violated)")
        return 1 if failed else 0

    monkeypatch.setattr(check_command, "_verdict_lines", verdicts)
    monkeypatch.setattr(sys, "stdout", _Closed())
    code = main(["check", "byzantine-1999", "--no-mutants", "--out", str(tmp_path / "r")])
    assert code == status
    assert (tmp_path / "r" / "index.md").exists()
    assert "Traceback" not in capsys.readouterr().err


def test_closed_pipe_in_a_real_process(tmp_path):
    read, write = os.pipe()
    os.close(read)  # `check ... | true`: the reader is gone before anything is written
    proc = subprocess.run([sys.executable, "-m", "charter_oracle.cli", "check", "byzantine-1999", "--no-mutants",
                           "--out", str(tmp_path / "r")], stdout=write, stderr=subprocess.PIPE, text=True, timeout=300)
    os.close(write)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert (tmp_path / "r" / "byzantine-1999.json").exists()


def test_an_interrupt_lost_in_a_callback_is_raised_again_quietly(monkeypatch):
    """Python drops exceptions raised in __del__ or gc callbacks (Hypothesis has one): the
    interrupt must still stop the run at the next step, with no "Exception ignored" traceback."""
    from charter_oracle.interrupts import checkpoint, stoppable

    class Finalizer:
        def __del__(self) -> None:
            signal.raise_signal(signal.SIGINT)  # the handler's KeyboardInterrupt is raised in here and lost

    reported = []  # what Python would print as "Exception ignored in ..." with a traceback
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    with pytest.raises(KeyboardInterrupt):
        with stoppable():
            Finalizer()  # collected at once: the interrupt is swallowed as "unraisable"
            checkpoint()  # the next progress step
    assert reported == []
