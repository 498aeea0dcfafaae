"""Fidelity of ``dividend`` to the texts (issue 10): like distributions and the fiscal-year test.

nvidia table (_nvidia_table): common 1,000,000; A 1,000,000 ($0.04 a year: 40,000); C 150,000 ($0.533:
79,950); D 100,000 ($0.42: 42,000); pari passu, 161,950 in all before common gets anything (IV.D.1).
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.dividends import allocate_dividend
from charter_oracle.oracle.errors import InputError
from _nvidia_table import NV, nv_table

INF = load_charter("infinity-1996")


def classes(allocation):
    return dict(allocation.classes)


def test_nvidia_preferred_already_paid_this_fiscal_year_is_not_paid_again():
    assert 40_000 + 79_950 + 42_000 == 161_950
    # Nothing paid yet: 161,951 leaves exactly 1 for common.
    assert classes(allocate_dividend(NV, nv_table(), F(161_951)))["common"] == 1
    # A already had its full $0.04: only C and D are owed, 79,950 + 42,000 = 121,950; 121,951 leaves 1.
    paid = {"series_a": F("0.04")}
    got = classes(allocate_dividend(NV, nv_table(), F(121_951), paid_this_year=paid))
    assert got == {"common": 1, "series_a": 0, "series_b": 0, "series_c": 79_950, "series_d": 42_000}
    # A had $0.03 of it: $0.01 x 1,000,000 = 10,000 is still owed: 131,950 leaves nothing, 131,951 leaves 1.
    paid = {"series_a": F("0.03")}
    assert classes(allocate_dividend(NV, nv_table(), F(131_950), paid_this_year=paid))["common"] == 0
    got = classes(allocate_dividend(NV, nv_table(), F(131_951), paid_this_year=paid))
    assert got["common"] == 1 and got["series_a"] == 10_000


def test_paid_this_year_is_checked():
    with pytest.raises(InputError, match="series_z"):
        allocate_dividend(NV, nv_table(), F(1), paid_this_year={"series_z": F(1)})


def _inf_table():
    # common 1,000 (F); Series A 100 at 0.40/0.40 (100 as converted); Series C 100 at 1.69/1.60
    # (100 x 1.69 / 1.60 = 105.625 as converted). As converted in all: 1,205.625.
    return build_cap_table({"as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
                            "holdings": [{"holder": "F", "class": "common", "shares": 1000},
                                         {"holder": "Q", "class": "series_a", "shares": 100},
                                         {"holder": "P", "class": "series_c", "shares": 100}],
                            "conversion_prices": {"series_c": "1.60"}}, INF, "test")


@pytest.mark.parametrize("kind", ["cash-not-from-earnings", "other-securities", "property"])
def test_infinity_like_distributions_go_to_the_preferred_as_converted(kind):
    # IV.4(d)(vi)(2): $1,205.625 distributed is $1 per common-equivalent share:
    # common 1,000; A 100; C 105.625 -- not the dividend preferences of IV.2.
    got = allocate_dividend(INF, _inf_table(), F("1205.625"), kind)
    assert classes(got) == {"common": 1000, "series_a": 100, "series_c": F("105.625")}
    assert dict(got.cites)["series_c"] == "IV.4(d)(vi)(2)" and got.kind == kind
    # A cash dividend out of earnings follows IV.2: C's $0.1352 x 100 = 13.52 first, then A's 0.04 x 100 = 4.
    cash = classes(allocate_dividend(INF, _inf_table(), F("1205.625")))
    assert cash["series_c"] == F("13.52") and cash["series_a"] == 4 and cash["common"] == F("1205.625") - F("17.52")


def test_nvidia_like_distribution_in_other_securities_and_no_rule_for_property():
    # IV.D.3(E): securities other than common, as converted. nvidia table: A 1,000,000 as converted,
    # C 150,000 (6.666667/6.666667), D 100,000; with common 1,000,000: 2,250,000 in all; $2,250,000 is $1 each.
    got = classes(allocate_dividend(NV, nv_table(), F(2_250_000), "other-securities"))
    assert got == {"common": 1_000_000, "series_a": 1_000_000, "series_b": 0, "series_c": 150_000, "series_d": 100_000}
    with pytest.raises(InputError, match="no rule for a property distribution"):
        allocate_dividend(NV, nv_table(), F(1), "property")
    with pytest.raises(InputError, match="not one of"):
        allocate_dividend(NV, nv_table(), F(1), "stock")
