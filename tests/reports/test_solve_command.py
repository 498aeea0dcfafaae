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
