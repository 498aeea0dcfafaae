"""Fidelity of ``convert`` to the texts (issue 10): cash in lieu to the cent, declared dividends paid.

infinity: P holds 10 Series C at a price of 1.60: 10 x 1.69 / 1.60 = 10.5625 common -> 10.56 (IV.4(h)(i),
nearest 1/100 share) -> 10 whole shares and 0.56 of a share in cash (IV.4(g)).
"""

from __future__ import annotations

from fractions import Fraction as F

from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.conversion import convert_holder
from _nvidia_table import NV

INF = load_charter("infinity-1996")


def inf_table(dividends=None):
    raw = {"as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
           "holdings": [{"holder": "F", "class": "common", "shares": 1000},
                        {"holder": "P", "class": "series_c", "shares": 10},
                        {"holder": "P", "class": "series_a", "shares": 3}],
           "conversion_prices": {"series_c": "1.60"}}
    if dividends:
        raw["declared_unpaid_dividends"] = dividends
    return build_cap_table(raw, INF, "test")


def test_cash_in_lieu_to_the_nearest_cent_half_up_at_the_tie():
    # Converting only the 10 C: fraction 0.56. At a fair market value of $1.00625 a share the exact cash
    # is 0.56 x 1.00625 = 0.5635: not a tie, to the cent 0.56.
    r = convert_holder(INF, inf_table(), "P", {"series_c": 10}, F("1.00625"))
    assert (r.whole_shares, r.fraction) == (10, F("0.56"))
    assert F("0.56") * F("1.00625") == F("0.5635") and r.cash_in_lieu == F("0.56")
    # At $1.0625: 0.56 x 1.0625 = 0.595, an exact half cent: half up (infinity.cent-tie default) -> 0.60.
    assert convert_holder(INF, inf_table(), "P", {"series_c": 10}, F("1.0625")).cash_in_lieu == F("0.60")
    # 0.56 x 0.9375 = 0.525: half up 0.53, half even 0.52.
    assert convert_holder(INF, inf_table(), "P", {"series_c": 10}, F("0.9375")).cash_in_lieu == F("0.53")
    even = load_charter("infinity-1996", {"infinity.cent-tie": "half-even"})
    table = build_cap_table({"as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
                             "holdings": [{"holder": "P", "class": "series_c", "shares": 10}],
                             "conversion_prices": {"series_c": "1.60"}}, even, "test")
    assert convert_holder(even, table, "P", {"series_c": 10}, F("0.9375")).cash_in_lieu == F("0.52")


def test_nvidia_states_no_cash_rounding_and_stays_exact():
    # nvidia IV.D.3(M): fair market value of the fraction, no rounding stated. A 1,000,000 at 0.50/0.50 is whole;
    # use 3 shares of D at a price of 5.25: 3 x 5.26 / 5.25 = 3.00571428... -> 3 whole, 0.0057142857 in cash.
    table = build_cap_table({"as_of": "1998-03-01", "holdings": [{"holder": "D", "class": "series_d", "shares": 3}],
                             "conversion_prices": {"series_d": "5.25"}}, NV, "test")
    r = convert_holder(NV, table, "D", None, F("1"))
    assert r.whole_shares == 3 and r.cash_in_lieu == F(3) * F("5.26") / F("5.25") - 3 == F(3, 525)
    assert r.declared_dividends == 0


def test_declared_unpaid_dividends_are_paid_in_cash_on_conversion():
    # IV.4(a): declared unpaid $0.1352 per C and $0.04 per A: 10 x 0.1352 + 3 x 0.04 = 1.352 + 0.12 = 1.472,
    # to the nearest cent (IV.4(h)(i)) 1.47.
    r = convert_holder(INF, inf_table({"series_c": "0.1352", "series_a": "0.04"}), "P", None, F(0))
    assert r.declared_dividends == F("1.47")
    assert "IV.4(a); IV.4(c)" in r.cites
    # Converting only the A: 3 x 0.04 = 0.12.
    r = convert_holder(INF, inf_table({"series_c": "0.1352", "series_a": "0.04"}), "P", {"series_a": 3}, F(0))
    assert r.declared_dividends == F("0.12")
    # No declared dividends: nothing paid.
    assert convert_holder(INF, inf_table(), "P", None, F(0)).declared_dividends == 0


def test_converted_preferred_leaves_the_designated_and_the_authorized_preferred():
    # infinity IV.4(f): converted shares "cease to be a part of the authorized capital stock".
    # P converts 10 C and 3 A: designated C 1,041,667 - 10 = 1,041,657; A 500,000 - 3 = 499,997;
    # authorized preferred 6,541,667 - 13 = 6,541,654. Converting nothing leaves them all.
    r = convert_holder(INF, inf_table(), "P", None, F(0))
    assert dict(r.designated_after) == {"series_a": 499_997, "series_c": 1_041_657}
    assert r.authorized_preferred_after == 6_541_654
    assert convert_holder(INF, inf_table(), "P", {"series_a": 0}, F(0)).authorized_preferred_after == 6_541_667
    # nvidia IV.D.6: "eliminated from the shares which the corporation shall be authorized to issue":
    # 3 D converted: 10,000,000 - 3 = 9,999,997.
    table = build_cap_table({"as_of": "1998-03-01", "holdings": [{"holder": "D", "class": "series_d", "shares": 3}]},
                            NV, "test")
    assert convert_holder(NV, table, "D", None, F(0)).authorized_preferred_after == 9_999_997
