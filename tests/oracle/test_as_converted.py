"""oracle.as_converted: the one definition of as-converted shares (conversion value / conversion price)."""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.oracle.as_converted import as_converted, conversion_ratio
from charter_oracle.oracle.charter_file import load_charter


def test_at_the_original_price_one_share_converts_into_one():
    series = load_charter("nvidia-1998").series[0]
    assert conversion_ratio(series, series.conversion.value) == 1


def test_a_lower_price_gives_more_common_exactly():
    series = load_charter("nvidia-1998").series[0]
    value = series.conversion.value
    price = value * Fraction(2, 3)  # a price two thirds of the value: each share converts into 3/2
    assert conversion_ratio(series, price) == Fraction(3, 2)
    assert as_converted(series, 1_001, price) == Fraction(3_003, 2)  # 1,001 x 3/2 = 1,501.5, not rounded here
