"""oracle.exact: exact parsing at the edges, round-tripping output, named rounding rules.

DESIGN.md "Exact or nothing": inputs are decimal strings or ints, never floats; NaN, infinity and
absurd exponents are refused with a clear error; outputs print strings that Fraction() parses back.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.exact import (
    format_exact,
    parse_amount,
    parse_exact,
    parse_shares,
    round_by,
    round_down,
    round_half_even,
    round_half_up,
)

# --- parse_exact ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.69", Fraction(169, 100)),
        ("0.1352", Fraction(1352, 10000)),
        ("-0.40", Fraction(-40, 100)),
        (" 2 ", Fraction(2)),
        (".5", Fraction(1, 2)),
        ("5/3", Fraction(5, 3)),
        ("-7 / 8", Fraction(-7, 8)),
        ("6.666667", Fraction(6666667, 1000000)),
        ("1e3", Fraction(1000)),  # a small exponent is harmless
        ("25E-2", Fraction(1, 4)),
        (7, Fraction(7)),
        (Fraction(1, 3), Fraction(1, 3)),
    ],
)
def test_parse_exact_accepts_decimal_strings_ints_and_ratios(text, expected):
    value = parse_exact(text, "price")
    assert value == expected
    assert isinstance(value, Fraction)


@pytest.mark.parametrize(
    "bad",
    [
        1.69,  # binary float: 1.69 is not 169/100 in binary
        0.1,
        float("nan"),
        float("inf"),
        float("-inf"),
        "nan",
        "NaN",
        "inf",
        "Infinity",
        "-inf",
        "1e999999999",  # would build a gigantic integer
        "1e999",
        "1e31",
        True,
        False,
        "abc",
        "",
        "  ",
        "1,000",  # no thousands separators
        "$1.69",
        "1.2.3",
        "1/0",
        "0x10",
        "1_000",
        "1" * 80,
        None,
        [1],
        Decimal("1.5"),
    ],
    ids=repr,
)
def test_parse_exact_refuses_floats_nan_inf_absurd_exponents_booleans_and_junk(bad):
    with pytest.raises(InputError) as info:
        parse_exact(bad, "proceeds")
    message = str(info.value)
    assert message.startswith("proceeds")  # names the input
    assert "\n" not in message  # one line


def test_parse_exact_float_message_suggests_a_quoted_decimal():
    with pytest.raises(InputError, match=r'"1\.69"'):
        parse_exact(1.69, "price")


def test_parse_exact_huge_exponent_is_refused_quickly():
    # "1e999999999" must not be handed to Fraction() (which would allocate ~400 MB of digits).
    import time

    start = time.perf_counter()
    for text in ("1e999999999", "1E+999999999", "-1e-999999999"):
        with pytest.raises(InputError):
            parse_exact(text, "amount")
    assert time.perf_counter() - start < 1


def test_parse_amount_refuses_negative_unless_allowed():
    with pytest.raises(InputError, match="negative"):
        parse_amount("-0.01", "proceeds")
    assert parse_amount("-0.01", "delta", allow_negative=True) == Fraction(-1, 100)
    assert parse_amount("0", "proceeds") == 0


@pytest.mark.parametrize("good, expected", [(0, 0), (12, 12), ("4753239", 4753239), (" 7 ", 7)])
def test_parse_shares_accepts_whole_numbers(good, expected):
    assert parse_shares(good, "shares") == expected


@pytest.mark.parametrize("bad", [1.5, 2.0, "1.5", "-3", -3, True, "1e3", "abc", None, Fraction(1, 2)], ids=repr)
def test_parse_shares_refuses_fractions_negatives_floats_booleans(bad):
    with pytest.raises(InputError) as info:
        parse_shares(bad, "holdings[0].shares")
    assert str(info.value).startswith("holdings[0].shares")


# --- format_exact -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        (Fraction(0), "0"),
        (Fraction(169, 100), "1.69"),
        (Fraction(-1, 8), "-0.125"),
        (Fraction(1, 100), "0.01"),
        (Fraction(-5, 2), "-2.5"),
        (Fraction(1, 1024), "0.0009765625"),
        (Fraction(10**30 + 1, 10**6), "1000000000000000000000000.000001"),
        (Fraction(1, 3), "1/3"),
        (Fraction(-2, 3), "-2/3"),
        (Fraction(2000, 209), "2000/209"),
        (5, "5"),
        (-12, "-12"),
    ],
)
def test_format_exact_prints_decimals_when_terminating_else_p_over_q(value, text):
    assert format_exact(value) == text


@pytest.mark.parametrize(
    "value",
    [
        Fraction(0),
        Fraction(1, 3),
        Fraction(-1, 3),
        Fraction(1, 7),
        Fraction(22, 7),
        Fraction(169, 100),
        Fraction(-169, 100),
        Fraction(1, 2**40),
        Fraction(1, 5**20),
        Fraction(3, 2**7 * 5**3),
        Fraction(-1, 2**3 * 3),
        Fraction(10**40 + 7, 10**12),
        Fraction(709631, 3650),  # 3650 = 2 * 5^2 * 73: not terminating
        Fraction(169 * 15 * 366, 100 * 100 * 365),
    ],
    ids=str,
)
def test_format_exact_round_trips(value):
    text = format_exact(value)
    assert Fraction(text) == value
    assert "e" not in text.lower()  # never an exponent
    # and a second pass is a fixed point (deterministic output)
    assert format_exact(Fraction(text)) == text


# --- rounding helpers -------------------------------------------------------------------------

CENT = Fraction(1, 100)


@pytest.mark.parametrize(
    "value, half_up, half_even",
    [
        (Fraction(5, 2), 3, 2),  # exact half, even neighbour below
        (Fraction(7, 2), 4, 4),  # exact half, even neighbour above
        (Fraction(1, 2), 1, 0),
        (Fraction(-5, 2), -3, -2),  # half_up rounds halves away from zero (documented)
        (Fraction(-7, 2), -4, -4),
        (Fraction(-1, 2), -1, 0),
        (Fraction(249999, 100000), 2, 2),  # just below a half
        (Fraction(250001, 100000), 3, 3),  # just above
        (Fraction(-250001, 100000), -3, -3),
        (Fraction(3), 3, 3),
        (Fraction(0), 0, 0),
    ],
    ids=str,
)
def test_round_to_whole_units_at_exact_halves(value, half_up, half_even):
    assert round_half_up(value) == half_up
    assert round_half_even(value) == half_even
    assert round_by("half-up", value) == half_up
    assert round_by("half-even", value) == half_even


@pytest.mark.parametrize(
    "value, half_up, half_even",
    [
        (Fraction(125, 1000), Fraction(13, 100), Fraction(12, 100)),  # $0.125: half a cent
        (Fraction(135, 1000), Fraction(14, 100), Fraction(14, 100)),  # $0.135: even is up
        (Fraction(-125, 1000), Fraction(-13, 100), Fraction(-12, 100)),
        (Fraction(1245, 1000), Fraction(125, 100), Fraction(124, 100)),  # $1.245
        (Fraction(12449999, 10**7), Fraction(124, 100), Fraction(124, 100)),
        # a weighted-average price: 1.69 * 1100 / 1150 = 1.6165217... -> 1.62
        (Fraction(169, 100) * 1100 / 1150, Fraction(162, 100), Fraction(162, 100)),
    ],
    ids=str,
)
def test_round_to_cents_at_exact_half_cents(value, half_up, half_even):
    assert round_half_up(value, CENT) == half_up
    assert round_half_even(value, CENT) == half_even


def test_round_to_hundredths_of_a_share():
    # infinity 4(h)(i): nearest 1/100 share. 1000 * 1.69 / 1.55 = 1090.3225... -> 1090.32
    assert round_half_up(Fraction(1000 * 169, 155), CENT) == Fraction(109032, 100)
    # 0.005 share exactly: half up -> 0.01, half even -> 0.00
    assert round_half_up(Fraction(5, 1000), CENT) == CENT
    assert round_half_even(Fraction(5, 1000), CENT) == 0


def test_round_down_is_floor_for_whole_shares():
    assert round_down(Fraction(1090322580, 1000000)) == 1090
    assert round_down(Fraction(999, 1000), CENT) == Fraction(99, 100)
    assert round_down(Fraction(-1, 3)) == -1  # floor, not truncation
    assert round_down(Fraction(-1, 300), CENT) == -CENT
    assert round_by("down", Fraction(7, 2)) == 3


def test_round_results_are_exact_multiples_of_the_unit():
    for value in (Fraction(1, 3), Fraction(-22, 7), Fraction(123456789, 1000)):
        for helper in (round_half_up, round_half_even, round_down):
            result = helper(value, CENT)
            assert isinstance(result, Fraction)
            assert (result / CENT).denominator == 1
            assert abs(result - value) <= CENT


def test_round_by_unknown_rule_is_an_input_error():
    with pytest.raises(InputError, match="coin-flip"):
        round_by("coin-flip", Fraction(1, 2))
