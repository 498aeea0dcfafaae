"""check's gate cannot lie: crashes are errors, baselines accept only the findings they name, mutants are opt-in.

Runs on user-corpus charters (tests/user_charters/) with the ci profile cut to 10 examples: these
tests are about exit statuses and report contents, not about how hard the suite searches.
"""

from __future__ import annotations

import json
import shlex
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from charter_oracle import baseline
from charter_oracle import check_rows
from _cli import run
from charter_oracle.invariants import registry, suite
from charter_oracle.invariants.domains import compliance, conversion, core, liquidation
from charter_oracle.oracle.cap_table import load_cap_table
from charter_oracle.oracle.charter_file import load_charter

CORPUS = Path(__file__).parent.parent / "user_charters"
# wa-cents rounds prices to the cent: its split round trip is a finding (1 -> 0.99), with events to replay.
WA_CENTS = (str(CORPUS / "wa-cents.toml"), "--cap-table", str(CORPUS / "wa-cents.cap-table.toml"))




@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    original = suite.profile_settings
    monkeypatch.setattr(suite, "profile_settings", lambda name: settings(original(name), max_examples=10))


def _crash(charter, case):  # type: ignore[no-untyped-def]
    raise ZeroDivisionError("deliberate crash in an invariant's check")


CRASHING = registry.Invariant(
    "crashes", "A deliberately broken invariant.", "charter-property", lambda c: (c.liquidation.cite,),
    core.everywhere("everywhere"), liquidation.exit_cases, _crash)


# --- error verdicts -----------------------------------------------------------------------------

def test_a_crash_is_an_error_verdict_with_its_traceback_and_case() -> None:
    charter = load_charter(WA_CENTS[0])
    table = load_cap_table(WA_CENTS[2], charter)
    verdict = suite.run_invariant(CRASHING, charter, table, "ci")
    # a charter-property invariant: a Violation would be a finding; a crash must not be
    assert verdict.verdict == "error"
    assert "ZeroDivisionError" in verdict.message and "deliberate crash" in verdict.traceback
    assert 'File "invariants/suite.py"' in verdict.traceback or "tests/reports/test_check_gate.py" in verdict.traceback
    assert verdict.counterexample is not None and "proceeds" in verdict.counterexample
    result = suite.run_suite(charter, table, "ci", (CRASHING,))
    assert result.errors and not result.findings


def test_a_crashing_scope_is_an_error_not_a_skip() -> None:
    def bad_scope(charter):  # type: ignore[no-untyped-def]
        return charter.dilution.nothing_here, "never"
    broken = registry.Invariant("bad-scope", "s", "oracle", lambda c: (), bad_scope, liquidation.exit_cases, _crash)
    charter = load_charter(str(CORPUS / "seed-1x.toml"))
    verdict = suite.run_invariant(broken, charter, None, "ci")
    assert verdict.verdict == "error" and "AttributeError" in verdict.message


def test_check_fails_on_an_error_and_no_baseline_accepts_it(capsys, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(registry, "INVARIANTS", (CRASHING,))
    written = tmp_path / "baseline.json"
    status, out, _ = run(capsys, "check", *WA_CENTS, "--out", str(tmp_path / "a"), "--write-baseline", str(written))
    assert status == 1 and "check: FAILED wa-cents: crashes (error)" in out
    assert json.loads(written.read_text()) == {"accepted": []}  # an error is never written as accepted
    report = json.loads((tmp_path / "a" / "wa-cents.json").read_text())
    (row,) = report["invariants"]
    assert row["verdict"] == "error" and row["fingerprint"] is None and report["failed"] is True
    assert "Traceback" in row["counterexample"]["traceback"]
    md = (tmp_path / "a" / "wa-cents.md").read_text()
    assert "### Error: `crashes`" in md and "ZeroDivisionError: deliberate crash" in md
    assert "|   error |" in (tmp_path / "a" / "index.md").read_text()
    # A baseline naming the invariant by hand accepts nothing either.
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({"accepted": [{"charter": "wa-cents", "invariant": "crashes", "fingerprint": "0" * 16}]}))
    status, out, _ = run(capsys, "check", *WA_CENTS, "--out", str(tmp_path / "b"), "--baseline", str(forged))
    assert status == 1 and "crashes (error)" in out
    junit = tmp_path / "j.xml"
    run(capsys, "check", *WA_CENTS, "--out", str(tmp_path / "c"), "--junit", str(junit))
    assert 'failures="0" errors="1"' in junit.read_text() and "<error message=" in junit.read_text()


