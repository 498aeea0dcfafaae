"""charter_oracle.cli: the JSON contract of issue 2 section 3, determinism, and the bad-input rule.

Bad input of any kind: exit status 2, exactly one line on stderr, nothing on stdout.
"""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest

from charter_oracle.cli import main

NV_TABLE = """\
as_of = "1998-06-30"

[[holdings]]
holder = "Founder"
class = "common"
shares = 1000000

[[holdings]]
holder = "Lead"
class = "series_a"
shares = 1000000
"""


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    assert err == ""
    return json.loads(out)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def bad(capsys, *argv, needle=None):
    code, out, err = run(capsys, *argv)
    assert code == 2, (code, out, err)
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    if needle is not None:
        assert needle.lower() in err.lower(), err
    return err


# --- waterfall ---------------------------------------------------------------------------------------


def test_waterfall_json_contract_shortfall(tmp_path, capsys):
    table = write(tmp_path, "t.toml", NV_TABLE)
    data = run_json(capsys, "waterfall", "nvidia-1998", "--cap-table", table, "--proceeds", "100000")
    assert data["charter"] == "nvidia-1998"
    assert F(data["proceeds"]) == 100000
    # A's preference 1,000,000 x 0.50 = 500,000 > 100,000: all of it to A (IV.D.2(A)), nothing to common
    assert set(data["classes"]) >= {"common", "series_a"}
    assert F(data["classes"]["series_a"]["amount"]) == 100000
    assert data["classes"]["series_a"]["converted"] is False
    assert F(data["classes"]["common"]["amount"]) == 0
    assert {h: F(a) for h, a in data["holders"].items()} == {"Founder": 0, "Lead": 100000}
    assert isinstance(data["interpretations"], dict)
    assert data["interpretations"]["nvidia.price-rounding"] == "exact"


def test_waterfall_json_conversion_and_exact_fraction(tmp_path, capsys):
    table = write(tmp_path, "t.toml", NV_TABLE)
    # 2,000,001 proceeds: converting gives A 1,000,000/2,000,000 x 2,000,001 = 1,000,000.5 > 500,000 preference
    data = run_json(capsys, "waterfall", "nvidia-1998", "--cap-table", table, "--proceeds", "2000001")
    assert data["classes"]["series_a"]["converted"] is True
    assert F(data["classes"]["series_a"]["amount"]) == F("1000000.5")
    holders = {h: F(a) for h, a in data["holders"].items()}
    assert holders == {"Founder": F("1000000.5"), "Lead": F("1000000.5")}
    assert sum(holders.values()) == F(data["proceeds"])


def test_waterfall_non_terminating_amount_is_p_over_q(tmp_path, capsys):
    table = write(tmp_path, "t.toml", NV_TABLE.replace("shares = 1000000\n\n[[holdings]]", "shares = 2000000\n\n[[holdings]]"))
    # 3,000,000 shares as converted; proceeds 10,000,000: A converts, gets 1/3 = 10,000,000/3
    data = run_json(capsys, "waterfall", "nvidia-1998", "--cap-table", table, "--proceeds", "10000000")
    amount = data["classes"]["series_a"]["amount"]
    assert amount == "10000000/3"
    total = sum(F(a) for a in data["holders"].values())
    assert total == 10_000_000


def test_waterfall_bundled_holders_sum_to_proceeds(capsys):
    for charter in ("infinity-1996", "nvidia-1998", "byzantine-1999"):
        data = run_json(capsys, "waterfall", charter, "--proceeds", "12345678.91")
        assert sum(F(a) for a in data["holders"].values()) == F("12345678.91")
        assert sum(F(c["amount"]) for c in data["classes"].values()) == F("12345678.91")


def test_waterfall_lists_chosen_interpretation(capsys):
    data = run_json(capsys, "waterfall", "infinity-1996", "--proceeds", "1000000",
                    "--interpret", "infinity.vote-tie=half-even")
    assert data["interpretations"]["infinity.vote-tie"] == "half-even"
    assert data["interpretations"]["infinity.carry-forward"] == "exact-cumulative"


# --- votes and adjust ----------------------------------------------------------------------------------


