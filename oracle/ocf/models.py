"""The subset of OCF that charter-oracle reads, as typed, validated, frozen values.

Stock classes, stakeholders and transactions are built from the package's JSON
objects; every refusal is one line naming the file, the object id and the field.
OCF numbers are decimal strings (``Numeric``, ``Monetary.amount``); they are read
exactly as Fractions. A JSON float (``1.5`` unquoted) is refused: it reached the
reader as ``JsonFloat`` text precisely so that this refusal can name its field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import CapTableError, InputError
from charter_oracle.oracle.exact import parse_exact
from charter_oracle.oracle.ocf.package import JsonFloat


class Where:
    """The place of one object: ``OCF package 'p': FILE: object ID``, for messages."""

    def __init__(self, package: str, file: str, object_id: str) -> None:
        self.text = f"{package}: {file}: object {object_id!r}"

    def fail(self, problem: str) -> CapTableError:
        return CapTableError(f"{self.text}: {problem}")


def text_field(obj: Mapping[str, Any], key: str, at: Where, required: bool = True) -> str | None:
    value = obj.get(key)
    if type(value) is str and value and not value.isspace():
        return value
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise at.fail(f"{key}: expected a non-empty string, got {value!r}")
    return value


# The common shape of an OCF Numeric ("1000000", "0.2500000000"): read without the general parser,
# which a 10,000-stakeholder package would otherwise call tens of thousands of times.
_PLAIN = re.compile(r"(\d{1,60})(?:\.(\d{1,60}))?", re.ASCII)


def numeric(value: Any, key: str, at: Where) -> Fraction:
    """An OCF Numeric: a decimal string, exactly (an integer is exact too; a float is refused)."""
    if type(value) is str:
        plain = _PLAIN.fullmatch(value)
        if plain:
            whole, decimals = plain.groups()
            return Fraction(int(whole + (decimals or "")), 10 ** len(decimals or ""))
    if isinstance(value, JsonFloat):
        raise at.fail(f"{key}: the JSON number {value} is a float; OCF numbers are decimal strings (\"{value}\")")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise at.fail(f"{key}: expected a decimal string, got {value!r}")
    try:
        return parse_exact(value, key)
    except InputError:
        raise at.fail(f"{key}: {value!r} is not a decimal number") from None


def optional_numeric(obj: Mapping[str, Any], key: str, at: Where) -> Fraction | None:
    return None if obj.get(key) is None else numeric(obj[key], key, at)


def quantity(obj: Mapping[str, Any], key: str, at: Where, required: bool = True) -> int | None:
    """A share quantity: a whole, non-negative number ("1000000.00" is whole; "0.5" is refused)."""
    if obj.get(key) is None:
        if required:
            raise at.fail(f"{key}: missing")
        return None
    if type(obj[key]) is str:
        plain = _PLAIN.fullmatch(obj[key])
        if plain and not (plain.group(2) or "").strip("0"):  # a whole number, maybe with zero decimals
            return int(plain.group(1))
    value = numeric(obj[key], key, at)
    if value < 0:
        raise at.fail(f"{key}: {obj[key]!r} is negative")
    if value.denominator != 1:
        raise at.fail(f"{key}: {obj[key]!r} is a fraction of a share (charter-oracle counts whole shares)")
    return value.numerator


def monetary(obj: Mapping[str, Any], key: str, at: Where, required: bool = False) -> Fraction | None:
    """An OCF Monetary ``{"amount": "1.00", "currency": "USD"}``: the amount, exactly, not negative."""
    value = obj.get(key)
    if value is None:
        if required:
            raise at.fail(f"{key}: missing")
        return None
    if not isinstance(value, dict) or "amount" not in value:
        raise at.fail(f"{key}: expected {{\"amount\": ..., \"currency\": ...}}, got {value!r}")
    amount = numeric(value["amount"], f"{key}.amount", at)
    if amount < 0:
        raise at.fail(f"{key}.amount: {value['amount']!r} is negative")
    return amount


def ratio(obj: Mapping[str, Any], key: str, at: Where) -> Fraction | None:
    """An OCF Ratio ``{"numerator": "2", "denominator": "1"}``, positive."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise at.fail(f"{key}: expected {{\"numerator\": ..., \"denominator\": ...}}, got {value!r}")
    num = numeric(value.get("numerator"), f"{key}.numerator", at)
    den = numeric(value.get("denominator"), f"{key}.denominator", at)
    if num <= 0 or den <= 0:
        raise at.fail(f"{key}: {num}/{den} is not a positive ratio")
    return num / den


_DATES: dict[str, dt.date] = {}  # a history repeats its dates: each distinct one is parsed once


def date_field(obj: Mapping[str, Any], key: str, at: Where) -> dt.date:
    value = obj.get(key)
    known = _DATES.get(value) if type(value) is str else None
    if known is not None:
        return known
    try:
        day = parse_date(value, key)
    except InputError as error:
        raise at.fail(str(error)) from None
    if type(value) is str and len(_DATES) < 100_000:
        _DATES[value] = day
    return day


def ids_field(obj: Mapping[str, Any], key: str, at: Where) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise at.fail(f"{key}: expected a list of security ids, got {value!r}")
    return tuple(value)


@dataclass(frozen=True)
class ConversionMechanism:
    """A RATIO_CONVERSION: common per share = ``ratio``; ``price`` the conversion price when given."""

    ratio: Fraction | None
    price: Fraction | None


def conversion_mechanism(value: Any, key: str, at: Where) -> ConversionMechanism | None:
    """A ratio mechanism (others, e.g. SAFE or note mechanisms, are not stock-class conversion terms: None)."""
    if not isinstance(value, dict):
        raise at.fail(f"{key}: expected a conversion mechanism object, got {value!r}")
    kind = value.get("mechanism_type", value.get("type"))
    if kind != "RATIO_CONVERSION":
        return None
    mechanism = ConversionMechanism(ratio(value, "ratio", at), monetary(value, "conversion_price", at))
    if mechanism.price == 0:
        raise at.fail(f"{key}.conversion_price: a conversion price of zero")
    return mechanism


@dataclass(frozen=True)
class StockClass:
    id: str
    name: str
    class_type: str  # COMMON | PREFERRED
    seniority: Fraction | None  # OCF: the higher number is paid first
    liquidation_preference_multiple: Fraction | None
    participation_cap_multiple: Fraction | None
    price_per_share: Fraction | None
    votes_per_share: Fraction | None
    authorized: int | None  # initial_shares_authorized (or current_shares_authorized when that is all there is)
    conversion: ConversionMechanism | None
    par_value: Fraction | None
    where: str  # for messages and findings: "OCF package 'p': FILE: object ID"


def stock_class(obj: Mapping[str, Any], package: str, file: str) -> StockClass:
    object_id = obj.get("id")
    at = Where(package, file, str(object_id))
    class_id = text_field(obj, "id", at)
    assert class_id is not None
    name = text_field(obj, "name", at)
    class_type = obj.get("class_type")
    if class_type not in ("COMMON", "PREFERRED"):
        raise at.fail(f"class_type: expected COMMON or PREFERRED, got {class_type!r}")
    authorized = obj.get("initial_shares_authorized", obj.get("current_shares_authorized"))
    count = None
    if isinstance(authorized, str) and authorized in ("UNLIMITED", "NOT_APPLICABLE"):
        count = None
    elif authorized is not None:
        count = quantity({"initial_shares_authorized": authorized}, "initial_shares_authorized", at)
    conversion = None
    rights = obj.get("conversion_rights", [])
    if not isinstance(rights, list):
        raise at.fail(f"conversion_rights: expected a list, got {rights!r}")
    for i, right in enumerate(rights):
        if not isinstance(right, dict):
            raise at.fail(f"conversion_rights[{i}]: expected an object, got {right!r}")
        mechanism = right.get("conversion_mechanism")
        if mechanism is not None and conversion is None:
            conversion = conversion_mechanism(mechanism, f"conversion_rights[{i}].conversion_mechanism", at)
    return StockClass(
        id=class_id, name=name or class_id, class_type=class_type,
        seniority=optional_numeric(obj, "seniority", at),
        liquidation_preference_multiple=optional_numeric(obj, "liquidation_preference_multiple", at),
        participation_cap_multiple=optional_numeric(obj, "participation_cap_multiple", at),
        price_per_share=monetary(obj, "price_per_share", at),
        votes_per_share=optional_numeric(obj, "votes_per_share", at),
        authorized=count, conversion=conversion, par_value=monetary(obj, "par_value", at), where=at.text,
    )


@dataclass(frozen=True)
class Stakeholder:
    id: str
    name: str


def stakeholder(obj: Mapping[str, Any], package: str, file: str) -> Stakeholder:
    at = Where(package, file, str(obj.get("id")))
    stakeholder_id = text_field(obj, "id", at)
    name = obj.get("name")
    legal = name.get("legal_name") if isinstance(name, dict) else None
    if not isinstance(legal, str) or not legal.strip():
        raise at.fail(f"name.legal_name: expected a non-empty name, got {legal!r}")
    assert stakeholder_id is not None
    return Stakeholder(stakeholder_id, legal.strip())
