"""oracle.dividends: a declared amount in each charter's priority order (infinity IV.2, nvidia IV.D.1)."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.dividends import allocate_dividend
from charter_oracle.oracle.errors import InputError

INF = load_charter("infinity-1996")
NV = load_charter("nvidia-1998")

# infinity: A 100,000 x $0.04 = 4,000 a year; C 100,000 x $0.1352 = 13,520 a year; common 1,000,000.
INF_TABLE = build_cap_table({
    "as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
    "holdings": [
        {"holder": "Com", "class": "common", "shares": 600_000},
        {"holder": "Mix", "class": "common", "shares": 400_000},
        {"holder": "Mix", "class": "series_a", "shares": 100_000},
        {"holder": "Cee", "class": "series_c", "shares": 60_000},
        {"holder": "Mix", "class": "series_c", "shares": 40_000},
    ]}, INF, "test")

# nvidia: A 100,000 x 0.04 = 4,000; B 50,000 x 0.144 = 7,200; D 10,000 x 0.42 = 4,200; total 15,400.
NV_TABLE = build_cap_table({
    "as_of": "1998-06-30",
    "holdings": [
        {"holder": "Com", "class": "common", "shares": 1_000_000},
        {"holder": "Ay", "class": "series_a", "shares": 100_000},
        {"holder": "Bee", "class": "series_b", "shares": 50_000},
        {"holder": "Dee", "class": "series_d", "shares": 10_000},
    ]}, NV, "test")


def classes(result):
    return dict(result.classes)


def holders(result):
    return dict(result.holders)


@pytest.mark.parametrize("amount, c, a, common", [
    # short of C's full 13,520: all of it to C, nothing to A or common
    ("10000", F(10000), F(0), F(0)),
    # exactly C's full amount: nothing left
    ("13520", F(13520), F(0), F(0)),
    # C full, A short: 15,000 - 13,520 = 1,480 to A
    ("15000", F(13520), F(1480), F(0)),
    # both full: 13,520 + 4,000 = 17,520; 20,000 - 17,520 = 2,480 to common
    ("20000", F(13520), F(4000), F(2480)),
])
def test_infinity_c_before_a_before_common(amount, c, a, common):
    result = allocate_dividend(INF, INF_TABLE, F(amount))
    assert classes(result) == {"common": common, "series_a": a, "series_c": c}
    assert sum(classes(result).values()) == F(amount)


def test_infinity_holders_share_their_class_by_shares():
    result = allocate_dividend(INF, INF_TABLE, F(20000))
    # Cee: 60,000/100,000 of C's 13,520 = 8,112
    # Mix: 40,000/100,000 x 13,520 + all of A's 4,000 + 400,000/1,000,000 x 2,480 = 5,408 + 4,000 + 992
    # Com: 600,000/1,000,000 x 2,480 = 1,488
    assert holders(result) == {"Com": F(1488), "Mix": F(5408 + 4000 + 992), "Cee": F(8112)}


@pytest.mark.parametrize("amount, a, b, d, common", [
    # half of the 15,400: each series half of its entitlement (pro rata by entitlement, not by shares)
    ("7700", F(2000), F(3600), F(2100), F(0)),
    # 1,000 short: 1,000 x 4,000/15,400 = 40,000/154 etc.
    ("1000", F(1000 * 4000, 15400), F(1000 * 7200, 15400), F(1000 * 4200, 15400), F(0)),
    # all full, then common: 20,000 - 15,400 = 4,600
    ("20000", F(4000), F(7200), F(4200), F(4600)),
])
def test_nvidia_pari_passu_by_entitlement_then_common(amount, a, b, d, common):
    result = allocate_dividend(NV, NV_TABLE, F(amount))
    assert classes(result) == {"common": common, "series_a": a, "series_b": b, "series_c": F(0), "series_d": d}
    # by share count it would be 7,700 x 100,000/160,000 = 4,812.50 to A: the oracle must not
    if amount == "7700":
        assert classes(result)["series_a"] != F(7700 * 100_000, 160_000)


def test_nvidia_common_only_after_full_preferred():
    # exactly the full preferred amount: common gets nothing; one cent more: common gets the cent
    assert classes(allocate_dividend(NV, NV_TABLE, F(15400)))["common"] == 0
    assert classes(allocate_dividend(NV, NV_TABLE, F("15400.01")))["common"] == F("0.01")


def test_negative_dividend_refused():
    with pytest.raises(InputError):
        allocate_dividend(NV, NV_TABLE, F(-1))
