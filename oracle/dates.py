"""Dates at the edges: exactly YYYY-MM-DD (TOML dates accepted), nothing looser.

Python's ``date.fromisoformat`` also takes ``19960701`` and week dates; a cap table
or an events file that says one of those is more likely a mistake than a date.
"""

from __future__ import annotations

import datetime as dt
import re

from charter_oracle.oracle.errors import InputError

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# Supported range: day counts, interest accrual and valuation windows subtract and add days;
# at the edges of Python's calendar (year 1 or 9999) that overflows. No charter is outside these.
EARLIEST = dt.date(1800, 1, 1)
LATEST = dt.date(2199, 12, 31)


def parse_date(value: object, what: str) -> dt.date:
    date = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        date = value
    elif isinstance(value, str) and _ISO.fullmatch(value):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if date is None:
        raise InputError(f"{what}: expected a date YYYY-MM-DD, got {value!r}")
    if not EARLIEST <= date <= LATEST:
        raise InputError(f"{what}: {date.isoformat()} is outside the supported dates {EARLIEST} to {LATEST}")
    return date
