"""The payout function (charter_oracle/payout_function.py) pays what the oracle pays, at every proceeds value.

Compared with ``distribute`` (holders and classes, values and order) at 0, at every knot, a cent and
a 10**-30 either side of every knot, at random proceeds (Hypothesis), on every bundled charter and
on user charters with caps, stacked ranks, junior participation, pari passu tiers, dividends and
several series; and it refuses, in one line, where payouts are not piecewise linear.
"""

from __future__ import annotations

import dataclasses
import functools
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter_oracle import payout_function as pf
from charter_oracle.oracle import bundled
from charter_oracle.oracle.errors import InputError, OracleError
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.payout_function import NotPiecewiseLinear, PayoutFunction, build_payout_function
from charter_oracle.solver.sweep import SweepError
from charter_oracle.solver.witness import SolverDisagreement

USER = Path(__file__).resolve().parents[1] / "user_charters"
USER_CHARTERS = ("capped-3x", "stacked-three-mixed", "junior-participating", "pari-passu-two", "dividend-all-series",
                 "four-series-modern", "preferred-only", "tie-interpretation")
CHARTERS = (*bundled.CHARTER_IDS, *USER_CHARTERS)
CENT = F(1, 100)
TINY = F(1, 10**30)


@functools.cache
def loaded(name: str) -> tuple:
    if name in USER_CHARTERS:
        return load_with_table(str(USER / f"{name}.toml"), str(USER / f"{name}.cap-table.toml"))
    return load_with_table(name)


@functools.cache
def function(name: str) -> PayoutFunction:
    return build_payout_function(*loaded(name))


def assert_oracle_at(name: str, proceeds: F) -> None:
    charter, table = loaded(name)
    want = distribute(charter, table, proceeds)
    f = function(name)
    assert tuple(f.holders(proceeds).items()) == want.holders, f"{name} holders at {proceeds}"
    assert tuple(f.classes(proceeds).items()) == want.classes, f"{name} classes at {proceeds}"


def test_the_bundled_charters_are_all_here() -> None:
    assert set(bundled.CHARTER_IDS) == {"byzantine-1999", "infinity-1996", "nvidia-1998", "example-modern", "nvca-style"}


@pytest.mark.parametrize("name", CHARTERS)
def test_zero_every_knot_and_either_side_of_it(name: str) -> None:
    f = function(name)
    assert f.knots[0] == 0
    points = {F(0)}
    for knot in f.knots:
        points |= {knot, knot + CENT, knot + TINY, knot - CENT, knot - TINY}
    for proceeds in sorted(p for p in points if p >= 0):
        assert_oracle_at(name, proceeds)


def test_nvidia_total_preference_by_hand() -> None:
    # 4,383,000 x 0.50 + 2,879,719 x 1.80 + 760,000 x 6.666667 + 1,800,000 x 5.26
    # = 2,191,500 + 5,183,494.2 + 5,066,666.92 + 9,468,000 = 21,909,661.12: a knot, each series paid its preference.
    f = function("nvidia-1998")
    assert F("21909661.12") in f.knots
    assert f.classes(F("21909661.12")) == {"common": 0, "series_a": F(2191500), "series_b": F("5183494.2"),
                                            "series_c": F("5066666.92"), "series_d": F(9468000)}


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(CHARTERS), data=st.data())
def test_random_proceeds(name: str, data: st.DataObject) -> None:
    f = function(name)
    top = 2 * f.knots[-1] + 10**6
    proceeds = data.draw(st.one_of(
        st.fractions(min_value=0, max_value=top),
        st.integers(0, int(top) * 100).map(lambda cents: F(cents, 100)),
        st.builds(lambda k, d: max(k + d, F(0)), st.sampled_from(f.knots), st.fractions(-1, 1, max_denominator=10**9)),
    ))
    assert_oracle_at(name, proceeds)


def test_an_int_is_taken_like_the_fraction() -> None:
    f = function("nvidia-1998")
    assert f.holders(25_000_000) == f.holders(F(25_000_000))


@pytest.mark.parametrize("interpret, needle", [({"all.payout-cents": "cents"}, "all.payout-cents=cents"),
                                               ({"all.options-in-exit": "cash-exercise"}, "cash-exercise")])
