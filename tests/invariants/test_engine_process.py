"""Engines behind a command line (``engine_process``): the examples pass, every buggy engine fails with its
clause named, shrinking gives what it gives in-process, and each way an engine can break the protocol
is one clear failure naming the request."""

from __future__ import annotations

import shutil
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest

from charter_oracle.invariants import buggy_engines as bugs
from charter_oracle.invariants.engine_process import MAX_TIMEOUTS, ProcessEngine
from charter_oracle.invariants.impl_check import Target, check, render
from charter_oracle.oracle import bundled
from charter_oracle.oracle.errors import EngineError, InputError
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.loading import load_with_table

ROOT = Path(__file__).resolve().parents[2]
PYTHON_ENGINE = f"{sys.executable} {ROOT / 'examples' / 'python_engine.py'}"
NODE_ENGINE = f"node {ROOT / 'examples' / 'node_engine.js'}"


def wrapped(engine_id: str) -> str:
    return f"{sys.executable} -m charter_oracle.invariants.engine_wrapper {engine_id}"


def _target(charter_id: str, rounding: str = "exact") -> Target:
    charter, table = load_with_table(charter_id)
    return Target(charter_id, charter, table, "ci", rounding)


# --- the example engines (each also passes every case of the corpus: tests/api/test_conformance.py) ----

@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_node_example_engine_passes_the_plugin_check() -> None:
    target = _target("example-modern")
    with ProcessEngine(NODE_ENGINE) as engine:
        for what in ("distribute", "votes"):
            report = check(engine, "node_engine", what, target)
            assert report is None, render(report)


# --- the buggy engines, wrapped in the protocol ---------------------------------------------------

def _where_it_shows(entry: bugs.BuggyEngine) -> str:
    for charter_id in ("example-modern", *bundled.CHARTER_IDS):
        charter, _ = load_with_table(charter_id)
        if entry.applies(charter)[0]:
            return charter_id
    raise AssertionError(f"{entry.id} shows on no bundled charter")


@pytest.mark.parametrize("entry", bugs.CATALOGUE, ids=[e.id for e in bugs.CATALOGUE])
def test_each_buggy_engine_over_the_protocol_fails_with_the_clause_named(entry: bugs.BuggyEngine) -> None:
    charter_id = _where_it_shows(entry)
    target = _target(charter_id, entry.rounding)
    cites = {target.charter.liquidation.cite, target.charter.liquidation.residual_cite, target.charter.voting.cite}
    cites |= {c for s in target.charter.series for c in (s.liquidation.cite, s.participation.cite, s.conversion.cite)}
    with ProcessEngine(wrapped(entry.id)) as engine:
        checks = ("votes",) if entry.id.startswith("votes") else ("distribute",)  # where the mistake is
        report = next((r for r in (check(engine, entry.id, what, target) for what in checks) if r), None)
    assert report is not None, f"{entry.id} ({entry.mistake}) passes over the protocol on {charter_id}"
    message = report["message"]
    if entry.id == "floats-returned":  # refused before any comparison: the answer holds JSON numbers
        assert "the answer holds the JSON number" in message and "request #" in message
    else:
        named = [c for c in cites if f"[{c}" in message or f"; {c} (" in message]
        assert named, f"{entry.id}: no clause named in:\n{message}"


def test_shrinking_through_the_protocol_finds_what_it_finds_in_process() -> None:
    entry = next(e for e in bugs.CATALOGUE if e.id == "shortfall-by-shares")
    target = _target("example-modern")
    in_process = check(entry.engine, entry.id, "distribute", target)
    with ProcessEngine(wrapped(entry.id)) as engine:
        over_protocol = check(engine, entry.id, "distribute", target)
    assert in_process is not None and over_protocol is not None
    assert over_protocol["message"] == in_process["message"]
    assert over_protocol["proceeds"] == in_process["proceeds"]
    assert Path(over_protocol["cap_table_file"]).read_text() == Path(in_process["cap_table_file"]).read_text()


def test_a_correct_engine_over_the_protocol_answers_exactly_the_oracle() -> None:
    charter, table = load_with_table("nvidia-1998")
    proceeds = Fraction(47_000_000)
    with ProcessEngine(wrapped("correct")) as engine:
        assert engine.distribute_loaded(charter, table, proceeds) == dict(distribute(charter, table, proceeds).holders)


# --- breaking the protocol ---------------------------------------------------------------------------

