"""infinity-1996 Art. IV section 3: the liquidation waterfall, by hand.

3(a): Series A ($0.40) and Series C ($1.69) rank together, first, each plus declared and unpaid
dividends; a shortfall is shared in proportion to the full preferential amounts owed.
3(b): then Series C (as converted) and common share ratably until Series C has received, under 3(b)
alone, the lesser of $1.69 and 15% simple interest on $1.69 per 365-day year since Series C was
first issued. Series A takes no part.
3(c): the rest to common only.
4(a): either series may convert (A: 0.40/0.40 = 1 common per share; C: 1.69/1.69 = 1), so each
takes the better of its preference (with participation) and converting.

Most tests use hand-made cap tables with round numbers:
  A = 1000 shares, C = 1000 shares, common = 8000 shares; Series C first issued 1995-01-01 and the
  exit on 1996-01-01: 365 days, no Feb 29 inside, so the interest leg is 1.69 * 0.15 = $0.2535.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F


from charter_oracle.oracle.cap_table import build_cap_table, load_cap_table
from charter_oracle.oracle import bundled
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.positions import participation_cap_per_share

INF = load_charter("infinity-1996")
SERIES_C = INF.series_by_id("series_c")
C = F("0.01")  # one cent


def table(holdings, *, as_of="1996-01-01", issue="1995-01-01", charter=INF, **extra):
    raw = {
        "as_of": as_of,
        "holdings": [{"holder": h, "class": c, "shares": s} for h, c, s in holdings],
        "issue_dates": {"series_c": issue},
        **extra,
    }
    return build_cap_table(raw, charter, "hand-made")


def pay(tbl, proceeds, charter=INF):
    d = distribute(charter, tbl, F(proceeds))
    conserved(d)
    return d


def conserved(d):
    """Conservation: holders and classes each sum exactly to the proceeds, nobody negative."""
    assert sum((v for _, v in d.holders), F(0)) == d.proceeds
    assert sum((v for _, v in d.classes), F(0)) == d.proceeds
    assert all(v >= 0 for _, v in d.holders)
    assert all(v >= 0 for _, v in d.classes)


# Ann holds both series (per-holder aggregation); Bo only A; Cy only C; Com the common.
HOLDINGS = [
    ("Ann", "series_a", 500), ("Ann", "series_c", 500),
    ("Bo", "series_a", 500), ("Cy", "series_c", 500),
    ("Com", "common", 8000),
]
DIVIDENDS = {"declared_unpaid_dividends": {"series_a": "0.04", "series_c": "0.1352"}}
# Full preferential amounts, 3(a):
#   A: 1000 * (0.40 + 0.04)   =  440.00
#   C: 1000 * (1.69 + 0.1352) = 1825.20
#   total                     = 2265.20
# By share count (the wrong rule) each class would get half of any shortfall.
PREF_A, PREF_C = F(1000) * (F("0.40") + F("0.04")), F(1000) * (F("1.69") + F("0.1352"))
TOTAL_PREF = PREF_A + PREF_C
assert (PREF_A, PREF_C, TOTAL_PREF) == (F("440"), F("1825.20"), F("2265.20"))


# --- 3(a): shortfall -------------------------------------------------------------------------


def test_shortfall_shared_by_preferential_amount_not_share_count():
    tbl = table(HOLDINGS, **DIVIDENDS)
    d = pay(tbl, "1132.60")  # exactly half of 2265.20
    a, c = d.class_amount("series_a"), d.class_amount("series_c")
    assert a == F("440") / 2 == F("220")
    assert c == F("1825.20") / 2 == F("912.60")
    assert a != c  # share count (1000 each) would have paid 566.30 each
    assert d.class_amount("common") == 0
    assert d.converted == frozenset()
    # per holder: Ann = half the A class + half the C class = 110 + 456.30 = 566.30
    assert d.holder_amount("Ann") == F("110") + F("456.30") == F("566.30")
    assert d.holder_amount("Bo") == F("110")
    assert d.holder_amount("Cy") == F("456.30")
    assert d.holder_amount("Com") == 0
    assert any("shortfall" in s.what and s.cite == "IV.3(a)" for s in d.steps)


def test_shortfall_non_round_proceeds_exact_fractions():
    tbl = table(HOLDINGS, **DIVIDENDS)
    d = pay(tbl, "1000")
    assert d.class_amount("series_a") == F(1000) * 440 / F("2265.20")  # = 1100000/5663
    assert d.class_amount("series_c") == F(1000) * F("1825.20") / F("2265.20")
    assert d.class_amount("series_a") == F(1100000, 5663)
    # Bo: 500 of the 1000 A shares
    assert d.holder_amount("Bo") == F(1000) * 440 / F("2265.20") / 2


def test_shortfall_without_dividends_is_by_preference():
    # A 1000 * 0.40 = 400, C 1000 * 1.69 = 1690, total 2090; proceeds 209 = a tenth
    d = pay(table(HOLDINGS), "209")
    assert d.class_amount("series_a") == F("40")
    assert d.class_amount("series_c") == F("169")


def test_zero_proceeds():
    d = pay(table(HOLDINGS, **DIVIDENDS), "0")
    assert all(v == 0 for _, v in d.holders)


# --- 3(a)/3(b): proceeds equal to the total preference, and one cent either side ----------------


def test_proceeds_exactly_the_total_preference():
    d = pay(table(HOLDINGS, **DIVIDENDS), TOTAL_PREF)
    assert d.class_amount("series_a") == F("440")
    assert d.class_amount("series_c") == F("1825.20")
    assert d.class_amount("common") == 0


def test_one_cent_below_the_total_preference():
    p = TOTAL_PREF - C  # 2265.19
    d = pay(table(HOLDINGS, **DIVIDENDS), p)
    assert d.class_amount("series_a") == F("2265.19") * 440 / F("2265.20")
    assert d.class_amount("series_c") == F("2265.19") * F("1825.20") / F("2265.20")
    assert d.class_amount("common") == 0


def test_one_cent_above_the_total_preference():
    # the extra cent is shared under 3(b) by C (1000 as converted) and common (8000); A takes none
    d = pay(table(HOLDINGS, **DIVIDENDS), TOTAL_PREF + C)
    assert d.class_amount("series_a") == F("440")
    assert d.class_amount("series_c") == F("1825.20") + C * 1000 / 9000
    assert d.class_amount("common") == C * 8000 / 9000


# --- 3(b): participation and its cap, interest leg ---------------------------------------------
# No dividends. Tier: A 400 + C 1690 = 2090. Cap per C share: 1.69 * 0.15 * 365/365 = 0.2535,
# i.e. 253.50 for the class, reached when the 3(b) level is 0.2535 per common-equivalent share:
# residual 0.2535 * (1000 + 8000) = 2281.50, proceeds 2090 + 2281.50 = 4371.50.

INTEREST_CAP = F("1.69") * F("0.15") * F(365, 365)
assert INTEREST_CAP == F("0.2535")


def test_interest_leg_of_the_cap_after_one_year():
    tbl = table(HOLDINGS)
    assert participation_cap_per_share(SERIES_C, tbl) == F("0.2535")


def test_participation_below_the_cap():
    d = pay(table(HOLDINGS), "3000")
    residual = F(3000) - 2090  # 910, shared by 9000 common-equivalent shares
    assert d.class_amount("series_a") == F("400")  # A takes no part in 3(b)
    assert d.class_amount("series_c") == 1690 + residual * 1000 / 9000
    assert d.class_amount("common") == residual * 8000 / 9000
    assert d.converted == frozenset()


def test_participation_exactly_reaches_the_cap():
    d = pay(table(HOLDINGS), "4371.50")
    assert d.class_amount("series_c") == F("1690") + F("253.50")
    assert d.class_amount("common") == F("0.2535") * 8000  # 2028


def test_beyond_the_cap_the_rest_goes_to_common_only():
    d = pay(table(HOLDINGS), "5000")
    assert d.class_amount("series_c") == F("1943.50")  # 1690 + 253.50, capped
    assert d.class_amount("series_a") == F("400")
    assert d.class_amount("common") == F(5000) - 400 - F("1943.50")  # 2656.50
    assert any(s.cite == "IV.3(b)" and s.class_id == "series_c" for s in d.steps)


# --- each series' switch to conversion ----------------------------------------------------------
# Series A (non-participating, 1 common per share) converts when a common share is worth more than
# $0.40. With C capped at 253.50 and A converted, common + A = 9000 shares get P - 1690 - 253.50:
#   (P - 1943.50) / 9000 = 0.40  =>  P = 3600 + 1943.50 = 5543.50.
# Without A converting: common = (5543.50 - 2090 - 253.50) / 8000 = 3200 / 8000 = 0.40 as well.
A_SWITCH = F("5543.50")


def test_series_a_just_below_its_switch_keeps_its_preference():
    d = pay(table(HOLDINGS), A_SWITCH - C)
    assert d.converted == frozenset()
    assert d.class_amount("series_a") == F("400")
    assert d.class_amount("series_c") == F("1943.50")
    assert d.class_amount("common") == F("5543.49") - 400 - F("1943.50")  # 3199.99


def test_series_a_at_its_switch_is_indifferent():
    d = pay(table(HOLDINGS), A_SWITCH)
    assert d.class_amount("series_a") == F("400")  # both choices pay exactly 400
    assert d.class_amount("common") == F("3200")
    # both outcomes are stable, and the oracle says so
    assert frozenset() in d.stable_outcomes
    assert frozenset({"series_a"}) in d.stable_outcomes


def test_series_a_just_above_its_switch_converts():
    d = pay(table(HOLDINGS), A_SWITCH + C)
    assert d.converted == frozenset({"series_a"})
    level = (F("5543.51") - 1690 - F("253.50")) / 9000  # 3600.01 / 9000
    assert d.class_amount("series_a") == 1000 * level
    assert d.class_amount("series_a") > 400
    assert d.class_amount("common") == 8000 * level
    assert d.class_amount("series_c") == F("1943.50")


# Series C converts when its as-converted value beats 1.69 + 0.2535 = 1.9435 per share. With A
# converted too, all 10,000 shares are common: P / 10000 = 1.9435  =>  P = 19435.
# Not converting at 19435: common + A get (19435 - 1690 - 253.50) / 9000 = 17491.50 / 9000 = 1.9435.
C_SWITCH = F("19435")


def test_series_c_just_below_its_switch_keeps_preference_and_capped_participation():
    d = pay(table(HOLDINGS), C_SWITCH - C)
    assert d.converted == frozenset({"series_a"})
    assert d.class_amount("series_c") == F("1943.50")
    assert d.class_amount("series_a") == (F("19434.99") - F("1943.50")) * 1000 / 9000


def test_series_c_at_its_switch_is_indifferent():
    d = pay(table(HOLDINGS), C_SWITCH)
    assert d.class_amount("series_c") == F("1943.50")
    assert d.class_amount("series_a") == F("1943.50")  # 1.9435 per common-equivalent share
    assert d.class_amount("common") == F("1.9435") * 8000


def test_series_c_just_above_its_switch_converts():
    d = pay(table(HOLDINGS), C_SWITCH + C)
    assert d.converted == frozenset({"series_a", "series_c"})
    assert d.class_amount("series_c") == F("19435.01") / 10
    assert d.class_amount("series_a") == F("19435.01") / 10
    assert d.class_amount("common") == F("19435.01") * 8 / 10
    # Ann holds 500 A + 500 C = 1000 common equivalents
    assert d.holder_amount("Ann") == F("19435.01") / 10


def test_series_c_conversion_with_an_adjusted_price():
    # 4(a): conversion price 1.30 (after 4(d)(iv) adjustments): 1.69/1.30 = 1.3 common per C share,
    # C as converted = 1300. Only C and common (8700) here: 10,000 common equivalents.
    # The 3(b) cap stays per C share: 1000 * 0.2535 = 253.50. C converts when
    # 1.3 * v > 1.9435 (v = value per common share), i.e. v > 1.495; P = 14950.
    tbl = table([("Cy", "series_c", 1000), ("Com", "common", 8700)],
                conversion_prices={"series_c": "1.30"})
    below = pay(tbl, F(14950) - C)
    assert below.converted == frozenset()
    assert below.class_amount("series_c") == F("1943.50")
    above = pay(tbl, F(14950) + C)
    assert above.converted == frozenset({"series_c"})
    assert above.class_amount("series_c") == F("14950.01") * 1300 / 10000
    # in the participating region C shares by its 1300 as-converted shares: P = 2000, residual 310
    mid = pay(tbl, "2000")
    assert mid.class_amount("series_c") == 1690 + F(310) * 1300 / 10000


# --- 3(b): the $1.69 leg and the switch between legs -------------------------------------------
# The interest leg reaches $1.69 when 0.15 * days / 365 = 1, i.e. days = 365 / 0.15 = 2433 1/3:
# after 2433 days the cap is 1.69 * 0.15 * 2433 / 365 (< 1.69); after 2434 days it is $1.69.


def test_cap_interest_leg_at_2433_days():
    tbl = table([("Cy", "series_c", 1000), ("Com", "common", 9000)], issue="1989-01-01", as_of="1995-08-31")
    assert (dt.date(1995, 8, 31) - dt.date(1989, 1, 1)).days == 2433
    cap = participation_cap_per_share(SERIES_C, tbl)
    assert cap == F("1.69") * F("0.15") * 2433 / 365
    assert cap < F("1.69")


def test_cap_fixed_leg_from_2434_days():
    tbl = table([("Cy", "series_c", 1000), ("Com", "common", 9000)], issue="1989-01-01", as_of="1995-09-01")
    assert F("1.69") * F("0.15") * 2434 / 365 > F("1.69")
    assert participation_cap_per_share(SERIES_C, tbl) == F("1.69")


# Eight years of accrual (1988-01-01 to 1996-01-01, 2922 days): interest 2.03 > 1.69, cap $1.69.
# C 1000, common 9000. Tier 1690; C's 3(b) share reaches 1690 at level 1.69:
# residual 1.69 * 10000 = 16900, P = 18590. C converts when P / 10000 > 1.69 + 1.69 = 3.38: P = 33800.
LONG = dict(issue="1988-01-01", as_of="1996-01-01")
C_AND_COMMON = [("Cy", "series_c", 1000), ("Com", "common", 9000)]


def test_fixed_leg_reached_through_the_waterfall():
    tbl = table(C_AND_COMMON, **LONG)
    assert participation_cap_per_share(SERIES_C, tbl) == F("1.69")
    d = pay(tbl, "18590")
    assert d.class_amount("series_c") == F("3380")
    assert d.class_amount("common") == F("15210")
    d = pay(tbl, "30000")
    assert d.class_amount("series_c") == F("3380")  # 1.69 preference + 1.69 participation
    assert d.class_amount("common") == F("26620")


def test_fixed_leg_switch_to_conversion():
    tbl = table(C_AND_COMMON, **LONG)
    below = pay(tbl, F(33800) - C)
    assert below.converted == frozenset() and below.class_amount("series_c") == F("3380")
    at = pay(tbl, F(33800))
    assert at.class_amount("series_c") == F("3380")
    above = pay(tbl, F(33800) + C)
    assert above.converted == frozenset({"series_c"})
    assert above.class_amount("series_c") == F("33800.01") / 10


def test_interest_leg_switch_for_the_same_holdings():
    # one year of accrual: cap 0.2535, C converts above 10000 * 1.9435 = 19435
    tbl = table(C_AND_COMMON)
    assert pay(tbl, F(19435) - C).class_amount("series_c") == F("1943.50")
    above = pay(tbl, F(19435) + C)
    assert above.converted == frozenset({"series_c"})
    assert above.class_amount("series_c") == F("1943.501")


# --- 3(b): a leap year inside the accrual --------------------------------------------------------


def test_leap_day_counts_as_a_day_over_a_365_day_basis():
    # 1995-07-01 to 1996-07-01 contains 1996-02-29: 366 days, so 366/365 of a year's interest
    leap = table(C_AND_COMMON, issue="1995-07-01", as_of="1996-07-01")
    plain = table(C_AND_COMMON, issue="1994-07-01", as_of="1995-07-01")
    assert participation_cap_per_share(SERIES_C, leap) == F("1.69") * F("0.15") * F(366, 365)
    assert participation_cap_per_share(SERIES_C, plain) == F("1.69") * F("0.15")
    # Feb 28 to Mar 1 1996: 2 days
    two = table(C_AND_COMMON, issue="1996-02-28", as_of="1996-03-01")
    assert participation_cap_per_share(SERIES_C, two) == F("1.69") * F("0.15") * F(2, 365)


def test_leap_year_cap_through_the_waterfall():
    tbl = table(C_AND_COMMON, issue="1995-07-01", as_of="1996-07-01")
    cap = F(1000) * F("1.69") * F("0.15") * 366 / 365  # 92781/365 = 254.1945...
    assert cap == F(92781, 365)
    d = pay(tbl, "10000")  # level well above the cap, well below conversion (~1.94)
    assert d.class_amount("series_c") == 1690 + cap
    assert d.class_amount("common") == F(10000) - 1690 - cap


def test_bundled_reference_cap_table_interest_leg():
    # 1994-01-15 to 1996-07-01 is 898 days (1996-02-29 inside)
    tbl = load_cap_table(bundled.reference_cap_table("infinity-1996"), INF)
    assert (tbl.as_of - tbl.issue_date("series_c")).days == 898
    assert participation_cap_per_share(SERIES_C, tbl) == F("1.69") * F("0.15") * F(898, 365)
    # a shortfall: prefs 500,000 * 0.40 = 200,000; 1,041,667 * 1.69 = 1,760,417.23
    total = F(200_000) + F(1_041_667) * F("1.69")
    assert total == F("1960417.23")
    d = pay(tbl, "1000000")
    assert d.class_amount("series_a") == F(1_000_000) * 200_000 / total
    # Harbor Ventures: 300,000 A and 541,667 C
    assert d.holder_amount("Harbor Ventures") == F(1_000_000) * (300_000 * F("0.40") + 541_667 * F("1.69")) / total


# --- declared dividends on conversion (all.declared-dividends-on-conversion) ---------------------
# 4(a): on conversion declared and unpaid dividends are paid in cash. Holdings: A 1000, C 1000
# (declared 0.1352 per share), common 8000, cap 0.2535. Proceeds 100,000: both series convert.


def test_converting_series_keeps_declared_dividends_by_default():
    tbl = table(HOLDINGS, declared_unpaid_dividends={"series_c": "0.1352"})
    d = pay(tbl, "100000")
    assert d.converted == frozenset({"series_a", "series_c"})
    # dividends 1000 * 0.1352 = 135.20 first; 99,864.80 over 10,000 shares = 9.98648
    level = (F(100000) - F("135.20")) / 10000
    assert level == F("9.98648")
    assert d.class_amount("series_c") == F("135.20") + 1000 * level  # 10121.68
    assert d.class_amount("series_c") == F("10121.68")
    assert d.class_amount("series_a") == F("9986.48")
    assert d.class_amount("common") == F("79891.84")
    assert d.holder_amount("Ann") == (F("10121.68") + F("9986.48")) / 2
    assert dict(d.interpretations)["all.declared-dividends-on-conversion"] == "paid-with-preferences"


def test_converting_series_forfeits_declared_dividends_when_chosen():
    charter = load_charter("infinity-1996", {"all.declared-dividends-on-conversion": "forfeited"})
    tbl = table(HOLDINGS, charter=charter, declared_unpaid_dividends={"series_c": "0.1352"})
    d = pay(tbl, "100000", charter)
    assert d.converted == frozenset({"series_a", "series_c"})
    assert d.class_amount("series_c") == F("10000")  # 100,000 / 10,000 * 1000
    assert d.class_amount("series_a") == F("10000")
    assert d.class_amount("common") == F("80000")
    assert dict(d.interpretations)["all.declared-dividends-on-conversion"] == "forfeited"


def test_dividends_still_rank_with_preferences_when_not_converting():
    # both interpretations agree when nobody converts: P = 3000, tier 400 + 1690 + 135.20
    for choice in ("paid-with-preferences", "forfeited"):
        charter = load_charter("infinity-1996", {"all.declared-dividends-on-conversion": choice})
        tbl = table(HOLDINGS, charter=charter, declared_unpaid_dividends={"series_c": "0.1352"})
        d = pay(tbl, "3000", charter)
        residual = F(3000) - F("2225.20")  # 774.80 shared by 9000 common equivalents
        assert d.class_amount("series_c") == F("1825.20") + residual * 1000 / 9000


# --- all.payout-cents ----------------------------------------------------------------------------


def test_cents_view_by_largest_remainder():
    # shortfall P = 1000: exact Ann = 500 (half of everything), Bo = 220000/2265.20 = 97.1216...,
    # Cy = 912600/2265.20 = 402.8783...; floors 500.00 + 97.12 + 402.87 = 999.99; the cent left
    # goes to the largest remainder (Cy 0.0083 > Bo 0.0016).
    charter = load_charter("infinity-1996", {"all.payout-cents": "cents"})
    tbl = table(HOLDINGS, charter=charter, **DIVIDENDS)
    exact = distribute(INF, table(HOLDINGS, **DIVIDENDS), F(1000))
    assert exact.holder_amount("Bo") == F(220000) / F("2265.20")
    assert exact.holder_amount("Cy") == F(912600) / F("2265.20")
    d = distribute(charter, tbl, F(1000))
    assert dict(d.holders) == {"Ann": F("500"), "Bo": F("97.12"), "Cy": F("402.88"), "Com": F(0)}
    assert sum(v for _, v in d.holders) == 1000
    assert sum(v for _, v in d.classes) == 1000
    for _, v in d.classes:
        assert (v * 100).denominator == 1
