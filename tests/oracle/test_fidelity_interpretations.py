"""The interpretations issue 10 names, each at the edge where its two readings part (hand-computed).

infinity table: common 1,000,000; Series A 100,000 (0.40/0.40); Series C 100,000 (1.69/1.69); no
options. N = 1,200,000 and 1.69 x N = 2,028,000.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

import pytest

import charter_oracle as co
from charter_oracle.oracle.adjustments import Event, run_ledger
from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.valuation import market_value

DAY = dt.date(1996, 8, 1)
NEW = ("infinity.minimum-change-test", "infinity.rounding-remainder", "infinity.consideration",
       "infinity.valuation-window-end", "all.reprice-ceiling-base", "all.expiry-release")


def inf(**chosen):
    return load_charter("infinity-1996", chosen)


def c_prices(charter, events):
    table = build_cap_table({
        "as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
        "holdings": [{"holder": "F", "class": "common", "shares": 1_000_000},
                     {"holder": "A", "class": "series_a", "shares": 100_000},
                     {"holder": "C", "class": "series_c", "shares": 100_000}]}, charter, "test")
    return [s.price("series_c") for s in run_ledger(charter, table, events).states]


def issue(shares, price, commissions="0", days=0):
    return Event("issue", DAY + dt.timedelta(days=days), shares=shares, price=F(price), commissions=F(commissions))


def test_minimum_change_exact_or_rounded():
    # 10,000 at $0.7825: (2,028,000 + 7,825) / 1,210,000 = 2,035,825 / 1,210,000 = 1.6825 exactly.
    assert F(2_035_825, 1_210_000) == F("1.6825")
    # exact-change (default): 1.69 - 1.6825 = 0.0075 < 0.01: not made, carried.
    assert c_prices(inf(), [issue(10_000, "0.7825")]) == [F("1.69")]
    # rounded-price: 1.6825 rounds to 1.68, a change of 0.01: made.
    assert c_prices(inf(**{"infinity.minimum-change-test": "rounded-price"}), [issue(10_000, "0.7825")]) == [F("1.68")]


def test_rounding_remainder_dropped_or_carried():
    # 1st: 300,000 at $1.00: (2,028,000 + 300,000) / 1,500,000 = 1.552 -> 1.55 (made; remainder 0.002).
    # C as converted at 1.55: 100,000 x 1.69 / 1.55 = 109,032.26 -> 109,032 whole.
    # N for the 2nd = 1,300,000 + 100,000 + 109,032 = 1,509,032. 2nd: 140,000 at $1.00:
    #   dropped (default): (1.55 x 1,509,032 + 140,000) / 1,649,032 = 2,478,999.6 / 1,649,032 = 1.50331 -> 1.50
    #   carried:           (1.552 x 1,509,032 + 140,000) / 1,649,032 = 2,482,017.664 / 1,649,032 = 1.50514 -> 1.51
    assert F(2_328_000, 1_500_000) == F("1.552")
    assert F("1.50") < F("2478999.6") / 1_649_032 < F("1.505") < F("2482017.664") / 1_649_032 < F("1.51")
    events = [issue(300_000, "1.00"), issue(140_000, "1.00", days=1)]
    assert c_prices(inf(), events) == [F("1.55"), F("1.50")]
    assert c_prices(inf(**{"infinity.rounding-remainder": "carried"}), events) == [F("1.55"), F("1.51")]


def test_consideration_gross_or_net_of_commissions():
    # 500,000 at $1.00 with $50,000 commissions:
    #   gross (default): (2,028,000 + 500,000) / 1,700,000 = 1.48705... -> 1.49
    #   net:             (2,028,000 + 450,000) / 1,700,000 = 1.45764... -> 1.46
    assert c_prices(inf(), [issue(500_000, "1.00", "50000")]) == [F("1.49")]
    assert c_prices(inf(**{"infinity.consideration": "net"}), [issue(500_000, "1.00", "50000")]) == [F("1.46")]


def test_valuation_window_end_inclusive_or_exclusive():
    # Closes from 1996-01-20 at 10, 11, 12, ... (one a day). Distribution 1996-03-04, 3 days before: 03-01.
    #   inclusive (default): 02-01 .. 03-01 (30 days, 1996 is a leap year), closes 22 .. 51, mean 36.5
    #   exclusive: the window ends before 03-01: 01-31 .. 02-29, closes 21 .. 50, mean 35.5
    closes = [(dt.date(1996, 1, 20) + dt.timedelta(days=i), F(10 + i)) for i in range(51)]
    inclusive = market_value(inf(), closes, dt.date(1996, 3, 4))
    assert inclusive.window == (dt.date(1996, 2, 1), dt.date(1996, 3, 1)) and inclusive.value == F("36.5")
    exclusive = market_value(inf(**{"infinity.valuation-window-end": "exclusive"}), closes, dt.date(1996, 3, 4))
    assert exclusive.window == (dt.date(1996, 1, 31), dt.date(1996, 2, 29)) and exclusive.value == F("35.5")


def test_the_new_interpretations_are_in_every_json_output(tmp_path):
    c = co.load("infinity-1996")
    action = {"action": "issue", "class": "common", "shares": 1}
    outputs = [c.waterfall(1_000_000).to_json(), c.votes().to_json(), c.convert("Harbor Ventures").to_json(),
               c.dividend(1000).to_json(), c.comply(action).to_json(),
               c.adjust({"events": [{"kind": "split", "date": "1996-08-01", "ratio": 2}]}).to_json(),
               c.value([(dt.date(1996, 2, 1), "1")], "1996-02-04").to_json()]
    for out in outputs:
        assert set(NEW) <= set(out["interpretations"]), out
    assert outputs[0]["interpretations"]["infinity.rounding-remainder"] == "dropped"


@pytest.mark.parametrize("key, bad", [("infinity.rounding-remainder", "kept"), ("infinity.consideration", "gross-ish")])
def test_a_wrong_value_is_refused(key, bad):
    from charter_oracle.oracle.errors import InterpretationError

    with pytest.raises(InterpretationError, match="not an alternative"):
        load_charter("infinity-1996", {key: bad})


def _states(charter, events):
    table = build_cap_table({
        "as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
        "holdings": [{"holder": "F", "class": "common", "shares": 1_000_000},
                     {"holder": "A", "class": "series_a", "shares": 100_000},
                     {"holder": "C", "class": "series_c", "shares": 100_000}]}, charter, "test")
    return run_ledger(charter, table, events).states


def test_expiry_release_which_part_of_a_partly_capped_grant_is_freed():
    # IV.4(d)(i)(3)(B): the cap is 7,300,000 with 6,159,781 used (the charter file): room 1,140,219.
    # An employee grant of 1,140,220: 1,140,219 inside the cap, 1 Additional Share. Then 1 option expires.
    room = 7_300_000 - 6_159_781
    assert room == 1_140_219
    grant = Event("grant", DAY, shares=room + 1, exercise_price=F("1.00"), excluded="employee")
    expire = Event("expire", DAY + dt.timedelta(days=1), shares=1, grant=0)
    # excluded-first (default): the expired option was a capped one: 1 share of room again.
    assert [s.employee_cap_used for s in _states(inf(), [grant, expire])] == [7_300_000, 7_299_999]
    # additional-first: the expired option was the Additional Share: the cap stays full.
    other = inf(**{"all.expiry-release": "additional-first"})
    assert [s.employee_cap_used for s in _states(other, [grant, expire])] == [7_300_000, 7_300_000]


def test_reprice_ceiling_before_or_after_the_original_adjustment():
    # Grant 100,000 options at $0.50 for nothing: (2,028,000 + 50,000) / 1,300,000 = 1.59846 -> 1.60.
    # Repriced to $1.60: recomputed as if granted so: (2,028,000 + 160,000) / 1,300,000 = 1.68307..., a change
    # of 0.0069 from 1.69: not made, so the recomputed price is 1.69. The ceiling (IV.4(d)(iii)(C)) is the lower
    # of the price "on the original adjustment date" and the price with no grant (1.69):
    #   before-original (default): min(1.69, 1.69) = 1.69 -> 1.69
    #   after-original:            min(1.60, 1.69) = 1.60 -> the repricing cannot raise the price: 1.60
    assert F(2_078_000, 1_300_000) < F("1.605") and F("1.69") - F(2_188_000, 1_300_000) < F(1, 100)
    events = [Event("grant", DAY, shares=100_000, exercise_price=F("0.50")),
              Event("reprice", DAY + dt.timedelta(days=1), grant=0, exercise_price=F("1.60"))]
    assert [s.price("series_c") for s in _states(inf(), events)] == [F("1.60"), F("1.69")]
    after = inf(**{"all.reprice-ceiling-base": "after-original"})
    assert [s.price("series_c") for s in _states(after, events)] == [F("1.60"), F("1.60")]
