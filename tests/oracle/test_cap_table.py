"""oracle.cap_table: the DESIGN.md cap-table format, validated against its charter.

Bad cap tables raise InputError subclasses with one clear line naming the input and the value.
"""

from __future__ import annotations

import copy
import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import build_cap_table, cap_table_to_toml, load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import CapTableError, InputError
from charter_oracle.oracle.liquidation import distribute

INF = load_charter("infinity-1996")
NV = load_charter("nvidia-1998")
WHERE = "table.toml"

GOOD = {
    "as_of": "1996-07-01",
    "holdings": [
        {"holder": "Ann", "class": "common", "shares": 1000},
        {"holder": "Ann", "class": "series_a", "shares": 100},
        {"holder": "Cy", "class": "series_c", "shares": 200},
    ],
    "options": [{"holder": "Pool", "shares": 50, "exercise_price": "0.10"}],
    "conversion_prices": {"series_c": "1.55"},
    "declared_unpaid_dividends": {"series_c": "0.1352"},
    "issue_dates": {"series_c": "1995-07-01"},
}


def good() -> dict:
    return copy.deepcopy(GOOD)


def refused(data: dict, *needles: str, charter=INF) -> str:
    with pytest.raises(CapTableError) as info:
        build_cap_table(data, charter, WHERE)
    message = str(info.value)
    assert isinstance(info.value, InputError)
    assert "\n" not in message, message
    assert WHERE in message, message
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"
    return message


def test_good_table_reads_every_section():
    table = build_cap_table(good(), INF, WHERE)
    assert table.as_of == dt.date(1996, 7, 1)
    assert table.shares_of("common") == 1000
    assert table.holder_shares("Ann", "series_a") == 100
    assert table.holders == ("Ann", "Cy")
    assert table.option_shares == 50
    assert table.conversion_price(INF, "series_c") == Fraction("1.55")
    assert table.conversion_price(INF, "series_a") == Fraction("0.40")  # charter's initial price
    assert table.dividend_per_share("series_c") == Fraction("0.1352")
    assert table.dividend_per_share("series_a") == 0
    assert table.issue_date("series_c") == dt.date(1995, 7, 1)


def test_toml_native_dates_are_accepted():
    data = good()
    data["as_of"] = dt.date(1996, 7, 1)
    data["issue_dates"]["series_c"] = dt.date(1995, 7, 1)
    assert build_cap_table(data, INF, WHERE).as_of == dt.date(1996, 7, 1)


@pytest.mark.parametrize("charter_id", bundled.CHARTER_IDS)
def test_reference_cap_tables_load_and_round_trip(charter_id, tmp_path: Path):
    charter = load_charter(charter_id)
    table = load_cap_table(bundled.reference_cap_table(charter_id), charter)
    path = tmp_path / "again.toml"
    path.write_text(cap_table_to_toml(table))
    assert load_cap_table(path, charter) == table


def test_infinity_reference_cap_table_uses_the_facts_of_the_text():
    table = load_cap_table(bundled.reference_cap_table("infinity-1996"), INF)
    # 4(d)(i)(3)(B): 4,753,239 common and 1,406,542 option shares at the Original Issue Date
    assert table.shares_of("common") == 4_753_239
    assert table.option_shares == 1_406_542


def test_missing_file(tmp_path: Path):
    with pytest.raises(InputError) as info:
        load_cap_table(tmp_path / "absent.toml", INF)
    assert "absent.toml" in str(info.value) and "no such file" in str(info.value)


