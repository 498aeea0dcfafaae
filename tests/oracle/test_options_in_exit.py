"""Options and warrants in an exit (all.options-in-exit) on tests/user_charters/exit-warrants.toml, hand-computed.

Stock: Founders 6,000,000 common; Seed Fund 3,000,000 Series A ($1.00 1x non-participating, 1:1).
Grants: Pool options 1,000,000 common at $0.50, 600,000 vested; Bank warrant 200,000 common at $2.00;
Lender warrant 500,000 Series A at $1.00.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

import charter_oracle as co
from _cli import run
from charter_oracle.oracle.cap_table import build_cap_table, cap_table_to_toml, load_cap_table
from charter_oracle.oracle.charter_file import load_charter, read_toml
from charter_oracle.oracle.errors import CapTableError

HERE = Path(__file__).resolve().parents[1] / "user_charters"
CHARTER, TABLE = str(HERE / "exit-warrants.toml"), str(HERE / "exit-warrants.cap-table.toml")
CASH = {"all.options-in-exit": "cash-exercise"}


def test_excluded_is_the_default_and_pays_stock_only() -> None:
    w = co.load(CHARTER, TABLE).waterfall("12000000")
    # 9,000,000 shares as converted; $12,000,000 / 9,000,000 = 4/3 a share > the $1.00 preference: A converts.
    assert w.holders == {"Founders": Fraction(8000000), "Seed Fund": Fraction(4000000)}
    assert w.to_json()["exercised"] == [] and w.to_json()["paid_in"] == "0"
    assert w.to_json()["interpretations"]["all.options-in-exit"] == "excluded"


def test_cash_exercise_adds_the_exercise_price_and_shares_as_the_class() -> None:
    w = co.load(CHARTER, TABLE, CASH).waterfall("12000000")
    # Without exercise common and A are worth 4/3 a share: Pool ($0.50) and Lender ($1.00) are in the money,
    # Bank ($2.00) is not. Exercised: Pool's 600,000 vested (400,000 unvested lapse), Lender's 500,000.
    # Paid in: 600,000 x 0.50 + 500,000 x 1.00 = 800,000; proceeds 12,800,000 over 10,100,000 shares
    # = 128/101 a share (> $1.00, so A still converts; > both exercise prices, so both stay exercised).
    d = w.distribution
    assert [(e.holder, e.class_id, e.shares) for e in d.exercised] == [("Pool", "common", 600000),
                                                                          ("Lender", "series_a", 500000)]
    assert d.paid_in == 800000
    per_share = Fraction(128, 101)
    assert w.holders == {"Founders": 6000000 * per_share, "Seed Fund": 3000000 * per_share,
                         "Pool": 600000 * per_share, "Lender": 500000 * per_share}
    assert sum(w.holders.values()) == Fraction(12800000)  # proceeds + exercise price, to the cent
    assert w.proceeds == 12000000


def test_an_option_at_the_money_does_not_exercise() -> None:
    w = co.load(CHARTER, TABLE, CASH).waterfall("9000000")
    # Without exercise every share is worth $1.00: Lender's $1.00 warrant is not in the money (not more
    # than its price); Pool's is. With Pool: 9,300,000; A keeps its $3,000,000 preference (converting
    # would give 9.3/9.6 < 1), common 6,300,000 / 6,600,000 = 21/22 a share > $0.50.
    assert [e.holder for e in w.distribution.exercised] == ["Pool"]
    assert w.holders["Pool"] == 600000 * Fraction(21, 22)
    assert w.holders["Seed Fund"] == 3000000
    assert w.holders["Pool"] - 600000 * Fraction("0.50") == Fraction(3000000, 11)  # the exercise pays


def test_nothing_in_the_money_changes_nothing() -> None:
    plain = co.load(CHARTER, TABLE).waterfall("1000000")
    cash = co.load(CHARTER, TABLE, CASH).waterfall("1000000")  # A takes it all as preference; common $0
    assert cash.holders == plain.holders and cash.distribution.exercised == ()


def test_cli_json_lists_the_exercised_grants(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "waterfall", CHARTER, "--cap-table", TABLE, "--proceeds", "12000000",
                           "--interpret", "all.options-in-exit=cash-exercise", "--json")
    assert (status, err) == (0, "")
    payload = json.loads(out)
    assert payload["paid_in"] == "800000" and [e["holder"] for e in payload["exercised"]] == ["Pool", "Lender"]


def test_warrants_and_vesting_round_trip_through_the_file_format(tmp_path: Path) -> None:
    charter = load_charter(CHARTER)
    table = load_cap_table(TABLE, charter)
    again = tmp_path / "t.toml"
    again.write_text(cap_table_to_toml(table))
    assert load_cap_table(again, charter) == table


@pytest.mark.parametrize(("key", "row", "message"), [
    ("warrants", {"holder": "X", "class": "series_z", "shares": 1, "exercise_price": "1"}, "not a class"),
    ("warrants", {"holder": "X", "class": "common", "shares": 10, "exercise_price": "1", "vested": 11}, "more than"),
    ("warrants", {"holder": "X", "shares": 1, "exercise_price": "1"}, "expected holder, class"),
    ("options", {"holder": "X", "shares": 10, "exercise_price": "1", "vested": 12}, "more than the 10"),
    ("options", {"holder": "X", "shares": 10, "exercise_price": "1", "vesting": 5}, "optionally vested"),
])
def test_bad_grants_are_refused(key: str, row: dict, message: str) -> None:
    raw = read_toml(Path(TABLE), "cap table")
    raw[key] = [row]
    with pytest.raises(CapTableError, match=message):
        build_cap_table(raw, load_charter(CHARTER), "t.toml")


def test_the_text_output_names_the_exercised_grants(capsys: pytest.CaptureFixture[str]) -> None:
    from charter_oracle.cli import main

    assert main(["waterfall", CHARTER, "--cap-table", TABLE, "--proceeds", "12000000",
                 "--interpret", "all.options-in-exit=cash-exercise"]) == 0
    out = capsys.readouterr().out
    # 600,000 x $0.50 + 500,000 x $1.00 = $800,000
    assert "their $800,000.00 joined the proceeds): Pool 600,000 common at $0.50; Lender 500,000 series_a at $1.00" in out


@pytest.mark.parametrize("command", [["sweep", "--points", "1"], ["solve"], ["check", "--out", "unused-dir"]])
def test_commands_that_do_not_model_the_exercise_refuse_it(command: list[str], capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    from charter_oracle.cli import main

    argv = [command[0], CHARTER, "--cap-table", TABLE, *command[1:], "--interpret", "all.options-in-exit=cash-exercise"]
    assert main([a if a != "unused-dir" else str(tmp_path / "r") for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{command[0]} does not model options and warrants exercised" in err
    assert not (tmp_path / "r").exists()  # nothing written