def test_votes_json_contract(tmp_path, capsys):
    # series_a at 0.40: 0.50/0.40 = 1.25 per share; Lead holds 2 -> 2.5 -> 3 (half up); Founder 7 common
    table = write(tmp_path, "t.toml", """\
as_of = "1998-06-30"
[[holdings]]
holder = "Founder"
class = "common"
shares = 7
[[holdings]]
holder = "Lead"
class = "series_a"
shares = 2
[conversion_prices]
series_a = "0.40"
""")
    data = run_json(capsys, "votes", "nvidia-1998", "--cap-table", table)
    assert data["holders"] == {"Founder": 7, "Lead": 3}
    assert data["total"] == 10
    assert "interpretations" in data


def test_adjust_json_contract(tmp_path, capsys):
    table = write(tmp_path, "t.toml", NV_TABLE)
    events = write(tmp_path, "e.toml", """\
[[events]]
kind = "issue"
date = "1998-06-01"
shares = 1000000
price = "0.20"

[[events]]
kind = "split"
date = "1998-07-01"
ratio = 2
""")
    data = run_json(capsys, "adjust", "nvidia-1998", "--cap-table", table, "--events", events)
    after = data["after"]
    assert [a["event"] for a in after] == [0, 1]
    # N = 1,000,000 common + 1,000,000 A as converted = 2,000,000.
    # A = (0.50 x 2,000,000 + 200,000) / 3,000,000 = 1,200,000/3,000,000 = 0.4; then / 2 = 0.2
    assert F(after[0]["conversion_prices"]["series_a"]) == F("0.4")
    assert F(after[0]["conversion_prices"]["series_c"]) == F("6.666667")
    assert F(after[1]["conversion_prices"]["series_a"]) == F("0.2")
    assert F(after[1]["conversion_prices"]["series_c"]) == F("6.666667") / 2


def test_adjust_bad_events_file(tmp_path, capsys):
    table = write(tmp_path, "t.toml", NV_TABLE)
    events = write(tmp_path, "e.toml", '[[events]]\nkind = "issue"\ndate = "1998-06-01"\nshares = 10\nprice = 0.2\n')
    bad(capsys, "adjust", "nvidia-1998", "--cap-table", table, "--events", events, needle="price")
    events = write(tmp_path, "e2.toml", '[[events]]\nkind = "merge"\ndate = "1998-06-01"\n')
    bad(capsys, "adjust", "nvidia-1998", "--cap-table", table, "--events", events, needle="kind")


# --- determinism ------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ("waterfall", "nvidia-1998", "--proceeds", "75000000"),
    ("waterfall", "infinity-1996", "--proceeds", "3000000", "--json"),
    ("votes", "infinity-1996", "--json"),
    ("dividend", "nvidia-1998", "--amount", "100000", "--json"),
    ("list",),
])
def test_same_output_twice(capsys, argv):
    first = run(capsys, *argv)
    second = run(capsys, *argv)
    assert first[0] == 0 and first[1]
    assert first == second


# --- bad input: exit 2, one line on stderr, nothing on stdout -----------------------------------------


def test_missing_cap_table_file(tmp_path, capsys):
    bad(capsys, "waterfall", "nvidia-1998", "--cap-table", str(tmp_path / "nope.toml"), "--proceeds", "1",
        needle="nope.toml")


def test_unknown_charter(capsys):
    bad(capsys, "waterfall", "acme-2024", "--proceeds", "1", needle="acme-2024")
    bad(capsys, "votes", "acme-2024.toml", needle="acme-2024")


def test_unknown_class_in_cap_table(tmp_path, capsys):
    table = write(tmp_path, "t.toml", NV_TABLE.replace('class = "series_a"', 'class = "series_e"'))
    bad(capsys, "waterfall", "nvidia-1998", "--cap-table", table, "--proceeds", "1", needle="series_e")


@pytest.mark.parametrize("shares", ["-5", "1.5", '"1.5"', '"ten"', "true"])
def test_negative_and_fractional_shares(tmp_path, capsys, shares):
    table = write(tmp_path, "t.toml", NV_TABLE.replace("shares = 1000000\n", f"shares = {shares}\n", 1))
    bad(capsys, "waterfall", "nvidia-1998", "--cap-table", table, "--proceeds", "1", needle="shares")