def test_not_toml(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text("as_of = \n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_cap_table(path, INF)


def test_unknown_class():
    data = good()
    data["holdings"][1]["class"] = "series_b"
    refused(data, "holdings[1].class", "series_b", "infinity-1996")


def test_unknown_series_in_a_section():
    data = good()
    data["conversion_prices"] = {"common": "1.00"}
    refused(data, "conversion_prices", "common")


def test_negative_shares():
    data = good()
    data["holdings"][0]["shares"] = -5
    refused(data, "holdings[0].shares", "-5")


@pytest.mark.parametrize("shares", [1.5, "1.5", 100.0, "1e3", True])
def test_fractional_or_non_integer_shares(shares):
    data = good()
    data["holdings"][2]["shares"] = shares
    refused(data, "holdings[2].shares", repr(shares))


@pytest.mark.parametrize(
    "section, key, value",
    [
        ("declared_unpaid_dividends", "series_c", 0.1352),
        ("conversion_prices", "series_c", 1.55),
        ("declared_unpaid_dividends", "series_c", "1e999999999"),
        ("declared_unpaid_dividends", "series_c", "nan"),
        ("conversion_prices", "series_c", "-1.55"),
        ("conversion_prices", "series_c", "0"),
    ],
    ids=str,
)
def test_bad_money(section, key, value):
    data = good()
    data[section][key] = value
    refused(data, f"{section}.{key}")


def test_float_exercise_price():
    data = good()
    data["options"][0]["exercise_price"] = 0.1
    refused(data, "options[0].exercise_price", "0.1")


@pytest.mark.parametrize("bad", ["1996-13-01", "1996-02-30", "July 1, 1996", "", "yesterday"])
def test_malformed_as_of(bad):
    data = good()
    data["as_of"] = bad
    refused(data, "as_of", repr(bad))


@pytest.mark.parametrize("bad", [19960701, "19960701", "1996-W27-1"])
def test_as_of_must_be_a_date_not_an_integer_or_other_iso_form(bad):
    data = good()
    data["as_of"] = bad
    refused(data, "as_of", repr(bad))


def test_malformed_issue_date():
    data = good()
    data["issue_dates"]["series_c"] = "1995-02-29"  # 1995 is not a leap year
    refused(data, "issue_dates.series_c", "1995-02-29")


def test_missing_as_of():
    data = good()
    del data["as_of"]
    refused(data, "as_of")


@pytest.mark.parametrize("holdings", [[], None, "none"])
def test_empty_holdings(holdings):
    data = good()
    if holdings is None:
        del data["holdings"]
    else:
        data["holdings"] = holdings
    refused(data, "holdings")


def test_all_zero_shares_cannot_be_distributed():
    data = good()
    for row in data["holdings"]:
        row["shares"] = 0
    table = build_cap_table(data, INF, WHERE)
    with pytest.raises(InputError, match="no shares"):
        distribute(INF, table, Fraction(100))


def test_holding_row_with_missing_or_extra_keys():
    data = good()
    del data["holdings"][0]["holder"]
    refused(data, "holdings[0]")
    data = good()
    data["holdings"][0]["price"] = "1"
    refused(data, "holdings[0]")


def test_unknown_top_level_key():
    data = good()
    data["holding"] = []
    refused(data, "holding")


def test_shares_beyond_designated():
    data = good()
    # infinity Art. IV: 500,000 Series A designated; 100 + 499,901 = 500,001
    data["holdings"].append({"holder": "Bo", "class": "series_a", "shares": 499_901})
    refused(data, "500001", "series_a", "500000")
    data["holdings"][-1]["shares"] = 499_900  # exactly the designated count is fine
    assert build_cap_table(data, INF, WHERE).shares_of("series_a") == 500_000


def test_common_beyond_authorized():
    data = good()
    data["holdings"][0]["shares"] = 25_000_001
    refused(data, "25000001", "25000000")


def test_series_c_needs_its_first_issue_date():
    # infinity 3(b): the interest leg of the cap runs from the series' first issue
    data = good()
    del data["issue_dates"]
    refused(data, "issue_dates", "series_c")


def test_issue_date_after_as_of():
    data = good()
    data["issue_dates"]["series_c"] = "1996-07-02"
    refused(data, "issue_dates.series_c", "1996-07-02")


def test_nvidia_table_needs_no_issue_dates():
    data = {"as_of": "1998-06-30", "holdings": [{"holder": "X", "class": "series_c", "shares": 760_000}]}
    assert build_cap_table(data, NV, WHERE).shares_of("series_c") == 760_000
    data["holdings"][0]["shares"] = 760_001
    refused(data, "760001", "760000", charter=NV)


def test_negative_proceeds_refused():
    table = build_cap_table(good(), INF, WHERE)
    with pytest.raises(InputError, match="negative"):
        distribute(INF, table, Fraction(-1, 100))
