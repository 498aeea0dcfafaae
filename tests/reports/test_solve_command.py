"""charter-oracle solve: the JSON contract, readable text, and one-line bad input."""

from __future__ import annotations

import json
from fractions import Fraction

from charter_oracle.cli import main


def test_solve_json_contract(capsys):
    assert main(["solve", "nvidia-1998", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"breakpoints", "indifference", "proofs", "witnesses", "interpretations"}
    points = [Fraction(b) for b in data["breakpoints"]]
    assert points == sorted(points) and points
    # nvidia reference: all four preferences filled at
    # 4,383,000 x 0.50 + 2,879,719 x 1.80 + 760,000 x 6.666667 + 1,800,000 x 5.26
    # = 2,191,500 + 5,183,494.2 + 5,066,666.92 + 9,468,000 = 21,909,661.12
    assert points[0] == Fraction("21909661.12")
    for spans in data["indifference"].values():
        for span in spans:
            assert Fraction(span["from"]) <= (Fraction(span["to"]) if span["to"] is not None else Fraction(10**30))
    # nvidia's waterfall is correct: every exit-value invariant is proved, none has a counterexample
    assert data["proofs"] and {p["verdict"] for p in data["proofs"].values()} == {"proved"}
    # every witness was replayed through the oracle, and the oracle agreed
    assert data["witnesses"] and all(w["agrees"] is True for w in data["witnesses"])


def test_solve_text_and_bad_input(capsys):
    assert main(["solve", "infinity-1996"]) == 0
    assert "IV.3(b)" in capsys.readouterr().out
    assert main(["solve", "infinity-1996", "--cap-table", "/no/such.toml"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "no such file" in err


def test_internal_inconsistency_is_a_bug_report_exit_1_not_bad_input(capsys, monkeypatch):
    """The solver disagreeing with the oracle is our fault: exit 1 and a bug-report line, never exit 2."""
    from charter_oracle import solver
    from charter_oracle.solver.witness import SolverDisagreement

    def disagree(*_args, **_kw):
        raise SolverDisagreement("1 disagreement(s) between solver and oracle; first: planted")

    monkeypatch.setattr(solver, "solve", disagree)
    assert main(["solve", "nvidia-1998"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal inconsistency" in err and "planted" in err


def test_initial_price_below_conversion_value_solves(tmp_path, capsys):
    """example-modern with Series A-1 issued at 0.95 but converting on 1.00 (20/19 common a share).

    The consent-threshold witness once assumed one share is one as-converted vote and
    expected 4,300,000 of 8,600,000 (exactly 1/2, not "more than half"); the oracle
    rightly counted 4,300,000 x 20/19 = 4,526,315.79... -> 4,526,316 of 9,052,632 votes.
    The witness now prices every series at its conversion value, so 1 share = 1 vote.
    """
    from charter_oracle.oracle import bundled

    text = bundled.charter_file("example-modern").read_text(encoding="utf-8")
    old = 'conversion = { value = "1.00", initial_price = "1.00", cite = "IV.B.4(a)" }'
    assert text.count(old) == 1  # Series A-1's conversion terms
    path = tmp_path / "modern-095.toml"
    path.write_text(text.replace(old, old.replace('initial_price = "1.00"', 'initial_price = "0.95"')), encoding="utf-8")
    cap = bundled.reference_cap_table("example-modern")
    assert main(["solve", str(path), "--cap-table", str(cap), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    consents = [w for w in data["witnesses"] if w["id"] == "consent-threshold"]
    assert consents and all(w["agrees"] for w in consents)
    # exactly half of the preferred's votes is not "more than half": the first witness is not met
    assert consents[0]["expected"] == "met=False"
