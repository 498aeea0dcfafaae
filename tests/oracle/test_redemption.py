"""Redemption (NVCA 2020 §6) on tests/user_charters/redeemable.toml, hand-computed.

The series: 1,000,000 Series B (Lead Fund 600,000, Second Fund 300,000, Angel 100,000), original issue
price $4.00, declared unpaid dividends $0.10 a share, first issue 2020-02-29; redeemable at the request
of more than 1/2 of Series B from the 5th anniversary of the first issue, in 3 annual installments, the
first 60 days after the request. Price per share = 4.00 + 0 accrued (non-cumulative) + 0.10 = 4.10.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest

import charter_oracle as co
from _cli import run
from charter_oracle.oracle.charter_file import build_charter, read_toml
from charter_oracle.oracle.errors import CharterFormatError, InputError
from charter_oracle.oracle.redemption import add_months

HERE = Path(__file__).resolve().parents[1] / "user_charters"
CHARTER, TABLE = str(HERE / "redeemable.toml"), str(HERE / "redeemable.cap-table.toml")


def loaded() -> co.LoadedCharter:
    return co.load(CHARTER, TABLE)


def test_three_equal_installments_sum_to_the_redemption_price() -> None:
    r = loaded().redeem("series_b", ["Lead Fund"], "2026-03-01")
    assert r.redeemable
    # Start: 2020-02-29 + 5 years -> 2025-02-28 (no Feb 29 in 2025); the request on 2026-03-01 is after it.
    # Dates: 2026-03-01 + 60 days = 2026-04-30, then 2027-04-30 and 2028-04-30.
    assert [i.date for i in r.schedule.installments] == [dt.date(2026, 4, 30), dt.date(2027, 4, 30), dt.date(2028, 4, 30)]
    assert all(i.price_per_share == Fraction("4.10") for i in r.schedule.installments)
    # Lead Fund: 600,000 / 3 = 200,000 shares a date, x 4.10 = $820,000; in all 600,000 x 4.10 = $2,460,000.
    first = r.schedule.installments[0].holders[0]
    assert (first.holder, first.shares_due, first.amount_paid) == ("Lead Fund", 200000, Fraction(820000))
    assert r.paid == {"Lead Fund": Fraction(2460000), "Second Fund": Fraction(1230000), "Angel": Fraction(410000)}
    assert r.schedule.unredeemed == ()


def test_a_shortfall_is_shared_pro_rata_and_falls_due_again() -> None:
    r = loaded().redeem("series_b", ["Lead Fund"], "2026-03-01", ["10000000", "1000000", "10000000"])
    second = r.schedule.installments[1]
    # Due on the 2nd date: 1,000,000 / 3 shares x 4.10 = 4,100,000/3; $1,000,000 available: ratio 30/41.
    assert second.amount_due == Fraction(4100000, 3) and second.amount_paid == 1000000
    # Lead Fund is owed 200,000 x 4.10 = 820,000 and gets 820,000 x 30/41 = $600,000 (60% of the funds).
    assert {h.holder: h.amount_paid for h in second.holders} == {
        "Lead Fund": Fraction(600000), "Second Fund": Fraction(300000), "Angel": Fraction(100000)}
    # The 3rd date takes what is left: Lead Fund 600,000 - 200,000 - 6,000,000/41 = 10,400,000/41 shares.
    assert second.shortfall == Fraction(4100000, 3) - 1000000
    third = {h.holder: h.shares_redeemed for h in r.schedule.installments[2].holders}
    assert third["Lead Fund"] == 600000 - 200000 - Fraction(6000000, 41)
    # Over the three dates every holder still gets its full 4.10 a share.
    assert r.paid["Lead Fund"] == 600000 * Fraction("4.10")


def test_funds_short_on_the_last_date_leave_shares_unredeemed() -> None:
    r = loaded().redeem("series_b", ["Lead Fund"], "2026-03-01", ["10000000", "10000000", "410000"])
    # Last date due: 1,000,000/3 shares = 4,100,000/3 dollars; $410,000 pays 3/10 of it; the Angel
    # (1/10 of the series) keeps 100,000/3 x 7/10 = 70,000/3 shares.
    assert dict(r.schedule.unredeemed)["Angel"] == Fraction(70000, 3)


def test_the_request_needs_more_than_half_of_the_series() -> None:
    # Second Fund and Angel: 400,000 of 1,000,000 -- not more than 1/2; exactly half is not enough either.
    r = loaded().redeem("series_b", ["Second Fund", "Angel"])
    assert not r.redeemable and r.schedule.installments == ()
    assert [c.ok for c in r.schedule.checks] == [False, True]


def test_a_request_before_the_fifth_anniversary_is_not_valid() -> None:
    r = loaded().redeem("series_b", ["Lead Fund"], "2025-02-27")  # the day before 2025-02-28
    assert [c.ok for c in r.schedule.checks] == [True, False]


def test_add_months_keeps_the_day_or_takes_the_month_end() -> None:
    assert add_months(dt.date(2020, 2, 29), 60) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
    assert add_months(dt.date(2020, 11, 15), 14) == dt.date(2022, 1, 15)


def test_bad_requests_are_input_errors() -> None:
    with pytest.raises(InputError, match="not a redeemable series"):
        loaded().redeem("common", ["Lead Fund"])
    with pytest.raises(InputError, match="'Lead Fnud' is not in the cap table"):
        loaded().redeem("series_b", ["Lead Fnud"])
    with pytest.raises(InputError, match="2 amounts given for 3"):
        loaded().redeem("series_b", ["Lead Fund"], funds=["1", "2"])
    with pytest.raises(TypeError):
        loaded().redeem("series_b", ["Lead Fund"], funds=[1.5, 1, 1])


def _charter(**redemption: object) -> dict:
    raw = read_toml(Path(CHARTER), "charter")
    raw["series"][0]["redemption"] = {"cite": "§6", "threshold": "1/2", "compare": ">", "installments": 3,
                                      "notice_days": 60, "start_date": "2025-01-01", **redemption}
    return raw


@pytest.mark.parametrize(("change", "message"), [
    ({"start_anniversary": 5}, "exactly one of start_date and start_anniversary"),
    ({"installments": 0}, "at least 1"),
    ({"compare": "<"}, "'>' or '>='"),
    ({"installments": 1, "installment_months": 6}, "one installment has no interval"),
    ({"price_per_share": 4.1}, "float"),
    ({"notice": 60}, "unknown key"),
])
def test_redemption_terms_are_validated(change: dict, message: str) -> None:
    with pytest.raises(CharterFormatError, match=message):
        build_charter(_charter(**change), "x.toml")


def test_price_per_share_replaces_the_original_issue_price() -> None:
    charter = build_charter(_charter(price_per_share="5"), "x.toml")
    assert charter.series[0].redemption.price_per_share == 5  # else the $4.00 original issue price


def test_cli_json_equals_the_api_and_bad_input_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["redeem", CHARTER, "--cap-table", TABLE, "--series", "series_b", "--requested-by", "Lead Fund",
            "--funds", "10000000,1000000,10000000"]
    status, out, err = run(capsys, *args, "--json")
    assert (status, err) == (0, "")
    api = loaded().redeem("series_b", ["Lead Fund"], None, ["10000000", "1000000", "10000000"])
    assert json.loads(out) == api.to_json()
    assert json.loads(out)["installments"][1]["shortfall"] == "1100000/3"  # 4,100,000/3 - 1,000,000
    status, out, err = run(capsys, *args[:-1], "1,x,2")
    assert (status, out) == (2, "") and err.count("\n") == 1 and "--funds[1]" in err


def test_comply_redeem_action_reports_the_request_checks() -> None:
    answer = loaded().comply({"action": "redeem", "series": "series_b", "approving": ["Lead Fund"], "date": "2026-03-01"})
    assert [(c.name, c.ok) for c in answer.checks] == [("redemption-request", True), ("redemption-start", True)]
    with pytest.raises(InputError, match="action.series"):
        loaded().comply({"action": "redeem", "approving": ["Lead Fund"]})
