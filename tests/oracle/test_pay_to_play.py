"""Pay-to-play (NVCA 2020 §4, optional provision) on tests/user_charters/pay-to-play.toml, hand-computed.

Before: Series A Alpha 600,000 / Beta 400,000 (converts to common at value 1.00 / price 0.75, basis: the
series); Series B Alpha 300,000 / Gamma 200,000 (converts share for share to the shadow Series B-1, basis:
all preferred, 1,500,000 shares). A qualified financing offers 300,000 Series C shares:
* Alpha, Series A: 300,000 x 600,000/1,000,000 = 180,000 owed; bought 200,000 -> keeps.
* Beta, Series A: 300,000 x 400,000/1,000,000 = 120,000 owed; bought 0 -> 400,000 x 1/0.75 = 533,333 1/3
  common: 533,333 shares, 1/3 of a share in cash.
* Alpha, Series B: 300,000 x 900,000/1,500,000 = 180,000 owed; bought 200,000 -> keeps.
* Gamma, Series B: 300,000 x 200,000/1,500,000 = 40,000 owed; bought 30,000 -> 200,000 Series B-1.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import charter_oracle as co
from _cli import run
from charter_oracle.oracle.charter_file import build_charter, read_toml
from charter_oracle.oracle.errors import CapTableError, CharterFormatError, EventsError

HERE = Path(__file__).resolve().parents[1] / "user_charters"
CHARTER, TABLE = str(HERE / "pay-to-play.toml"), str(HERE / "pay-to-play.cap-table.toml")
EVENTS = str(HERE / "pay-to-play.events.toml")


def financing(qualified: bool = True, gamma: int = 30000, **extra: Any) -> dict[str, Any]:
    return {"events": [{"kind": "financing", "date": "2025-06-30", "class": "series_c", "price": "3.00",
                        "qualified": qualified, "offered": 300000, **extra,
                        "purchases": [{"holder": "Alpha", "shares": 200000}, {"holder": "Gamma", "shares": gamma},
                                      {"holder": "New Fund", "shares": 500000}]}]}


def test_exactly_the_non_buyers_convert() -> None:
    answer = co.load(CHARTER, TABLE).pay_to_play(EVENTS)
    assert answer.converted == (("Beta", "series_a"), ("Gamma", "series_b"))
    beta, gamma = answer.outcomes[0].conversions
    assert (beta.pro_rata, beta.into, beta.new_shares, beta.fraction) == (120000, "common", 533333, Fraction(1, 3))
    assert (gamma.pro_rata, gamma.bought, gamma.into, gamma.new_shares) == (40000, 30000, "series_b1", 200000)
    t = answer.table
    assert t.holder_shares("Beta", "series_a") == 0 and t.holder_shares("Beta", "common") == 533333
    assert t.holder_shares("Alpha", "series_a") == 600000 and t.holder_shares("Alpha", "series_b") == 300000
    assert t.shares_of("series_c") == 200000 + 30000 + 500000
    assert t.as_of.isoformat() == "2025-06-30"


def test_buying_exactly_the_pro_rata_amount_keeps_the_shares() -> None:
    answer = co.load(CHARTER, TABLE).pay_to_play(financing(gamma=40000))  # Gamma owes exactly 40,000
    assert answer.converted == (("Beta", "series_a"),)


def test_a_financing_that_is_not_qualified_converts_nobody() -> None:
    answer = co.load(CHARTER, TABLE).pay_to_play(financing(qualified=False))
    assert answer.converted == () and answer.table.shares_of("series_c") == 730000


def test_cli_json_equals_the_api_and_its_cap_table_reloads(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "pay-to-play", CHARTER, "--cap-table", TABLE, "--events", EVENTS, "--json")
    assert (status, err) == (0, "")
    payload = json.loads(out)
    assert payload == co.load(CHARTER, TABLE).pay_to_play(EVENTS).to_json()
    assert [c["holder"] for c in payload["financings"][0]["conversions"]] == ["Beta", "Gamma"]


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"qualified": "yes"}, EventsError, "qualified: expected true or false"),
    ({"class": "series_d"}, EventsError, "not a class"),
    ({"offered": -1}, EventsError, "offered"),
    ({"bonus": 1}, EventsError, "not a field of a financing event"),
    ({"date": "2024-12-31"}, EventsError, "before the cap table's as_of"),
    # Selling Series B: 500,000 held + 730,000 bought is beyond its 1,000,000 designated.
    ({"class": "series_b"}, CapTableError, "exceed the 1000000 designated"),
])
def test_bad_financings_are_one_line_errors(change: dict, error: type, message: str) -> None:
    raw = financing()
    raw["events"][0].update(change)
    with pytest.raises(error, match=message):
        co.load(CHARTER, TABLE).pay_to_play(raw)


def test_adjust_events_are_refused_by_pay_to_play() -> None:
    with pytest.raises(EventsError, match='kind = "financing"'):
        co.load(CHARTER, TABLE).pay_to_play({"events": [{"kind": "issue", "date": "2025-06-30", "shares": 1}]})


@pytest.mark.parametrize(("p2p", "message"), [
    ({"converts_to": "series_a", "basis": "series"}, "cannot convert into itself"),
    ({"converts_to": "series_z", "basis": "series"}, "not a class of this charter"),
    ({"converts_to": "common", "basis": "everyone"}, "not one of series, all-preferred"),
])
def test_pay_to_play_terms_are_validated(p2p: dict, message: str) -> None:
    raw = read_toml(Path(CHARTER), "charter")
    raw["series"][0]["pay_to_play"] = {"cite": "§4", **p2p}
    with pytest.raises(CharterFormatError, match=message):
        build_charter(raw, "x.toml")
