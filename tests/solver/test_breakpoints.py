"""Breakpoints and indifference sets against values computed by hand from the charters."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

from charter_oracle.oracle.liquidation import distribute
from _solver_cases import bundled, solved

from charter_oracle import solver


def _points(result: solver.SolveResult) -> list[F]:
    return [b.at for b in result.breakpoints]


def test_nvidia_breakpoints_by_hand() -> None:
    # IV.D.2(A): every series pari passu. Preferences, shares x liquidation price:
    a, b, c, d = 4_383_000 * F("0.50"), 2_879_719 * F("1.80"), 760_000 * F("6.666667"), 1_800_000 * F("5.26")
    assert (a, b, c, d) == (F("2191500"), F("5183494.20"), F("5066666.92"), F("9468000"))
    total = a + b + c + d  # = 21,909,661.12: the preference is exactly filled here
    common = 14_000_000  # 11,000,000 + 3,000,000 (options take no liquidation share)
    # Series A converts when common is worth its $0.50 price: P = B + C + D + 0.50 x (common + A)
    a_converts = b + c + d + F("0.50") * (common + 4_383_000)
    # then B at $1.80 with A converted, D at $5.26 with A and B converted, C at $6.666667 last
    b_converts = c + d + F("1.80") * (common + 4_383_000 + 2_879_719)
    d_converts = c + F("5.26") * (common + 4_383_000 + 2_879_719 + 1_800_000)
    c_converts = F("6.666667") * (common + 4_383_000 + 2_879_719 + 1_800_000 + 760_000)
    assert total == F("21909661.12") and a_converts == F("28909661.12")
    assert _points(solved("nvidia-1998")) == [total, a_converts, b_converts, d_converts, c_converts]


def test_nvidia_indifference_points_are_the_switch_points() -> None:
    result = dict(solved("nvidia-1998").indifference)
    switch = {"series_a": F("28909661.12"), "series_b": F("52807561.12"),
              "series_d": F("126376568.86"), "series_c": F("6.666667") * 23_822_719}
    for sid, at in switch.items():
        # At 0 both options pay nothing; otherwise only the switch point itself.
        assert [(i.lo, i.hi) for i in result[sid]] == [(F(0), F(0)), (at, at)], sid


def test_infinity_breakpoints_by_hand() -> None:
    a_pref, c_pref = 500_000 * F("0.40"), 1_041_667 * F("1.69")
    total = a_pref + c_pref  # 3(a): 1,960,417.23
    common = 3_100_000 + 1_653_239
    # Series A converts when the residual level reaches $0.40 per share; Series C participates
    # (as converted, 1:1) beside common and the converted A: P = C pref + 0.40 x (common + A + C).
    a_converts = c_pref + F("0.40") * (common + 500_000 + 1_041_667)
    # 3(b) cap on its interest leg: 15% simple interest on $1.69, 365-day year, 1994-01-15 to 1996-07-01.
    days = (dt.date(1996, 7, 1) - dt.date(1994, 1, 15)).days
    assert days == 898
    cap = F("1.69") * F("0.15") * days / 365
    cap_reached = c_pref + cap * (common + 500_000 + 1_041_667)
    # C converts when common is worth its preference plus its full cap: level 1.69 + cap, nobody senior left.
    c_converts = (F("1.69") + cap) * (common + 500_000 + 1_041_667)
    assert _points(solved("infinity-1996")) == [total, a_converts, cap_reached, c_converts]
    assert F("4278379.63") == a_converts


def test_breakpoints_agree_with_the_oracle_on_both_sides() -> None:
    charter, table = bundled("nvidia-1998")
    points = _points(solved("nvidia-1998"))
    for at in points:
        left = distribute(charter, table, at - 1)
        here = distribute(charter, table, at)
        right = distribute(charter, table, at + 1)
        # some class's slope changes: the two one-dollar differences are not the same
        assert any(here.class_amount(c) - left.class_amount(c) != right.class_amount(c) - here.class_amount(c)
                   for c in charter.class_ids)


def test_junior_series_indifferent_on_a_whole_interval() -> None:
    # example-modern: rank 3, below C ($4 x 1.5M + $0.32 declared dividends x 1.5M)
    # and B ($2 x 2.5M). Below C's 6,480,000 and B's 5,000,000 both options pay the juniors nothing.
    result = dict(solved("example-modern").indifference)
    senior = 1_500_000 * (F("4.00") + F("0.32")) + 2_500_000 * F("2.00")
    assert senior == F("11480000")
    assert (result["series_a1"][0].lo, result["series_a1"][0].hi) == (F(0), senior)
    assert (result["series_a2"][0].lo, result["series_a2"][0].hi) == (F(0), senior)
    # Series C's declared dividends (0.32 x 1.5M) are paid whether or not it converts: indifferent below them.
    assert (result["series_c"][0].lo, result["series_c"][0].hi) == (F(0), 1_500_000 * F("0.32"))


def test_common_only_charter_has_no_breakpoints() -> None:
    result = solved("byzantine-1999")
    assert result.breakpoints == () and result.indifference == ()
