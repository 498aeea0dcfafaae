"""Every command on users' own charters: the corpus in tests/user_charters/ (written from docs/charter-format.md).

The corpus leaves out each optional part of the format in turn (no dividend table, no dilution, no
consents, no deemed liquidation, no automatic conversion), and varies the rest: one series or four,
one holder, common only, preferred only, 1x/2x, participating, capped, stacked, pari passu, class
ids other than ``common`` and ``series_a``. ``check`` must write a complete report for each, with
no crash, and ``waterfall``, ``votes`` and ``solve`` must answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import settings

from _cli import run
from charter_oracle.invariants import suite
from charter_oracle.invariants.registry import INVARIANTS
from charter_oracle.oracle.charter_file import load_charter

CORPUS = Path(__file__).parent.parent / "user_charters"
CHARTERS = sorted(p.name.removesuffix(".cap-table.toml") for p in CORPUS.glob("*.cap-table.toml"))




def test_the_corpus_is_large_and_varied() -> None:
    assert len(CHARTERS) >= 30
    texts = {name: (CORPUS / f"{name}.toml").read_text() for name in CHARTERS}
    without = lambda key: [n for n, t in texts.items() if key not in t]  # noqa: E731
    # each optional part is left out somewhere, and present somewhere else
    for key in ("dividend = {", "[dilution]", "[[consents]]", "[[liquidation.deemed]]", "[conversion.automatic_offering]",
                "[conversion.automatic_consent]", "[[series]]"):
        assert without(key) and len(without(key)) < len(texts), key
    assert any('id = "ordinary"' in t for t in texts.values())  # a common class id other than "common"
    assert any("series_a" not in t and "[[series]]" in t for t in texts.values())


@pytest.mark.parametrize("name", CHARTERS)
def test_every_applicable_invariant_cites_a_clause_of_the_charter(name: str) -> None:
    charter = load_charter(str(CORPUS / f"{name}.toml"))
    for invariant in INVARIANTS:
        applies, reason = invariant.applies_to(charter)
        assert reason, invariant.id  # applicable or not, the reason is stated
        if applies:
            assert invariant.clauses(charter), invariant.id


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ci profile with 10 examples, so that 42 charters check in seconds (this test is about crashes)."""
    original = suite.profile_settings
    monkeypatch.setattr(suite, "profile_settings", lambda name: settings(original(name), max_examples=10))


# Where 10 examples missed a clause (or, once, where no clause could be reached at all: a charter without
# any anti-dilution clause), the real ci profile reaches every applicable one: these check at the ci profile.
CI_PROFILE = ("junior-participating", "zero-preference", "seed-1x")


@pytest.mark.parametrize("name", CHARTERS)
def test_check_writes_a_complete_report(name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                        request: pytest.FixtureRequest) -> None:
    if name not in CI_PROFILE:
        request.getfixturevalue("quick")
    charter, cap = str(CORPUS / f"{name}.toml"), str(CORPUS / f"{name}.cap-table.toml")
    status, out, err = run(capsys, "check", charter, "--cap-table", cap, "--out", str(tmp_path), "--no-mutants")
    assert "Traceback" not in out + err
    report = json.loads((tmp_path / f"{name}.json").read_text())
    verdicts = {row["id"]: row["verdict"] for row in report["invariants"]}
    assert set(verdicts) == {inv.id for inv in INVARIANTS}
    crashed = {k: v for k, v in verdicts.items() if v in ("error", "violated")}
    assert not crashed, [row for row in report["invariants"] if row["id"] in crashed]
    for row in report["invariants"]:
        if row["verdict"] == "not applicable":
            assert row["detail"], row["id"]  # with the reason
    # exit 1 only for findings about the text, or (at 10 examples, not the ci profile's 50) an invariant
    # none of whose examples reached its clause; each named on the console
    findings = [row["id"] for row in report["invariants"] if row["verdict"] == "finding"]
    vacuous = [row["id"] for row in report["invariants"] if row["verdict"] == "vacuous"]
    assert status == (1 if findings or vacuous else 0), out
    for invariant in findings:
        assert f"check: FAILED {name}: {invariant} (new finding)" in out
    for invariant in vacuous:
        assert f"check: FAILED {name}: {invariant} (vacuous" in out
    assert len(vacuous) <= 1, vacuous  # 10 examples miss a clause now and then, not wholesale
    if name in CI_PROFILE:  # the ci profile reaches every applicable invariant's clause
        assert not vacuous, out
    assert (tmp_path / f"{name}.md").read_text().startswith("# ")
    assert (tmp_path / f"{name}.svg").read_text().startswith("<?xml")


@pytest.mark.parametrize("name", CHARTERS)
def test_waterfall_votes_and_solve_answer(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    charter, cap = str(CORPUS / f"{name}.toml"), str(CORPUS / f"{name}.cap-table.toml")
    status, out, err = run(capsys, "waterfall", charter, "--cap-table", cap, "--proceeds", "25000000", "--json")
    assert status == 0 and err == "", err
    paid = json.loads(out)
    # the whole exit is paid out, to the holders of the user's own cap table
    from fractions import Fraction
    assert sum(Fraction(a) for a in paid["holders"].values()) == 25_000_000
    status, out, err = run(capsys, "votes", charter, "--cap-table", cap, "--json")
    assert status == 0 and err == "" and json.loads(out)["total"] > 0, err
    status, out, err = run(capsys, "solve", charter, "--cap-table", cap, "--json")
    assert status == 0 and err == "", err
    assert "counterexample" not in {p["verdict"] for p in json.loads(out)["proofs"].values()}
