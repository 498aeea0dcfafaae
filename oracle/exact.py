"""Exact numbers: parsing at the edges, formatting at the edges, named rounding.

Inside the oracle every amount, price, ratio and vote is a ``Fraction``.
Inputs are decimal strings, integers or ``p/q`` strings; floats, NaN,
infinities and absurd exponents are refused. Rounding happens only through the
named helpers below, each used where a charter clause asks for it.
"""

from __future__ import annotations

import re
from fractions import Fraction

from charter_oracle.oracle.errors import InputError

# A plain decimal ("12", "-0.40", "1,000,000.25" is refused: no separators),
# an optional small exponent, or a ratio "p/q". Exponents are bounded so that
# "1e999999999" cannot make us build a gigantic integer.
# ASCII digits only: Python's \d and int() also take Arabic-Indic or full-width digits,
# which no charter, cap table or command line means as a number.
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$", re.ASCII)
_RATIO = re.compile(r"^[+-]?\d+[ \t]*/[ \t]*\d+$", re.ASCII)
_MAX_DIGITS = 60
# Python's own limit on int <-> str conversions (4,300 digits) stays in force: it also guards
# parsing. The ledger keeps exact prices far shorter (whole-share bases, see
# oracle/adjustments/formula.py); a number too long to print is refused by format_exact in one line.


def parse_exact(value: object, what: str) -> Fraction:
    """Turn a user-supplied number into a Fraction, or raise InputError naming ``what``."""
    if isinstance(value, bool):
        raise InputError(f"{what}: expected a number, got the boolean {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        raise InputError(
            f"{what}: got the binary float {value!r}; write money and prices as quoted decimal "
            f"strings (e.g. \"{value}\") so that they stay exact"
        )
    if not isinstance(value, str):
        raise InputError(f"{what}: expected a decimal string, got {type(value).__name__} {value!r}")
    text = value.strip(" \t")
    if len(text) > _MAX_DIGITS + 10:
        raise InputError(f"{what}: {value!r} is too long to be a sensible amount")
    if _RATIO.match(text):
        num, den = (part.strip() for part in text.split("/"))
        if int(den) == 0:
            raise InputError(f"{what}: {value!r} divides by zero")
        return Fraction(int(num), int(den))
    match = _DECIMAL.match(text)
    if not match:
        raise InputError(f"{what}: {value!r} is not a decimal number (expected e.g. \"1.69\" or \"5/3\")")
    exponent = match.group(3)
    if exponent and abs(int(exponent[1:])) > 30:
        raise InputError(f"{what}: {value!r} has an absurd exponent")
    return Fraction(text)


def parse_amount(value: object, what: str, *, allow_negative: bool = False) -> Fraction:
    """A money amount or price: exact and, unless allowed, not negative."""
    amount = parse_exact(value, what)
    if amount < 0 and not allow_negative:
        raise InputError(f"{what}: {value!r} is negative")
    return amount


def parse_shares(value: object, what: str) -> int:
    """A share count: a non-negative whole number (ints or integer strings)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise InputError(f"{what}: expected a whole number of shares, got {value!r}")
    if isinstance(value, str):
        if not re.fullmatch(r"[ \t]*\d+[ \t]*", value, re.ASCII):
            raise InputError(f"{what}: expected a whole number of shares, got {value!r}")
        value = int(value)
    if not isinstance(value, int):
        raise InputError(f"{what}: expected a whole number of shares, got {value!r}")
    if value < 0:
        raise InputError(f"{what}: {value} shares is negative")
    return value


MAX_PRINT_BITS = 13_000  # about 3,900 decimal digits: under Python's 4,300-digit str() limit


def format_exact(value: Fraction | int) -> str:
    """The exact value as a string that ``Fraction(s)`` parses back.

    A terminating decimal is printed as a decimal (no exponent, no trailing
    zeros beyond what is needed); anything else as ``p/q``.
    """
    value = Fraction(value)
    if max(abs(value.numerator).bit_length(), value.denominator.bit_length()) > MAX_PRINT_BITS:
        raise InputError("an exact result has over 4,000 digits and cannot be printed; "
                         "choose a rounded interpretation (e.g. a price unit of 1/100)")
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value * 10**places
    assert scaled.denominator == 1
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    whole, frac = digits[:-places], digits[-places:]
    return f"{sign}{whole}.{frac}"


def format_money(value: Fraction) -> str:
    """A readable dollar amount for tables: cents with separators, '~' when inexact."""
    cents = round_to_cents(value)
    whole = int(abs(cents))
    frac_cents = int((abs(cents) - whole) * 100)
    text = f"{'-' if cents < 0 else ''}${whole:,}.{frac_cents:02d}"
    return text if cents == value else "~" + text


# --- rounding helpers: one per rule a charter states -------------------------


def round_half_up(value: Fraction, unit: Fraction = Fraction(1)) -> Fraction:
    """Nearest multiple of ``unit``, exact halves away from zero (e.g. nvidia IV.D.4)."""
    steps = value / unit
    sign = -1 if steps < 0 else 1
    magnitude = abs(steps)
    whole = magnitude.numerator // magnitude.denominator
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    return sign * whole * unit


def round_half_even(value: Fraction, unit: Fraction = Fraction(1)) -> Fraction:
    """Nearest multiple of ``unit``, exact halves to the even multiple (banker's rounding)."""
    return round(value / unit) * unit  # Fraction.__round__ rounds halves to even, exactly


def round_down(value: Fraction, unit: Fraction = Fraction(1)) -> Fraction:
    """Largest multiple of ``unit`` not above ``value`` (whole shares before cash in lieu)."""
    steps = value / unit
    return (steps.numerator // steps.denominator) * unit


CENT = Fraction(1, 100)  # the smallest amount of money a charter, a payout or a price is stated in


def round_to_cents(value: Fraction) -> Fraction:
    """An amount of money to the nearest cent, exact half cents up: the one cents rounding for display."""
    return round_half_up(value, CENT)


ROUNDING_RULES = {
    "half-up": round_half_up,
    "half-even": round_half_even,
    "down": round_down,
}


def round_by(rule: str, value: Fraction, unit: Fraction = Fraction(1)) -> Fraction:
    """Round with a rule named in a charter file or an interpretation."""
    try:
        helper = ROUNDING_RULES[rule]
    except KeyError:
        raise InputError(f"rounding rule {rule!r} is unknown (expected one of {sorted(ROUNDING_RULES)})")
    return helper(value, unit)