def test_decimal_string_price_fine_toml_float_refused(tmp_path, capsys):
    fine = write(tmp_path, "fine.toml", NV_TABLE + '\n[conversion_prices]\nseries_a = "0.40"\n')
    code, out, err = run(capsys, "votes", "nvidia-1998", "--cap-table", fine, "--json")
    assert code == 0 and err == ""
    floated = write(tmp_path, "float.toml", NV_TABLE + "\n[conversion_prices]\nseries_a = 0.40\n")
    bad(capsys, "votes", "nvidia-1998", "--cap-table", floated, needle="series_a")
    option = write(tmp_path, "opt.toml", NV_TABLE + '\n[[options]]\nholder = "P"\nshares = 5\nexercise_price = 1.5\n')
    bad(capsys, "votes", "nvidia-1998", "--cap-table", option, needle="exercise_price")


@pytest.mark.parametrize("proceeds", ["1e999999999", "1.5.0", "NaN", "inf", "-1", "", "1,000"])
def test_bad_proceeds(tmp_path, capsys, proceeds):
    table = write(tmp_path, "t.toml", NV_TABLE)
    bad(capsys, "waterfall", "nvidia-1998", "--cap-table", table, "--proceeds", proceeds)


def test_good_proceeds_forms(tmp_path, capsys):
    table = write(tmp_path, "t.toml", NV_TABLE)
    for proceeds in ("1.5", "1e3", "7/2"):
        data = run_json(capsys, "waterfall", "nvidia-1998", "--cap-table", table, "--proceeds", proceeds)
        assert F(data["proceeds"]) == F(proceeds)


@pytest.mark.parametrize("as_of", ['"1998-13-01"', '"yesterday"', '"1998-02-30"'])
def test_malformed_date(tmp_path, capsys, as_of):
    table = write(tmp_path, "t.toml", NV_TABLE.replace('"1998-06-30"', as_of))
    bad(capsys, "votes", "nvidia-1998", "--cap-table", table, needle="as_of")


@pytest.mark.parametrize("text", ["", 'as_of = "1998-06-30"\n', 'as_of = "1998-06-30"\nholdings = []\n'])
def test_empty_cap_table(tmp_path, capsys, text):
    table = write(tmp_path, "t.toml", text)
    bad(capsys, "waterfall", "nvidia-1998", "--cap-table", table, "--proceeds", "1")


def test_unknown_interpretation(tmp_path, capsys):
    bad(capsys, "votes", "nvidia-1998", "--interpret", "nvidia.vote-tie=half-even", needle="nvidia.vote-tie")
    bad(capsys, "votes", "infinity-1996", "--interpret", "infinity.vote-tie=random", needle="random")
    bad(capsys, "votes", "infinity-1996", "--interpret", "no-equals-sign")


def test_directory_instead_of_file(tmp_path, capsys):
    bad(capsys, "waterfall", "nvidia-1998", "--cap-table", str(tmp_path), "--proceeds", "1", needle="directory")
    table = write(tmp_path, "t.toml", NV_TABLE)
    bad(capsys, "adjust", "nvidia-1998", "--cap-table", table, "--events", str(tmp_path))


def test_invalid_toml(tmp_path, capsys):
    table = write(tmp_path, "t.toml", "as_of = \n[[holdings\n")
    bad(capsys, "waterfall", "nvidia-1998", "--cap-table", table, "--proceeds", "1", needle="TOML")


def test_cap_table_beyond_designated(tmp_path, capsys):
    table = write(tmp_path, "t.toml", NV_TABLE.replace("shares = 1000000\n", "shares = 4383001\n").replace(
        'holder = "Founder"\nclass = "common"\nshares = 4383001', 'holder = "Founder"\nclass = "common"\nshares = 1'))
    bad(capsys, "votes", "nvidia-1998", "--cap-table", table, needle="series_a")


def test_usage_errors_are_one_line(capsys):
    bad(capsys, "waterfall", "nvidia-1998")  # --proceeds missing
    bad(capsys, "frobnicate")
