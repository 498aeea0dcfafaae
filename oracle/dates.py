"""Dates at the edges: exactly YYYY-MM-DD (TOML dates accepted), nothing looser.

Python's ``date.fromisoformat`` also takes ``19960701`` and week dates; a cap table
or an events file that says one of those is more likely a mistake than a date.
"""

from __future__ import annotations

import datetime as dt
import re

from charter_oracle.oracle.errors import InputError

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: object, what: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(f"{what}: expected a date YYYY-MM-DD, got {value!r}")