def _script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "engine.py"
    path.write_text("import sys, json, time\n" + textwrap.dedent(body), encoding="utf-8")
    return f"{sys.executable} {path}"


def _ask(command: str, timeout: float = 5.0) -> str:
    charter, table = load_with_table("example-modern")
    with ProcessEngine(command, timeout) as engine:
        with pytest.raises(EngineError) as failure:
            engine.distribute_loaded(charter, table, Fraction("11480000.01"))
    return str(failure.value)


ANSWER_ONE = 'for line in sys.stdin:\n    print({!r}, flush=True)\n'


@pytest.mark.parametrize(("answer", "expected"), [
    ('{"holders": {"Founders": 1e6}}', "the answer holds the JSON number 1e6: amounts are strings"),
    ('{"holders": {"Founders": 0.1}}', "the answer holds the JSON number 0.1"),
    ('{"holders": {"Founders": "1e6"}}', "is not an exact amount string"),
    ('{"holders": {"Founders": "1,000"}}', "is not an exact amount string"),
    ("Founders: 1000", "the answer is not a JSON line: 'Founders: 1000'"),
    ('{"Founders": "1000"}', 'expected {"holders": {name: amount}}'),
    ('{"error": "no cap tables with options"}', "the engine refused: no cap tables with options"),
])
def test_an_answer_out_of_protocol_is_one_clear_failure(tmp_path: Path, answer: str, expected: str) -> None:
    message = _ask(_script(tmp_path, ANSWER_ONE.format(answer)))
    assert message.startswith("request #1 (distribute on example-modern, 4 holders, proceeds 11480000.01): ")
    assert expected in message
    assert "\n" not in message


def test_a_crash_names_the_request_the_status_and_the_last_stderr_line(tmp_path: Path) -> None:
    message = _ask(_script(tmp_path, """
        sys.stdin.readline()
        print("Traceback: ZeroDivisionError in tier 3", file=sys.stderr, flush=True)
        sys.exit(3)
    """))
    assert "request #1 (distribute" in message
    assert "the engine exited with status 3" in message and "ZeroDivisionError in tier 3" in message


def test_a_hang_is_a_timeout_and_the_engine_is_started_afresh(tmp_path: Path) -> None:
    command = _script(tmp_path, """
        import os
        marker = os.path.join(os.path.dirname(__file__), "started")
        first = not os.path.exists(marker)
        open(marker, "a").close()
        for line in sys.stdin:
            if first:
                time.sleep(60)  # the first process hangs; the restarted one answers
            print(json.dumps({"holders": {}}), flush=True)
    """)
    charter, table = load_with_table("byzantine-1999")
    with ProcessEngine(command, timeout=0.5) as engine:
        with pytest.raises(EngineError, match=r"request #1 \(votes on byzantine-1999, 3 holders\): no answer within 0.5 s"):
            engine.votes_loaded(charter, table)
        assert engine.votes_loaded(charter, table) == {}  # a fresh process; holders left out have 0 votes


def test_after_repeated_timeouts_requests_fail_at_once(tmp_path: Path) -> None:
    command = _script(tmp_path, "time.sleep(60)\n")
    charter, table = load_with_table("byzantine-1999")
    with ProcessEngine(command, timeout=0.2) as engine:
        for _ in range(MAX_TIMEOUTS):
            with pytest.raises(EngineError, match="no answer within"):
                engine.votes_loaded(charter, table)
        with pytest.raises(EngineError, match=f"not sent: the engine timed out {MAX_TIMEOUTS} times"):
            engine.votes_loaded(charter, table)


def test_a_command_that_cannot_start_is_bad_input() -> None:
    with pytest.raises(InputError, match="cannot start"):
        ProcessEngine("/nonexistent/engine --flag").start()
    with pytest.raises(InputError, match="empty"):
        ProcessEngine("  ")
    with pytest.raises(InputError, match="No closing quotation"):
        ProcessEngine('node "engine.js')


def test_the_plugin_checks_an_engine_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """One pytest run (in-process, ``pytest.main`` from the plugin's entry point; the engine behind the command
    is a real process), passing; the plugin's items are the in-process check above: failures there."""
    monkeypatch.chdir(tmp_path)
    status = pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--rootdir", str(tmp_path),
                          "--charter", "byzantine-1999", "--charter-impl-cmd", wrapped("correct"),
                          "--charter-impl-timeout", "30", "--charter-counterexample-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    assert "2 passed" in out  # impl[byzantine-1999]::distribute and ::votes
