"""Cumulative dividends: the amount accrued per share from a series' issue date to a date.

NVCA 2020 §1 (the cumulative alternative): dividends accrue day by day on the original issue price
at the stated rate, whether or not declared, simple or compounding annually, and the accrued and
unpaid amount is part of the liquidation amount (§2.1, ``oracle/positions.py``). A year of accrual
is ``day_count`` days (365 or 360) counted in actual days; leap days are days. Compounding adds the
accrued amount to the base on each anniversary of the issue date (a 29 February issue's anniversary
is 28 February in other years).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from charter_oracle.oracle.charter import DividendPreference


def anniversary(start: dt.date, years: int) -> dt.date:
    """The ``years``-th anniversary of ``start`` (29 February falls back to 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def accrued_per_share(dividend: DividendPreference, price: Fraction, start: dt.date, end: dt.date) -> Fraction:
    """Dividends accrued per share from ``start`` (the issue date) to ``end``; 0 before the start.

    Simple: ``rate * days / day_count``. Annual compounding: each full year multiplies the base
    ``price + accrued`` by ``1 + fraction``; the part year accrues simply on the base reached.
    """
    if not dividend.cumulative or end <= start:
        return Fraction(0)
    if dividend.compounding == "simple":
        return dividend.rate * Fraction((end - start).days, dividend.day_count)
    assert dividend.annual_fraction is not None  # the reader requires it for compounding
    years = 0
    while anniversary(start, years + 1) <= end:
        years += 1
    base = price * (1 + dividend.annual_fraction) ** years
    days = (end - anniversary(start, years)).days
    return base * (1 + dividend.annual_fraction * Fraction(days, dividend.day_count)) - price