def test_readings_that_are_not_piecewise_linear_are_refused_in_one_line(interpret: dict, needle: str) -> None:
    charter, table = load_with_table("nvidia-1998", interpret=interpret)
    with pytest.raises(NotPiecewiseLinear) as raised:
        build_payout_function(charter, table)
    assert needle in str(raised.value) and "\n" not in str(raised.value)
    assert isinstance(raised.value, InputError)  # the command line: one line, exit 2


def test_a_charter_the_sweep_cannot_follow_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def unsweepable(model):  # type: ignore[no-untyped-def]
        raise SweepError("no prefix of the conversion order is stable at exit value 5")

    monkeypatch.setattr("charter_oracle.solver.sweep.sweep", unsweepable)
    with pytest.raises(NotPiecewiseLinear, match="cannot follow this charter .no prefix"):
        build_payout_function(*loaded("nvidia-1998"))


def _doctored(name: str, change) -> SolverDisagreement:  # type: ignore[no-untyped-def]
    charter, table = loaded(name)
    swept = change(pf.sweep_of(charter, table))
    with pytest.raises(SolverDisagreement) as raised:
        build_payout_function(charter, table, swept)
    return raised.value


def test_a_missing_knot_is_caught_by_the_verification() -> None:
    def drop(swept):  # type: ignore[no-untyped-def]
        i = [p.at for p in swept.points].index(F("21909661.12"))
        return dataclasses.replace(swept, points=swept.points[:i] + swept.points[i + 1:],
                                   regions=swept.regions[:i] + swept.regions[i + 1:])

    assert "differ from the oracle's" in str(_doctored("nvidia-1998", drop))


def test_a_wrong_slope_is_caught_by_the_verification() -> None:
    def steeper(swept):  # type: ignore[no-untyped-def]
        region = swept.regions[3]
        classes = tuple((c, dataclasses.replace(line, slope=line.slope + F(1, 10**12))) if c == "common" else (c, line)
                        for c, line in region.classes)
        return dataclasses.replace(swept, regions=(*swept.regions[:3], dataclasses.replace(region, classes=classes),
                                                   *swept.regions[4:]))

    assert "common: model" in str(_doctored("example-modern", steeper))


def test_a_wrong_value_at_a_knot_is_caught() -> None:
    def off(swept):  # type: ignore[no-untyped-def]
        point = swept.points[2]
        classes = tuple((c, v + CENT if c == "common" else v) for c, v in point.classes)
        return dataclasses.replace(swept, points=(*swept.points[:2], dataclasses.replace(point, classes=classes),
                                                  *swept.points[3:]))

    assert "class totals" in str(_doctored("nvca-style", off))


def test_bad_proceeds() -> None:
    f = function("nvidia-1998")
    with pytest.raises(InputError, match="negative"):
        f.holders(F(-1, 100))
    with pytest.raises(TypeError, match="float"):
        f.holders(0.1)  # type: ignore[arg-type]
    assert issubclass(NotPiecewiseLinear, OracleError)


def test_it_records_what_it_is_the_function_of() -> None:
    charter, table = loaded("nvidia-1998")
    f = function("nvidia-1998")
    assert (f.charter_id, f.interpretations, f.as_of) == (charter.id, charter.chosen, table.as_of)
    assert f.holder_ids == tuple(table.holders) and f.class_ids == tuple(charter.class_ids)
    assert repr(f) == "PayoutFunction(nvidia-1998: 6 knots, 7 holders, as of 1998-06-30)"
    # one oracle run per knot, five inside each bounded segment, seven for the unbounded last one
    assert f.oracle_evaluations == len(f.knots) + 5 * len(f.knots) + 2
    # nvidia's 16 sweep points: the 5 breakpoints (21,909,661.12 the first) and 0; the rest change nothing paid
    assert len(f.knots) == 6 and f.knots[1] == F("21909661.12")


def test_the_api_builds_it_and_takes_money_as_waterfall_does() -> None:
    import charter_oracle as co

    c = co.load("nvidia-1998")
    f = c.payout_function()
    assert isinstance(f, co.PayoutFunction)
    from decimal import Decimal

    for money in ("25000000.01", Decimal("25000000.01"), F(2500000001, 100)):
        assert f.holders(money) == c.waterfall("25000000.01").holders
    with pytest.raises(TypeError, match="proceeds: got the float"):
        f.classes(25e6)  # type: ignore[arg-type]
    with pytest.raises(co.NotPiecewiseLinear):
        co.load("nvidia-1998", interpret={"all.payout-cents": "cents"}).payout_function()
