"""The strict TOML reader: a table read key by key, every problem one line naming file, key and value.

``StrictTable`` knows nothing about charters: it reads typed values (strings from a fixed choice,
exact non-negative numbers -- never floats --, whole share counts, dates, booleans, lists, nested
tables) and remembers which keys were asked for, so ``close()`` can refuse any key nobody read.
The section builders (``oracle/sections/``) say which keys a charter has; this module says how
a key is read. Its errors are ``CharterFormatError`` (``oracle/errors.py``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from charter_oracle.oracle.charter_ids import ID_PATTERN
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import CharterFormatError, InputError
from charter_oracle.oracle.exact import parse_exact, parse_shares
from charter_oracle.oracle.naming import did_you_mean, nearest


def item_name(item: Any, index: int) -> str:
    """How an error names an item of an array of tables: by its id when it has a usable one
    (``series.series_c``), else by position (``series[0]``)."""
    found = item.get("id") if isinstance(item, dict) else None
    if isinstance(found, str) and ID_PATTERN.fullmatch(found):
        return f".{found}"
    return f"[{index}]"


class StrictTable:
    """A TOML table read key by key; ``close()`` refuses keys nobody asked for."""

    def __init__(self, data: Any, where: str, file: str, *, cited: bool = True) -> None:
        if not isinstance(data, dict):
            raise CharterFormatError(f"{file}: {where}: expected a table, got {data!r}")
        self.data, self.where, self.file = data, where, file
        self.seen: set[str] = set()
        if cited:
            self.cite = self.string("cite")

    def fail(self, key: str, message: str) -> CharterFormatError:
        return CharterFormatError(f"{self.file}: {self.where}.{key}: {message}")

    def value(self, key: str, required: bool = True) -> Any:
        """A key's raw value, unchecked (the caller checks it): ``format``'s exact int, say."""
        return self._get(key, required)

    def mark_read(self, *keys: str) -> None:
        """Keys read elsewhere (before interpretations were bound): ``close()`` does not refuse them."""
        self.seen.update(keys)

    def fixed_boolean(self, key: str, supported: bool) -> None:
        """A boolean the engines implement one way only: absent or ``supported`` is accepted, the other
        value is refused rather than parsed and ignored (issue 9: every setting is used or refused)."""
        if self.boolean(key, supported) != supported:
            raise self.fail(key, f"{str(not supported).lower()} is not supported: the engines implement only "
                                 f"{str(supported).lower()}")

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:  # a typo of the key is the likeliest cause: say which key is there instead
                typo = nearest(key, [k for k in self.data if k not in self.seen and isinstance(k, str)])
                raise self.fail(key, "missing" + (f" (the table has {typo!r}: a typo?)" if typo else ""))
            return None
        return self.data[key]

    def string(self, key: str, required: bool = True, choices: tuple[str, ...] | None = None) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {value!r}")
        if choices is not None and value not in choices:
            raise self.fail(key, f"{value!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}")
        return value

    def exact(self, key: str, required: bool = True, positive: bool = False) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            number = parse_exact(value, f"{self.file}: {self.where}.{key}")
        except InputError as error:
            raise CharterFormatError(str(error)) from None
        if number < 0 or (positive and number == 0):
            raise self.fail(key, f"expected a {'positive' if positive else 'non-negative'} number, got {value!r}")
        return number

    def unit_or_exact(self, key: str) -> Fraction | None:
        """A rounding unit, or None when absent or written "exact" (interpretations may say so)."""
        if self.data.get(key) == "exact":
            self.seen.add(key)
            return None
        return self.exact(key, required=False, positive=True)

    def shares(self, key: str, required: bool = True) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            return parse_shares(value, f"{self.file}: {self.where}.{key}")
        except InputError as error:
            raise CharterFormatError(str(error)) from None

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def date(self, key: str, required: bool = True) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            return parse_date(value, f"{self.file}: {self.where}.{key}")
        except InputError as error:
            raise CharterFormatError(str(error)) from None

    def strings(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, f"expected a list of strings, got {value!r}")
        if len(set(value)) != len(value):
            raise self.fail(key, f"a value is listed twice in {value!r}")
        return tuple(value)

    def nonempty_strings(self, key: str) -> tuple[str, ...]:
        """A required list that must name at least one thing (an empty consent class list is meaningless)."""
        values = self.strings(key)
        if not values:
            raise self.fail(key, "expected at least one entry, got an empty list")
        return values

    def positive_whole(self, key: str) -> int | None:
        """An optional whole number that must be at least 1 when given (a count of days)."""
        value = self.shares(key, required=False)
        if value is not None and value < 1:
            raise self.fail(key, f"expected a whole number of at least 1, got {value!r}")
        return value

    def table(self, key: str, required: bool = True, cited: bool = True) -> StrictTable | None:
        value = self._get(key, required)
        if value is None:
            return None
        return StrictTable(value, f"{self.where}.{key}", self.file, cited=cited)

    def tables(self, key: str) -> list[StrictTable]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected an array of tables ([[{key}]]), got {value!r}")
        return [StrictTable(item, f"{self.where}.{key}{item_name(item, i)}", self.file) for i, item in enumerate(value)]

    def close(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            key = unknown[0]
            allowed = ", ".join(sorted(self.seen))
            raise self.fail(key, f"unknown key (value {self.data[key]!r}){did_you_mean(key, self.seen)} "
                                 f"(keys here: {allowed})")
