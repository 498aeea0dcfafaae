"""nvidia-1998 Art. IV.D.2: the liquidation waterfall, by hand.

2(A): Series A ($0.50), B ($1.80), C ($6.666667), D ($5.26) pari passu, first, each plus declared
but unpaid dividends; a shortfall is shared in proportion to the preferential amount each holder is
otherwise entitled to. 2(B): the rest to common by share. No participation. 3(A): each series
converts at original price / conversion price (1 common per share at the initial prices), so in a
liquidation each series takes the better of its preference and converting
(interpretation nvidia.conversion-choice).

Hand-made cap table: A 1000 (Lead 600, Angel 400), B 1000 (Lead), C 1000 (Strategic),
D 1000 (Growth), common 10,000 (Founders). Lead holds two classes.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import build_cap_table, load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.liquidation import distribute

NV = load_charter("nvidia-1998")
CENT = F("0.01")

HOLDINGS = [
    ("Lead", "series_a", 600), ("Angel", "series_a", 400), ("Lead", "series_b", 1000),
    ("Strategic", "series_c", 1000), ("Growth", "series_d", 1000), ("Founders", "common", 10000),
]
PREF = {"series_a": F("500"), "series_b": F("1800"), "series_c": F("6666.667"), "series_d": F("5260")}
TOTAL = sum(PREF.values())
assert TOTAL == F("14226.667")


def table(holdings=HOLDINGS, charter=NV, **extra):
    raw = {"as_of": "1998-06-30",
           "holdings": [{"holder": h, "class": c, "shares": s} for h, c, s in holdings], **extra}
    return build_cap_table(raw, charter, "hand-made")


def pay(tbl, proceeds, charter=NV):
    d = distribute(charter, tbl, F(proceeds))
    assert sum((v for _, v in d.holders), F(0)) == d.proceeds  # conservation, holders
    assert sum((v for _, v in d.classes), F(0)) == d.proceeds  # conservation, classes
    assert all(v >= 0 for _, v in d.holders)
    return d


# --- 2(A): shortfall, with declared unpaid dividends ----------------------------------------------
# Declared: A 0.04, D 0.42 per share. Preferential amounts:
#   A 1000 * 0.54 = 540; B 1800; C 6666.667; D 1000 * (5.26 + 0.42) = 5680; total 14686.667.
DIVS = {"declared_unpaid_dividends": {"series_a": "0.04", "series_d": "0.42"}}
PREF_DIV = {"series_a": F("540"), "series_b": F("1800"), "series_c": F("6666.667"), "series_d": F("5680")}
TOTAL_DIV = sum(PREF_DIV.values())
assert TOTAL_DIV == F("14686.667")


def test_shortfall_shared_by_preferential_amount_including_dividends():
    d = pay(table(**DIVS), TOTAL_DIV / 10)  # 1468.6667: a tenth of every claim
    assert d.class_amount("series_a") == F("54")
    assert d.class_amount("series_b") == F("180")
    assert d.class_amount("series_c") == F("666.6667")
    assert d.class_amount("series_d") == F("568")
    assert d.class_amount("common") == 0
    # by share count (1000 each) every series would have had 367.166675
    # Lead: 600/1000 of A's 54 + all of B's 180 = 32.40 + 180
    assert d.holder_amount("Lead") == F("32.40") + F("180")
    assert d.holder_amount("Angel") == F("21.60")
    assert d.converted == frozenset()


def test_shortfall_dividends_change_the_ratio():
    # without the dividends, proceeds 1000 split by 500 : 1800 : 6666.667 : 5260
    plain = pay(table(), "1000")
    with_divs = pay(table(**DIVS), "1000")
    assert plain.class_amount("series_a") == F(1000) * 500 / TOTAL
    assert with_divs.class_amount("series_a") == F(1000) * 540 / TOTAL_DIV
    assert with_divs.class_amount("series_d") == F(1000) * 5680 / TOTAL_DIV
    assert with_divs.class_amount("series_b") == F(1000) * 1800 / TOTAL_DIV


def test_proceeds_exactly_the_total_preference():
    d = pay(table(**DIVS), TOTAL_DIV)
    for cls, amount in PREF_DIV.items():
        assert d.class_amount(cls) == amount
    assert d.class_amount("common") == 0


def test_one_cent_below_the_total_preference():
    p = TOTAL_DIV - CENT
    d = pay(table(**DIVS), p)
    for cls, amount in PREF_DIV.items():
        assert d.class_amount(cls) == p * amount / TOTAL_DIV
    assert d.class_amount("common") == 0


def test_one_cent_above_the_total_preference_goes_to_common_only():
    d = pay(table(**DIVS), TOTAL_DIV + CENT)
    for cls, amount in PREF_DIV.items():
        assert d.class_amount(cls) == amount  # non-participating (2(B))
    assert d.class_amount("common") == CENT
    assert d.holder_amount("Founders") == CENT


# --- each series' switch to conversion -------------------------------------------------------------
# Non-participating, 1 common per share: a series converts when a common share is worth more than its
# preference. In order of switch level (A 0.50, B 1.80, D 5.26, C 6.666667):
#   A: (P - 14226.667) / 10000 = 0.50                    => P = 19226.667
#   B: A converted, (P - 13726.667) / 11000 = 1.80         => P = 13726.667 + 19800 = 33526.667
#   D: A, B converted, (P - 11926.667) / 12000 = 5.26      => P = 11926.667 + 63120 = 75046.667
#   C: A, B, D converted, (P - 6666.667) / 13000 = 6.666667 => P = 6666.667 + 86666.671 = 93333.338
#      (all converted: 93333.338 / 14000 = 6.666667 as well)
SWITCH = {
    "series_a": (F("14226.667") + 10000 * F("0.50"), frozenset(), 10000),
    "series_b": (F("13726.667") + 11000 * F("1.80"), frozenset({"series_a"}), 11000),
    "series_d": (F("11926.667") + 12000 * F("5.26"), frozenset({"series_a", "series_b"}), 12000),
    "series_c": (F("6666.667") + 13000 * F("6.666667"), frozenset({"series_a", "series_b", "series_d"}), 13000),
}
assert [v[0] for v in SWITCH.values()] == [F("19226.667"), F("33526.667"), F("75046.667"), F("93333.338")]


@pytest.mark.parametrize("series", list(SWITCH))
def test_switch_just_below(series):
    point, before, _ = SWITCH[series]
    d = pay(table(), point - CENT)
    assert d.converted == before
    assert d.class_amount(series) == PREF[series]


@pytest.mark.parametrize("series", list(SWITCH))
def test_switch_at_the_point(series):
    point, before, _ = SWITCH[series]
    d = pay(table(), point)
    assert d.class_amount(series) == PREF[series]  # indifferent: either choice pays the preference
    assert before in d.stable_outcomes
    assert before | {series} in d.stable_outcomes


@pytest.mark.parametrize("series", list(SWITCH))
def test_switch_just_above(series):
    point, before, common_before = SWITCH[series]
    p = point + CENT
    d = pay(table(), p)
    assert d.converted == before | {series}
    still_preferred = sum((PREF[s] for s in PREF if s not in d.converted), F(0))
    level = (p - still_preferred) / (common_before + 1000)
    assert d.class_amount(series) == 1000 * level
    assert d.class_amount(series) > PREF[series]
    assert d.class_amount("common") == 10000 * level


def test_everything_converts_far_above():
    d = pay(table(), "1400000")  # 100 per share
    assert d.converted == frozenset(PREF)
    assert d.holder_amount("Lead") == F(1600) * 100
    assert d.holder_amount("Founders") == F(1000000)


def test_middle_region_per_holder():
    # P = 50000: A and B converted (switch points 19226.667 and 33526.667 passed, D's 75046.667 not)
    # common value (50000 - 6666.667 - 5260) / 12000 = 38073.333 / 12000
    d = pay(table(), "50000")
    assert d.converted == frozenset({"series_a", "series_b"})
    level = (F(50000) - F("6666.667") - F("5260")) / 12000
    assert d.holder_amount("Lead") == 1600 * level  # 600 A + 1000 B as common
    assert d.holder_amount("Angel") == 400 * level
    assert d.holder_amount("Strategic") == F("6666.667")
    assert d.holder_amount("Growth") == F("5260")


def test_adjusted_conversion_price_moves_the_switch():
    # 3(A): Series A at conversion price 0.40 converts into 0.50 / 0.40 = 1.25 common per share.
    # A 1000 (1250 as converted) and common 10,000: A converts when 1.25 v > 0.50, v > 0.40:
    # not converting (P - 500) / 10000 = 0.40 => P = 4500; converting 4500 / 11250 = 0.40.
    tbl = table([("Angel", "series_a", 1000), ("Founders", "common", 10000)],
                conversion_prices={"series_a": "0.40"})
    below = pay(tbl, F(4500) - CENT)
    assert below.converted == frozenset() and below.class_amount("series_a") == F("500")
    above = pay(tbl, F(4500) + CENT)
    assert above.converted == frozenset({"series_a"})
    assert above.class_amount("series_a") == F("4500.01") * 1250 / 11250


# --- all.declared-dividends-on-conversion -----------------------------------------------------------
# A 1000 with 0.04 declared, common 10,000, P = 100,000: A converts either way.


def test_converting_series_keeps_declared_dividends_by_default():
    tbl = table([("Angel", "series_a", 1000), ("Founders", "common", 10000)],
                declared_unpaid_dividends={"series_a": "0.04"})
    d = pay(tbl, "100000")
    assert d.converted == frozenset({"series_a"})
    # 40 of dividends first, then 99,960 over 11,000 shares
    assert d.class_amount("series_a") == 40 + F(99960) * 1000 / 11000
    assert d.class_amount("common") == F(99960) * 10000 / 11000


def test_converting_series_forfeits_declared_dividends_when_chosen():
    charter = load_charter("nvidia-1998", {"all.declared-dividends-on-conversion": "forfeited"})
    tbl = table([("Angel", "series_a", 1000), ("Founders", "common", 10000)], charter=charter,
                declared_unpaid_dividends={"series_a": "0.04"})
    d = pay(tbl, "100000", charter)
    assert d.converted == frozenset({"series_a"})
    assert d.class_amount("series_a") == F(100000) * 1000 / 11000
    assert d.class_amount("common") == F(100000) * 10000 / 11000


def test_declared_dividends_move_the_switch_only_when_forfeited():
    # paid-with-preferences: A keeps its 40 either way, so it still converts above v = 0.50:
    # not converting (P - 540) / 10000 = 0.50 => P = 5540.
    # forfeited: A gives up 540 by converting: switch at 0.54 per common share:
    # (P - 540) / 10000 = 0.54 => P = 5940; converting 5940 / 11000 = 0.54.
    holdings = [("Angel", "series_a", 1000), ("Founders", "common", 10000)]
    divs = {"declared_unpaid_dividends": {"series_a": "0.04"}}
    kept = table(holdings, **divs)
    assert pay(kept, F(5540) - CENT).converted == frozenset()
    assert pay(kept, F(5540) + CENT).converted == frozenset({"series_a"})
    charter = load_charter("nvidia-1998", {"all.declared-dividends-on-conversion": "forfeited"})
    lost = table(holdings, charter=charter, **divs)
    assert pay(lost, F(5940) - CENT, charter).converted == frozenset()
    assert pay(lost, F(5940) - CENT, charter).class_amount("series_a") == F("540")
    assert pay(lost, F(5940) + CENT, charter).converted == frozenset({"series_a"})


# --- the bundled reference cap table ---------------------------------------------------------------


def test_reference_cap_table_total_preference_boundary():
    tbl = load_cap_table(bundled.reference_cap_table("nvidia-1998"), NV)
    # 4,383,000 * 0.50 + 2,879,719 * 1.80 + 760,000 * 6.666667 + 1,800,000 * 5.26
    total = 4_383_000 * F("0.50") + 2_879_719 * F("1.80") + 760_000 * F("6.666667") + 1_800_000 * F("5.26")
    assert total == F("2191500") + F("5183494.20") + F("5066666.92") + F("9468000")
    d = pay(tbl, total)
    assert d.class_amount("common") == 0
    assert d.class_amount("series_b") == F("5183494.20")
    # Lead Ventures: 3,000,000 A and 1,879,719 B
    assert d.holder_amount("Lead Ventures") == 3_000_000 * F("0.50") + 1_879_719 * F("1.80")
    d = pay(tbl, total - CENT)
    assert d.holder_amount("Second Fund") == (total - CENT) * (1_000_000 * F("1.80") + 500_000 * F("5.26")) / total


def test_cents_view_sums_to_proceeds():
    charter = load_charter("nvidia-1998", {"all.payout-cents": "cents"})
    tbl = table(charter=charter, **DIVS)
    exact = pay(table(**DIVS), "1000")
    d = distribute(charter, tbl, F(1000))
    assert sum(v for _, v in d.holders) == 1000
    assert sum(v for _, v in d.classes) == 1000
    for holder, amount in d.holders:
        assert (amount * 100).denominator == 1
        assert abs(amount - exact.holder_amount(holder)) < CENT
