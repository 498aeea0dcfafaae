"""The language-neutral JSON form of a loaded charter and cap table (docs/engine-protocol.md).

An engine in another language receives the charter and the cap table as JSON, written here
from the oracle's loaded objects, so that it never parses TOML and sees exactly what the
oracle computed with (interpretation choices applied, ``interpretations_in_force`` listed).

* Charter: every field of the ``oracle.charter`` dataclasses under its own name, nested as
  there. Amounts, prices, rates and fractions are exact strings (a decimal, or ``p/q`` when
  the decimal does not terminate); counts (shares, ranks, days) are JSON integers; dates are
  ``YYYY-MM-DD``; an absent optional term is ``null``. ``chosen`` is written as the object
  ``interpretations_in_force`` (id -> value).
* Cap table: the cap-table file format of docs/charter-format.md, as JSON, every key present:
  ``as_of``, ``holdings`` [{holder, class, shares}], ``options`` [{holder, shares,
  exercise_price}], ``conversion_prices``, ``declared_unpaid_dividends`` (per share) and
  ``issue_dates`` (objects keyed by series id).

Both directions exist (``charter_from_json``, ``cap_table_from_json``) so that the form is
proven complete: reading the JSON back gives the same objects (tests/invariants/test_engine_json.py).
The output is deterministic: same objects, same JSON, byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from charter_oracle.oracle import charter as model
from charter_oracle.oracle import series_extras
from charter_oracle.oracle.cap_table import CapTable, build_cap_table
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.exact import format_exact, parse_exact

FORM_VERSION = 1  # bump when a key is renamed or removed (adding keys keeps the version)


# --- writing ---------------------------------------------------------------------------------

def _value(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value  # a count: shares, a rank, days
    if isinstance(value, Fraction):
        return format_exact(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")  # a new field type: extend the form


def charter_to_json(charter: Charter) -> dict[str, Any]:
    """The charter as JSON data (``json.dumps``-ready), interpretations in force as an object."""
    out = _value(charter)
    del out["chosen"]
    out["interpretations_in_force"] = dict(charter.chosen)
    return out


def cap_table_to_json(table: CapTable) -> dict[str, Any]:
    """The cap table in the cap-table file's keys, every key present, amounts as exact strings."""
    return {
        "as_of": table.as_of.isoformat(),
        "holdings": [{"holder": h.holder, "class": h.class_id, "shares": h.shares} for h in table.holdings],
        "options": [{"holder": o.holder, "shares": o.shares, "exercise_price": format_exact(o.exercise_price)}
                    for o in table.options],
        "conversion_prices": {k: format_exact(v) for k, v in table.conversion_prices},
        "declared_unpaid_dividends": {k: format_exact(v) for k, v in table.declared_unpaid_dividends},
        "issue_dates": {k: v.isoformat() for k, v in table.issue_dates},
    }


# --- reading back ----------------------------------------------------------------------------

def _read(kind: Any, raw: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if origin is typing.Literal:
        if raw not in typing.get_args(kind):
            raise InputError(f"{where}: {raw!r} is not one of {', '.join(map(str, typing.get_args(kind)))}")
        return raw
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        return None if raw is None else _read(args[0], raw, where)
    if origin is tuple:
        if not isinstance(raw, list):
            raise InputError(f"{where}: expected a list, got {raw!r}")
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_read(args[0], item, f"{where}[{i}]") for i, item in enumerate(raw))
        return tuple(_read(a, item, f"{where}[{i}]") for i, (a, item) in enumerate(zip(args, raw)))
    if dataclasses.is_dataclass(kind):
        return _dataclass(kind, raw, where)
    if kind is Fraction:
        return parse_exact(raw, where) if isinstance(raw, str) else _refuse(raw, where, "an exact string")
    if kind is dt.date:
        return dt.date.fromisoformat(raw) if isinstance(raw, str) else _refuse(raw, where, "a date string")
    if kind is bool:
        return raw if isinstance(raw, bool) else _refuse(raw, where, "true or false")
    if kind is int:
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else _refuse(raw, where, "an integer")
    if kind is str:
        return raw if isinstance(raw, str) else _refuse(raw, where, "a string")
    raise TypeError(f"{where}: no JSON reading for {kind!r}")


# The charter model's names, with those it imports only for type checking (the series' NVCA extras).
_NAMESPACE = {**vars(model), **vars(series_extras)}


def _refuse(raw: Any, where: str, expected: str) -> Any:
    raise InputError(f"{where}: expected {expected}, got {raw!r}")


def _dataclass(cls: Any, raw: Any, where: str) -> Any:
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: expected an object, got {raw!r}")
    hints = typing.get_type_hints(cls, _NAMESPACE)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise InputError(f"{where}: unknown key {unknown[0]!r}")
    values = {}
    for name, f in fields.items():
        if name in raw:
            values[name] = _read(hints[name], raw[name], f"{where}.{name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise InputError(f"{where}: {name} is missing")
    return cls(**values)


def charter_from_json(raw: Mapping[str, Any]) -> Charter:
    """A ``Charter`` from its JSON form (the inverse of ``charter_to_json``)."""
    data = dict(raw)
    chosen = data.pop("interpretations_in_force", {})
    if not isinstance(chosen, Mapping) or not all(isinstance(v, str) for v in chosen.values()):
        raise InputError(f"charter.interpretations_in_force: expected an object of strings, got {chosen!r}")
    data["chosen"] = [[k, v] for k, v in chosen.items()]
    return _dataclass(Charter, data, "charter")


def cap_table_from_json(raw: Mapping[str, Any], charter: Charter, where: str = "cap_table") -> CapTable:
    """A ``CapTable`` from its JSON form, validated against the charter as a cap-table file is."""
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: expected an object, got {raw!r}")
    data = {k: v for k, v in raw.items() if v not in ({}, [])}  # empty sections are absent ones
    if "holdings" not in data:
        data["holdings"] = []
    return build_cap_table(data, charter, where)


__all__ = ["FORM_VERSION", "cap_table_from_json", "cap_table_to_json", "charter_from_json", "charter_to_json"]
