"""Run the hostile-input corpus (``corpus.py``) in-process: each case's exact outcome.

A refusal is exit status 2 (bad input) or 3 (a destination the file system refuses),
nothing on stdout, exactly one line on stderr naming the problem, no traceback, and the
files it must not touch unchanged, with no temporary file or directory left behind. A
right answer is exit 0 with the stated stdout.
"""

from __future__ import annotations

import io
import os
import socket
import sys
from pathlib import Path

import pytest

import charter_oracle.oracle
from charter_oracle.cli import main

from corpus import CAP, Case, cases, counts

PACKAGE_ROOT = str(Path(charter_oracle.oracle.__file__).resolve().parent.parent)
ALL = cases()


def _fill(text: str, d: Path) -> str:
    return text.replace("{d}", str(d)).replace("{pkg}", PACKAGE_ROOT).replace("{cap}", CAP["example-modern"])


def _materialize(case: Case, d: Path) -> list[socket.socket]:
    sockets = []
    for name, content in case.files:
        path = d / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, tuple):
            kind = content[0]
            if kind == "fifo":
                os.mkfifo(path)
            elif kind == "dir":
                path.mkdir(parents=True, exist_ok=True)
            elif kind == "symlink":
                os.symlink(_fill(content[1], d), path)
            elif kind == "socket":
                server = socket.socket(socket.AF_UNIX)
                server.bind(str(path))
                sockets.append(server)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return sockets


def _run(argv: tuple[str, ...], d: Path, capsys, ascii_stdout: bool = False) -> tuple[int, str, str]:
    argv = [_fill(a, d) for a in argv]
    if ascii_stdout:
        raw = io.BytesIO()
        fake = io.TextIOWrapper(raw, encoding="ascii")  # an ASCII terminal: strict by default
        real = sys.stdout
        sys.stdout = fake
        try:
            status = main(argv)
        finally:
            sys.stdout = real
        fake.flush()
        return status, raw.getvalue().decode("ascii"), capsys.readouterr().err
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _leftovers(d: Path) -> list[str]:
    """Temporary names output.py or the old code would leave: hidden *.new-*, *.old-*, *.tmp, probes."""
    found = []
    for root, dirs, files in os.walk(d):
        for name in dirs + files:
            if name.startswith(".") and (".new-" in name or ".old-" in name or name.endswith(".tmp") or "probe" in name):
                found.append(os.path.join(root, name))
    return found


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corpus")


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_case(case: Case, base: Path, capsys, monkeypatch) -> None:
    # One plain directory per case under one pytest temporary directory (cheaper than tmp_path).
    tmp_path = base / str(ALL.index(case))
    tmp_path.mkdir()
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    for key, value in case.env:
        monkeypatch.setenv(key, _fill(value, tmp_path))
    sockets = _materialize(case, tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in case.untouched}
    try:
        status, out, err = _run(case.argv, tmp_path, capsys, case.ascii_stdout)
    finally:
        for s in sockets:
            s.close()
    assert "Traceback" not in err
    if case.status == 0:
        assert status == 0, err
        if case.check_out is not None:
            assert case.check_out(out), out
        if case.same_as:
            assert out == _run(case.same_as, tmp_path, capsys)[1]
        return
    assert (status, out) == (case.status, ""), err
    assert err.startswith("charter-oracle: ") and err.endswith("\n") and err.count("\n") == 1, err
    for word in case.words:
        assert word.lower() in err.lower(), (word, err)
    for name, data in before.items():
        assert (tmp_path / name).read_bytes() == data, name
    assert _leftovers(tmp_path) == []
    assert not (tmp_path.parent / "ESCAPED").exists() and not (tmp_path / "ESCAPED").exists()


def test_corpus_counts_by_category() -> None:
    """At least 300 cases, every category of issue 16 present (``python tests/hostile/corpus.py`` prints them)."""
    total = counts()
    print("\n" + "\n".join(f"{category}: {n}" for category, n in sorted(total.items())))
    assert sum(total.values()) >= 300
    assert set(total) == {"special-files", "bounds", "charter-types", "non-ascii-digits", "loose-values",
                          "command-line", "destinations", "right-answers"}
