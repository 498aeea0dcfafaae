"""Numbers for people: decimals in tables, CSV and spreadsheets, the exact value beside when it does not terminate.

JSON stays exact (``format_exact``); these are for human-facing output only. Integer
arithmetic on purpose: a 10,000-row sweep formats hundreds of thousands of numbers, and
these agree with the oracle's named helpers (``round_half_up``, ``format_money``), which
the tests check.
"""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.oracle.exact import format_exact

PLACES = 6


def decimal(value: Fraction | None, places: int = PLACES) -> str:
    """Exact when it terminates within ``places``, else rounded half up to ``places``."""
    if value is None:
        return ""
    scale = 10**places
    whole, rest = divmod(abs(value.numerator) * scale, value.denominator)
    if 2 * rest >= value.denominator:  # half up, away from zero
        whole += 1
    if whole == 0:
        return "0"
    sign = "-" if value < 0 else ""
    units, fraction = divmod(whole, scale)
    digits = str(fraction).rjust(places, "0").rstrip("0")
    return f"{sign}{units}.{digits}" if digits else f"{sign}{units}"


def money(value: Fraction) -> str:
    """``format_money``'s text (cents with separators, '~' when inexact), in integer arithmetic."""
    cents, rest = divmod(abs(value.numerator) * 100, value.denominator)
    if 2 * rest >= value.denominator:
        cents += 1
    whole, part = divmod(cents, 100)
    text = f"{'-' if value < 0 and cents else ''}${whole:,}.{part:02d}"
    return text if rest == 0 else "~" + text


def readable(value: Fraction | int) -> str:
    """The decimal when it terminates, else six places with the exact p/q beside: ``~0.333333 (1/3)``."""
    exact = format_exact(value)
    return exact if "/" not in exact else f"~{decimal(Fraction(value))} ({exact})"
