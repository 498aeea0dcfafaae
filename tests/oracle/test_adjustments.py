"""oracle.adjustments: the conversion-price ledger, every expected price computed by hand.

Formula of both charters (infinity IV.4(d)(iv), nvidia IV.D.3(G)(I)):
    CP' = CP * (N + consideration / CP) / (N + new shares)  =  (CP * N + consideration) / (N + new shares)
nvidia: N = common + preferred as converted + ALL options; consideration net of underwriting
commissions; exact prices; Series C never adjusts on an issue.
infinity: only Series C adjusts; gross consideration; N counts options only when their exercise
price is strictly below the Series A price; prices to the nearest cent with changes under $0.01
carried forward (IV.4(h)).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

import pytest

from charter_oracle.oracle.adjustments import Event, parse_events, reservation_shortfall, run_ledger
from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import EventsError, InputError
from _nvidia_table import NV, nv_table

INF = load_charter("infinity-1996")
NV_DAY = dt.date(1998, 6, 1)  # after nvidia's dilution start date 1998-02-23
INF_DAY = dt.date(1996, 8, 1)  # after infinity's Original Issue Date 1994-01-15


def issue(shares, price, commissions="0", day=None, excluded=None):
    return Event("issue", day or NV_DAY, shares=shares, price=F(price), commissions=F(commissions), excluded=excluded)


def grant(shares, exercise_price, price="0", day=None, excluded=None):
    return Event("grant", day or NV_DAY, shares=shares, price=F(price), exercise_price=F(exercise_price), excluded=excluded)


def expire(shares, of, day=None):
    return Event("expire", day or NV_DAY, shares=shares, grant=of)


def split(ratio, day=None):
    return Event("split", day or NV_DAY, ratio=F(ratio))


# --- nvidia ---------------------------------------------------------------------------------------
# common 1,000,000; A 1,000,000 (at 0.50/0.50 = 1,000,000 as converted); C 150,000; D 100,000;
# options 250,000 at $0.25.  N = 1,000,000 + 1,000,000 + 150,000 + 100,000 + 250,000 = 2,500,000.
NV_N = 2_500_000




def nv_prices(events, charter=NV):
    return [s.conversion_prices for s in run_ledger(charter, nv_table(charter), events).states]


def test_nvidia_weighted_average_by_hand_net_of_commissions():
    # 500,000 shares at $0.40 with $10,000 commissions: consideration 200,000 - 10,000 = 190,000
    # (net of commissions, IV.D.3(G)(II)); effective price 0.38.
    after = nv_prices([issue(500_000, "0.40", "10000")])[0]
    consideration = 500_000 * F("0.40") - 10_000
    assert consideration == 190_000
    # A: (0.50 x 2,500,000 + 190,000) / 3,000,000 = 1,440,000 / 3,000,000 = 0.48
    assert after["series_a"] == (F("0.50") * NV_N + 190_000) / (NV_N + 500_000) == F("0.48")
    # B (no shares outstanding, still has a price): (1.80 x 2,500,000 + 190,000) / 3,000,000 = 4,690,000/3,000,000
    assert after["series_b"] == F(4_690_000, 3_000_000) == F(469, 300)
    # D: (5.26 x 2,500,000 + 190,000) / 3,000,000 = 13,340,000 / 3,000,000
    assert after["series_d"] == F(13_340_000, 3_000_000) == F(667, 150)
    # C never adjusts on an issue (3(G) names A, B and D)
    assert after["series_c"] == F("6.666667")
    # gross (200,000) would have given (1,250,000 + 200,000)/3,000,000 = 0.48333..: the oracle must not
    assert after["series_a"] != F(1_450_000, 3_000_000)


def test_nvidia_base_counts_all_options():
    # The same issue with no options in the table: N would be 2,250,000 and A = (1,125,000+190,000)/2,750,000.
    # The oracle's 0.48 above is only reached with all 250,000 options (exercise $0.25) in N.
    after = nv_prices([issue(500_000, "0.40", "10000")])[0]
    assert after["series_a"] != F(1_315_000, 2_750_000)
    assert after["series_a"] == F("0.48")


def test_nvidia_issue_exactly_at_price_changes_nothing_for_that_series():
    # $0.50 is not strictly below A's $0.50: A unchanged (B and D, higher, do move)
    after = nv_prices([issue(100_000, "0.50")])[0]
    assert after["series_a"] == F("0.50")
    # D: (5.26 x 2,500,000 + 50,000) / 2,600,000 = 13,200,000 / 2,600,000
    assert after["series_d"] == F(13_200_000, 2_600_000)


def test_nvidia_issue_one_cent_below_adjusts():
    # $0.49: A = (0.50 x 2,500,000 + 49,000) / 2,600,000 = 1,299,000 / 2,600,000 = 0.4996153...
    after = nv_prices([issue(100_000, "0.49")])[0]
    assert after["series_a"] == F(1_299_000, 2_600_000)
    assert after["series_a"] < F("0.50")


def test_nvidia_below_test_uses_net_effective_price():
    # $0.51 a share but $2,000 commissions on 100,000 shares: net 51,000 - 2,000 = 49,000, effective 0.49 < 0.50
    after = nv_prices([issue(100_000, "0.51", "2000")])[0]
    assert after["series_a"] == F(1_299_000, 2_600_000)


def test_nvidia_issue_far_below():
    # $0.01: A = (1,250,000 + 1,000) / 2,600,000 = 1,251,000 / 2,600,000
    after = nv_prices([issue(100_000, "0.01")])[0]
    assert after["series_a"] == F(1_251_000, 2_600_000)
    assert after["series_c"] == F("6.666667")


def test_nvidia_prices_exact_by_default_cents_by_interpretation():
    cents = load_charter("nvidia-1998", {"nvidia.price-rounding": "1/100"})
    after = nv_prices([issue(500_000, "0.40", "10000")], cents)[0]
    # 0.48 stays; 469/300 = 1.5633.. -> 1.56; 667/150 = 4.4466.. -> 4.45
    assert (after["series_a"], after["series_b"], after["series_d"]) == (F("0.48"), F("1.56"), F("4.45"))


def test_nvidia_split_halves_every_price_including_c():
    after = nv_prices([split(2)])[0]
    # 2-for-1: every price / 2 (IV.D.3(D)), Series C too
    assert after == {"series_a": F("0.25"), "series_b": F("0.90"), "series_c": F("6.666667") / 2,
                     "series_d": F("2.63")}


def test_nvidia_combination_doubles_and_round_trip():
    states = nv_prices([split("1/2"), split(2)])
    assert states[0]["series_a"] == F("1.00") and states[0]["series_c"] == F("13.333334")
    assert states[1] == {"series_a": F("0.50"), "series_b": F("1.80"), "series_c": F("6.666667"),
                         "series_d": F("5.26")}


def test_nvidia_split_then_dilutive_issue_uses_split_base():
    # After 2-for-1: common 2,000,000; A 1,000,000 x 0.50/0.25 = 2,000,000; C 150,000 x 2 = 300,000;
    # D 100,000 x 2 = 200,000; options 500,000 at $0.125 -> N = 5,000,000.
    # Issue 1,000,000 at $0.20 (< 0.25): A = (0.25 x 5,000,000 + 200,000) / 6,000,000 = 1,450,000/6,000,000
    after = nv_prices([split(2), issue(1_000_000, "0.20")])[1]
    assert after["series_a"] == F(1_450_000, 6_000_000)


def test_nvidia_option_grant_deemed_issued_at_grant_then_expiry_readjusts():
    # grant 200,000 options at exercise $0.30 (nothing paid for the grant): deemed issue of the maximum
    # 200,000 shares for the minimum 60,000; effective 0.30 < 0.50.
    # A = (1,250,000 + 60,000) / 2,700,000 = 1,310,000 / 2,700,000
    states = nv_prices([grant(200_000, "0.30"), expire(100_000, 0), expire(100_000, 0)])
    assert states[0]["series_a"] == F(1_310_000, 2_700_000)
    # half expires: as if only 100,000 had been granted: (1,250,000 + 30,000) / 2,600,000
    assert states[1]["series_a"] == F(1_280_000, 2_600_000)
    # all expired: back to the price without the grant (IV.D.3(G)(III))
    assert states[2]["series_a"] == F("0.50")
    assert states[2]["series_d"] == F("5.26")


def test_nvidia_grant_consideration_includes_premium_and_exercise():
    # 200,000 options, $0.05 paid per option, $0.30 exercise: minimum total 200,000 x 0.35 = 70,000.
    # A = (1,250,000 + 70,000) / 2,700,000 = 22/45
    assert nv_prices([grant(200_000, "0.30", "0.05")])[0]["series_a"] == F(1_320_000, 2_700_000) == F(22, 45)


def test_nvidia_partial_expiry_keeps_premium_of_all_options():
    # grant 200,000 at $0.05 premium + $0.30 exercise; 100,000 expire.  Readjusted as if 100,000 shares
    # were issued for 100,000 x 0.30 + 200,000 x 0.05 = 30,000 + 10,000 = 40,000:
    # A = (1,250,000 + 40,000) / 2,600,000 = 129/260 (the oracle gives (1,250,000 + 35,000)/2,600,000)
    states = nv_prices([grant(200_000, "0.30", "0.05"), expire(100_000, 0)])
    assert states[1]["series_a"] == F(1_290_000, 2_600_000)


def test_nvidia_expiry_readjusts_with_an_intervening_issue():
    # grant 200,000 at $0.30, then issue 100,000 at $0.01, then the grant expires entirely.
    # Readjusted price = the price had only the issue happened: (1,250,000 + 1,000) / 2,600,000
    states = nv_prices([grant(200_000, "0.30"), issue(100_000, "0.01"), expire(200_000, 0)])
    assert states[2]["series_a"] == F(1_251_000, 2_600_000)


def test_nvidia_employee_grant_excluded_without_cap():
    # board-approved employee grants are excluded (IV.D.3(G)(IV)), no numeric cap in nvidia
    states = nv_prices([grant(50_000_000, "0.01", excluded="employee")])
    assert states[0]["series_a"] == F("0.50")


# --- infinity ---------------------------------------------------------------------------------------
# common 1,000,000; A 100,000; C 100,000 (both 1:1); options 300,000 at $0.10 (below the $0.40 Series A
# price: counted) and 200,000 at $0.50 (not below: not counted).
# N = 1,000,000 + 100,000 + 100,000 + 300,000 = 1,500,000;  1.69 x N = 2,535,000.
INF_N = 1_500_000


def inf_table(charter=INF, options=None):
    return build_cap_table({
        "as_of": "1996-07-01",
        "issue_dates": {"series_c": "1994-01-15"},
        "holdings": [
            {"holder": "F", "class": "common", "shares": 1_000_000},
            {"holder": "A", "class": "series_a", "shares": 100_000},
            {"holder": "C", "class": "series_c", "shares": 100_000},
        ],
        "options": options if options is not None else [
            {"holder": "Pool", "shares": 300_000, "exercise_price": "0.10"},
            {"holder": "Pool", "shares": 200_000, "exercise_price": "0.50"},
        ],
    }, charter, "test")


def inf_run(events, charter=INF, options=None):
    return run_ledger(charter, inf_table(charter, options), events)


def inf_prices(events, charter=INF, options=None):
    return [s.conversion_prices for s in inf_run(events, charter, options).states]


def test_infinity_only_c_adjusts_gross_consideration_options_below_a_price():
    # 500,000 at $1.00, commissions $50,000 (ignored: gross cash, IV.4(d)(v)(1)(A))
    # C = (2,535,000 + 500,000) / 2,000,000 = 1.5175 -> nearest cent 1.52
    after = inf_prices([issue(500_000, "1.00", "50000", INF_DAY)])[0]
    assert (F("1.69") * INF_N + 500_000) / (INF_N + 500_000) == F("1.5175")
    assert after["series_c"] == F("1.52")
    assert after["series_a"] == F("0.40")  # Series A never adjusts on an issue
    # net basis would give (2,535,000 + 450,000)/2,000,000 = 1.4925 -> 1.49;
    # all options in N would give (1.69 x 1,700,000 + 500,000)/2,200,000 = 1.5332 -> 1.53
    assert after["series_c"] not in (F("1.49"), F("1.53"))


@pytest.mark.parametrize("exercise, counted", [("0.39", True), ("0.40", False)])
def test_infinity_option_at_exactly_a_price_is_not_in_base(exercise, counted):
    # options 1,000,000 only; issue 500,000 at $0.69.
    # counted:     N = 1,200,000 + 1,000,000 = 2,200,000: C = (3,718,000 + 345,000)/2,700,000 = 1.50481 -> 1.50
    # not counted: N = 1,200,000:                        C = (2,028,000 + 345,000)/1,700,000 = 1.39588 -> 1.40
    options = [{"holder": "Pool", "shares": 1_000_000, "exercise_price": exercise}]
    after = inf_prices([issue(500_000, "0.69", day=INF_DAY)], options=options)[0]
    assert after["series_c"] == (F("1.50") if counted else F("1.40"))


def test_infinity_issue_at_price_no_change():
    assert inf_prices([issue(500_000, "1.69", day=INF_DAY)])[0]["series_c"] == F("1.69")


def test_infinity_nearest_cent_half_up_and_half_even_on_split():
    # 2-for-1: C 1.69 / 2 = 0.845 exactly -> half up 0.85 (infinity.cent-tie default); half-even 0.84.
    # A 0.40 / 2 = 0.20.
    assert inf_prices([split(2, INF_DAY)])[0] == {"series_a": F("0.20"), "series_c": F("0.85")}
    even = load_charter("infinity-1996", {"infinity.cent-tie": "half-even"})
    assert inf_prices([split(2, INF_DAY)], even)[0] == {"series_a": F("0.20"), "series_c": F("0.84")}


def test_infinity_combination_doubles():
    assert inf_prices([split("1/2", INF_DAY)])[0] == {"series_a": F("0.80"), "series_c": F("3.38")}


def test_infinity_sub_cent_carried_forward_then_released():
    # Three issues of 10,000 at $1.00. C as converted stays 100,000 (effective price unchanged), so
    # the exact chain is (2,535,000 + 10,000 k) / (1,500,000 + 10,000 k):
    #   k=1: 2,545,000/1,510,000 = 1.685430  change 0.00457 < 0.01: carried, price stays 1.69
    #   k=2: 2,555,000/1,520,000 = 1.680921  cumulative 0.00908 < 0.01: still carried
    #   k=3: 2,565,000/1,530,000 = 1.676471  cumulative 0.01353 >= 0.01: made, to the cent 1.68
    events = [issue(10_000, "1.00", day=INF_DAY)] * 3
    result = inf_run(events)
    assert [s.conversion_prices["series_c"] for s in result.states] == [F("1.69"), F("1.69"), F("1.68")]
    exact = [F(2_535_000 + 10_000 * k, 1_500_000 + 10_000 * k) for k in (1, 2, 3)]
    assert F("1.69") - exact[1] < F(1, 100) <= F("1.69") - exact[2]
    assert round(exact[2] * 100) == 168


def test_infinity_carry_forward_per_adjustment_alternative_differs():
    # issue 1: 10,000 at $1.00 -> exact 2,545,000/1,510,000 = 1.685430, carried (1.69 stays).
    # issue 2: 1,000,000 at $1.51, N = 1,510,000, consideration 1,510,000:
    #   exact-cumulative (default): (1.685430 x 1,510,000 + 1,510,000)/2,510,000
    #                               = (2,545,000 + 1,510,000)/2,510,000 = 4,055,000/2,510,000 = 1.615538 -> 1.62
    #   per-adjustment: this issue on the price in effect, (1.69 x 1,510,000 + 1,510,000)/2,510,000
    #                   = 4,061,900/2,510,000 = 1.618287, less the carried 1.69 - 1.685430 = 0.004570
    #                   -> 1.613717 -> 1.61
    events = [issue(10_000, "1.00", day=INF_DAY), issue(1_000_000, "1.51", day=INF_DAY)]
    e1 = F(2_545_000, 1_510_000)
    cumulative = (e1 * 1_510_000 + 1_510_000) / 2_510_000
    per = (F("1.69") * 1_510_000 + 1_510_000) / 2_510_000 - (F("1.69") - e1)
    assert round(cumulative * 100) == 162 and round(per * 100) == 161
    assert inf_prices(events)[1]["series_c"] == F("1.62")
    alt = load_charter("infinity-1996", {"infinity.carry-forward": "per-adjustment"})
    states = inf_prices(events, alt)
    assert states[0]["series_c"] == F("1.69")
    assert states[1]["series_c"] == F("1.61")


def test_infinity_grant_deemed_issued_expiry_not_readjusted_by_default():
    # grant 200,000 options at $0.10 exercise: consideration 20,000.
    # C = (2,535,000 + 20,000) / 1,700,000 = 1.502941 -> 1.50
    events = [grant(200_000, "0.10", day=INF_DAY), expire(200_000, 0, INF_DAY)]
    states = inf_prices(events)
    assert states[0]["series_c"] == F("1.50")
    assert states[1]["series_c"] == F("1.50")  # infinity.option-expiry=none (default)
    readjust = load_charter("infinity-1996", {"infinity.option-expiry": "readjust"})
    states = inf_prices(events, readjust)
    assert [s["series_c"] for s in states] == [F("1.50"), F("1.69")]


def test_infinity_grant_with_premium_uses_minimum_total_consideration():
    # 200,000 options, $0.20 paid per option + $0.10 exercise: 60,000.
    # C = (2,535,000 + 60,000)/1,700,000 = 1.526470 -> 1.53
    assert inf_prices([grant(200_000, "0.10", "0.20", INF_DAY)])[0]["series_c"] == F("1.53")


def test_infinity_employee_cap_within_remaining_room_is_excluded():
    # cap 7,300,000, already used 6,159,781 (4,753,239 + 1,406,542) -> room 1,140,219
    assert 7_300_000 - 4_753_239 - 1_406_542 == 1_140_219
    result = inf_run([grant(1_140_219, "0.10", day=INF_DAY, excluded="employee")])
    assert result.initial.employee_cap_used == 6_159_781
    assert result.states[0].conversion_prices["series_c"] == F("1.69")
    assert result.states[0].employee_cap_used == 7_300_000


def test_infinity_employee_cap_excess_adjusts():
    # 1,200,000 employee options at $0.10: 1,140,219 within the cap, 59,781 not.
    # The excess: consideration 59,781 x 0.10 = 5,978.10.
    # C = (2,535,000 + 5,978.10) / 1,559,781 = 1.629060 -> 1.63
    after = inf_prices([grant(1_200_000, "0.10", day=INF_DAY, excluded="employee")])[0]
    assert (F(2_535_000) + F("5978.10")) / 1_559_781 > F("1.625")
    assert after["series_c"] == F("1.63")


def test_infinity_employee_cap_is_net_of_expirations():
    # fill the room, 140,219 of it expire, then a new employee grant of 140,219 fits again: no change.
    events = [grant(1_140_219, "0.10", day=INF_DAY, excluded="employee"),
              expire(140_219, 0, INF_DAY),
              grant(140_219, "0.10", day=INF_DAY, excluded="employee")]
    result = inf_run(events)
    assert [s.employee_cap_used for s in result.states] == [7_300_000, 7_159_781, 7_300_000]
    assert result.states[2].conversion_prices["series_c"] == F("1.69")


def test_infinity_issue_before_original_issue_date_is_not_additional():
    assert inf_prices([issue(500_000, "0.01", day=dt.date(1993, 12, 31))])[0]["series_c"] == F("1.69")


# --- reservation -----------------------------------------------------------------------------------


def test_reservation_shortfall_after_dilutive_issue():
    # nvidia: authorized common 200,000,000. common 195,990,000, A 4,000,000 (needs 4,000,000 at 0.50).
    # unissued 4,010,000 >= 4,000,000: no shortfall.
    table = build_cap_table({"as_of": "1998-03-01", "holdings": [
        {"holder": "F", "class": "common", "shares": 195_990_000},
        {"holder": "A", "class": "series_a", "shares": 4_000_000}]}, NV, "test")
    result = run_ledger(NV, table, [issue(10_000, "0.01")])
    assert reservation_shortfall(NV, result.initial) == 0
    # issue 10,000 at $0.01: N = 199,990,000; A = (0.50 x 199,990,000 + 100)/200,000,000 = 99,995,100/200,000,000
    # need = 4,000,000 x 0.50 / A = 400,000,000,000,000 / 99,995,100 = 4,000,196.0096 -> 4,000,196
    # unissued = 200,000,000 - 196,000,000 = 4,000,000 -> shortfall 196
    a = F(99_995_100, 200_000_000)
    assert result.states[0].conversion_prices["series_a"] == a
    assert 4_000_000 * F("0.50") / a == F(400_000_000_000_000, 99_995_100)
    assert reservation_shortfall(NV, result.states[0]) == 196


# --- events-file validation ----------------------------------------------------------------------


def good_row(**over):
    row = {"kind": "issue", "date": "1998-06-01", "shares": 100, "price": "0.10"}
    row.update(over)
    return row


def refused(rows, *needles):
    with pytest.raises(EventsError) as info:
        parse_events({"events": rows}, "events.toml")
    message = str(info.value)
    assert isinstance(info.value, InputError)
    assert "\n" not in message and "events.toml" in message
    for needle in needles:
        assert needle in message, message
    return message


def test_events_parse_good_file():
    events = parse_events({"events": [
        good_row(),
        {"kind": "grant", "date": dt.date(1998, 6, 2), "shares": 10, "exercise_price": "0.3"},
        {"kind": "expire", "date": "1998-06-03", "shares": 5, "grant": 1},
        {"kind": "split", "date": "1998-06-04", "ratio": "3/2"},
    ]}, "events.toml")
    assert [e.kind for e in events] == ["issue", "grant", "expire", "split"]
    assert events[0].price == F("0.10") and events[3].ratio == F(3, 2) and events[2].grant == 1


def test_events_bad_kind():
    refused([good_row(kind="dividend")], "events[0].kind", "dividend")  # ("exercise" is a kind now)


def test_events_missing_date():
    row = good_row()
    del row["date"]
    refused([row], "events[0].date", "missing")


def test_events_malformed_date():
    refused([good_row(date="1998-02-30")], "events[0].date")


def test_events_dates_out_of_order():
    refused([good_row(date="1998-06-02"), good_row(date="1998-06-01")], "events[1].date", "1998-06-01")


def test_events_expire_of_a_non_grant():
    refused([good_row(), {"kind": "expire", "date": "1998-06-02", "shares": 5, "grant": 0}], "events[1].grant")


def test_events_expire_of_a_later_event():
    refused([{"kind": "expire", "date": "1998-06-01", "shares": 5, "grant": 1},
             {"kind": "grant", "date": "1998-06-02", "shares": 10, "exercise_price": "0.3"}], "events[0].grant")


def test_events_float_price():
    refused([good_row(price=0.1)], "events[0].price", "float")


def test_events_negative_and_fractional_shares():
    refused([good_row(shares=-1)], "events[0].shares")
    refused([good_row(shares=1.5)], "events[0].shares")


def test_events_empty_and_unknown_field():
    refused([], "no [[events]]")
    refused([good_row(expenses="10")], "expenses")


def test_events_expire_more_than_granted_fails_at_run():
    events = parse_events({"events": [
        {"kind": "grant", "date": "1998-06-01", "shares": 10, "exercise_price": "0.3"},
        {"kind": "expire", "date": "1998-06-02", "shares": 11, "grant": 0}]}, "events.toml")
    with pytest.raises(EventsError):
        run_ledger(NV, nv_table(), events)


def test_infinity_employee_issue_of_common_counts_against_the_cap():
    # an excluded employee *issue* of 1,140,219 common fills the room (no change); the next employee
    # issue of 100,000 at $0.10 is wholly beyond the cap and adjusts, with the excluded shares now in N:
    # N = 1,500,000 + 1,140,219 = 2,640,219; C = (1.69 x 2,640,219 + 10,000) / 2,740,219
    #   = (4,461,970.11 + 10,000) / 2,740,219 = 1.631977 -> 1.63
    events = [issue(1_140_219, "0.10", day=INF_DAY, excluded="employee"),
              issue(100_000, "0.10", day=INF_DAY, excluded="employee")]
    result = inf_run(events)
    assert result.states[0].conversion_prices["series_c"] == F("1.69")
    assert result.states[0].employee_cap_used == 7_300_000
    exact = (F("1.69") * 2_640_219 + 10_000) / 2_740_219
    assert F("1.625") <= exact < F("1.635")
    assert result.states[1].conversion_prices["series_c"] == F("1.63")


def test_nvidia_other_excluded_issue_moves_nothing_but_enters_the_base():
    # an excluded issue (e.g. conversion shares) of 500,000 common: no change; then 100,000 at $0.01:
    # N = 2,500,000 + 500,000 = 3,000,000; A = (1,500,000 + 1,000) / 3,100,000
    states = nv_prices([issue(500_000, "0.01", excluded="other"), issue(100_000, "0.01")])
    assert states[0]["series_a"] == F("0.50")
    assert states[1]["series_a"] == F(1_501_000, 3_100_000)


def test_infinity_readjust_interpretation_partial_expiry():
    # infinity.option-expiry=readjust: 200,000 at $0.10 granted (-> 1.50), 100,000 expire: as if 100,000
    # had been granted: C = (2,535,000 + 10,000) / 1,600,000 = 1.590625 -> 1.59
    readjust = load_charter("infinity-1996", {"infinity.option-expiry": "readjust"})
    states = inf_prices([grant(200_000, "0.10", day=INF_DAY), expire(100_000, 0, INF_DAY)], readjust)
    assert [s["series_c"] for s in states] == [F("1.50"), F("1.59")]
