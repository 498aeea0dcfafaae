"""Dates for generated cap tables and events: spans read from the charter, leap days over-represented.

Strategies are built once per argument tuple (``lru_cache``) and reused: Hypothesis validates a
strategy object the first time it draws from it, and rebuilding them per example spent more time
in that validation than in the oracle. A cached strategy draws exactly what a fresh one would.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from hypothesis import strategies as st

from charter_oracle.invariants.strategies.cache import MANY
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter

# How far after its first possible date a generated cap table or event may fall.
TABLE_YEARS, EVENT_YEARS = 12, 10


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (or earlier); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def table_dates(charter: Charter) -> tuple[dt.date, dt.date]:
    """The span of a generated cap table's date: from the charter's own date on."""
    return charter.date, years_after(charter.date, TABLE_YEARS)


def event_window(charter: Charter, table: CapTable) -> tuple[dt.date, dt.date]:
    """Where events that the anti-dilution clause governs fall: after the cap table's date and after the
    clause's start date (nvidia IV.D.3(G): issues before the restated certificate are not Additional Shares)."""
    start = table.as_of
    if charter.dilution is not None and charter.dilution.start_date is not None:
        start = max(start, charter.dilution.start_date + dt.timedelta(days=1))  # issues *after* it
    return start, years_after(start, EVENT_YEARS)


def in_force(charter: Charter, day: dt.date) -> bool:
    """Whether the anti-dilution clause governs an issue on ``day`` (its start date, if any, has come)."""
    terms = charter.dilution
    return terms is not None and (terms.start_date is None or day > terms.start_date)


def event_dates(charter: Charter, table: CapTable) -> st.SearchStrategy[dt.date]:
    """Mostly inside ``event_window``; sometimes the start date itself (not after it) or the day after."""
    low, high = event_window(charter, table)
    start = charter.dilution.start_date if charter.dilution is not None else None
    return _event_dates(low, high, start)


@lru_cache(maxsize=MANY)
def _event_dates(low: dt.date, high: dt.date, start: dt.date | None) -> st.SearchStrategy[dt.date]:
    inside = dates(low, high)
    if start is None:
        return inside
    return st.one_of(inside, inside, inside, st.sampled_from([start, start + dt.timedelta(days=1)]))


@lru_cache(maxsize=MANY)
def dates(start: dt.date = dt.date(1991, 1, 1), end: dt.date = dt.date(2030, 12, 31)) -> st.SearchStrategy[dt.date]:
    """Dates with leap days and year ends over-represented (the 365-day interest basis cares)."""
    specials = [d for y in range(start.year, end.year + 1) for d in
                (dt.date(y, 2, 28), dt.date(y, 3, 1), dt.date(y, 12, 31), dt.date(y, 1, 1)) if start <= d <= end]
    leap = [dt.date(y, 2, 29) for y in range(start.year, end.year + 1) if y % 4 == 0 and start <= dt.date(y, 2, 29) <= end]
    return st.one_of(st.sampled_from(leap + specials), st.dates(start, end))