# --- baselines ----------------------------------------------------------------------------------

def test_findings_are_named_accepted_by_write_baseline_and_stale_entries_flagged(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(capsys, "check", *WA_CENTS, "--out", str(tmp_path / "a"))
    assert status == 1
    assert "check: FAILED wa-cents: split-round-trip (new finding)" in out
    assert "--write-baseline FILE" in out  # how to accept them

    written = tmp_path / "baseline.json"
    status, out, _ = run(capsys, "check", *WA_CENTS, "--out", str(tmp_path / "b"), "--write-baseline", str(written))
    assert status == 0 and f"baseline written to {written}" in out
    entries = json.loads(written.read_text())["accepted"]
    assert "split-round-trip" in {e["invariant"] for e in entries}
    assert all(e["charter"] == "wa-cents" and e["shape"] and e["clauses"] for e in entries)

    status, out, _ = run(capsys, "check", *WA_CENTS, "--out", str(tmp_path / "c"), "--baseline", str(written))
    assert status == 0 and "check: ok" in out and "no longer occurs" not in out
    assert "finding (accepted)" in (tmp_path / "c" / "wa-cents.md").read_text()

    # An entry for this charter that no longer occurs is flagged (and does not fail the gate);
    # an entry for a charter not checked is not.
    data = json.loads(written.read_text())
    data["accepted"] += [{"charter": "wa-cents", "invariant": "split-round-trip", "fingerprint": "feedfeedfeedfeed"},
                         {"charter": "another", "invariant": "split-round-trip", "fingerprint": "beefbeefbeefbeef"}]
    written.write_text(json.dumps(data))
    status, out, _ = run(capsys, "check", *WA_CENTS, "--out", str(tmp_path / "d"), "--baseline", str(written))
    assert status == 0
    assert "baseline entry no longer occurs: wa-cents: split-round-trip (feedfeedfeedfeed)" in out
    assert "beefbeefbeefbeef" not in out


def test_fingerprint_ignores_the_shrunk_example_but_not_the_property() -> None:
    def fp(message: str, holders: tuple[str, ...] = ()) -> str:
        return baseline.fingerprint("c", "split-round-trip", "IV.4(h)", baseline.shape(message, holders))
    a = fp("series_c: 1.69 before a 2-for-1 split and the inverse combination, 1.68 after")
    # another Hypothesis version shrinks to other numbers: the same finding
    assert a == fp("series_c: 2.1 before a 3-for-1 split and the inverse combination, 209/100 after")
    # another series, or another failing branch of the check: a different finding
    assert a != fp("series_a: 1.69 before a 2-for-1 split and the inverse combination, 1.68 after")
    assert a != fp("series_c: a 2-for-1 split gives 0.84, too far from 0.845")
    # generated holder names are particulars of the example too
    assert fp("Ada Capital: paid 3", ("Ada Capital",)) == fp("Bo Partners: paid 5", ("Bo Partners",))
    # charter, invariant and clauses are all part of the fingerprint
    shape = baseline.shape("x 1")
    assert len({baseline.fingerprint(*k, shape) for k in
                [("c", "i", "k"), ("d", "i", "k"), ("c", "j", "k"), ("c", "i", "l")]}) == 4


@pytest.mark.parametrize("text, needle", [("{", "not valid JSON"), ('{"accepted": [{"charter": "x"}]}', "not a baseline file")])
def test_bad_baseline_is_one_line(capsys, tmp_path, text, needle) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.json"
    path.write_text(text)
    status, out, err = run(capsys, "check", *WA_CENTS, "--out", str(tmp_path / "r"), "--baseline", str(path))
    assert status == 2 and out == "" and needle in err and err.count("\n") == 1
    assert not (tmp_path / "r").exists()


# --- mutants are the project's, opt-in ------------------------------------------------------------

def test_mutants_run_only_with_the_flag_and_fail_only_that_run(capsys, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from charter_oracle.invariants import mutants

    calls: list[str] = []

    def fake(mutant: mutants.Mutant, profile: str) -> mutants.MutantResult:
        calls.append(profile)
        killed = mutant.id == "shortfall-by-share-count"
        return mutants.MutantResult(mutant.id, killed, None, None, "killed" if killed else "survived every invariant")
    monkeypatch.setattr(mutants, "MUTANTS", (mutants.BY_ID["shortfall-by-share-count"], mutants.BY_ID["votes-half-even"]))
    monkeypatch.setattr(mutants, "run_mutant", fake)
    seed = (str(CORPUS / "seed-1x.toml"), "--cap-table", str(CORPUS / "seed-1x.cap-table.toml"))
    for flags in ((), ("--no-mutants",)):
        status, out, _ = run(capsys, "check", *seed, "--out", str(tmp_path / "a"), *flags)
        assert status == 0 and calls == [] and "check: ok" in out
        assert "Mutant catalogue" not in (tmp_path / "a" / "seed-1x.md").read_text()
    status, out, _ = run(capsys, "check", *seed, "--out", str(tmp_path / "b"), "--mutants")
    assert calls == ["ci", "ci"] and status == 1 and "check: FAILED mutants: votes-half-even survived" in out
    assert "1 of 2 deliberately wrong oracles killed" in (tmp_path / "b" / "seed-1x.md").read_text()


# --- replay commands work as printed on a user's own file ------------------------------------------

def _split_replay(text: str) -> tuple[str, str, str]:
    """The replay snippet as a user reads it: the cap table, the events, and the command to run."""
    cap_lines, event_lines, command = [], [], ""
    part = "cap"
    for line in text.splitlines():
        if line.startswith("# events"):
            part, command = "events", line.split("replay: ", 1)[1].rstrip(")")
        elif line.startswith("# replay: "):
            command = line.removeprefix("# replay: ")
        elif line.startswith("# parameters"):
            part = "done"
        elif not line.startswith("#"):
            (cap_lines if part == "cap" else event_lines if part == "events" else []).append(line)
    return "\n".join(cap_lines), "\n".join(event_lines), command


def test_replay_commands_run_as_printed_for_a_user_file(capsys, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "check", *WA_CENTS, "--out", str(tmp_path / "r"))
    report = json.loads((tmp_path / "r" / "wa-cents.json").read_text())
    row = next(r for r in report["invariants"] if r["id"] == "split-round-trip")
    cap, events, command = _split_replay(row["counterexample"]["replay"])
    argv = shlex.split(command)
    assert argv[:3] == ["charter-oracle", "adjust", WA_CENTS[0]]  # the user's path, not the charter id
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cap-table.toml").write_text(cap)
    (tmp_path / "events.toml").write_text(events)
    status, out, err = run(capsys, *argv[1:], "--json")
    assert status == 0, err
    after = json.loads(out)["after"]
    # the replayed round trip ends where the finding says: not at the price before the split
    prefix = row["counterexample"]["case"]["params"]["prefix"]
    before = after[prefix - 1]["conversion_prices"] if prefix else json.loads(out)["initial"]
    assert after[-1]["conversion_prices"] != before

    # a waterfall replay, with an interpretation the user chose, also runs as printed
    text = check_rows.replay(WA_CENTS[0], {"cap_table": cap, "proceeds": "1234567.89"}, ("all.payout-cents=cents",))
    _, _, command = _split_replay(text)
    argv = shlex.split(command)
    assert argv[2] == WA_CENTS[0] and "--interpret" in argv
    status, out, err = run(capsys, *argv[1:], "--json")
    assert status == 0, err
    paid = json.loads(out)
    assert sum(Fraction(a) for a in paid["holders"].values()) == Fraction("1234567.89")
    assert paid["interpretations"]["all.payout-cents"] == "cents"


ORDINARY = load_charter(str(CORPUS / "ordinary-shares.toml"))
MODERN = load_charter(str(CORPUS / "four-series-modern.toml"))


@settings(max_examples=5, derandomize=True, database=None)
@given(st.data())
def test_strategy_cases_use_the_charters_own_class_ids(data: st.DataObject) -> None:
    """Generated one-off tables (thresholds, triggers, deemed events) hold the charter's own common id."""
    assert ORDINARY.common.id == "ordinary"
    case = data.draw(compliance.threshold_cases(ORDINARY, None))
    assert {h.class_id for h in case.table.holdings} == {"ordinary"}
    for cases in (compliance.threshold_cases, compliance.deemed_cases, conversion.trigger_cases):
        case = data.draw(cases(MODERN, None))
        assert {h.class_id for h in case.table.holdings} <= set(MODERN.class_ids)
