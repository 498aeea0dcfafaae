"""Hypothesis strategies worth reusing: cap tables, proceeds, event histories and whole charters.

Everything is exact: share counts are ints, money and prices are Fractions built
from cents or small ratios, never floats. The strategies read only the charter's
data (designated counts, prices, participation terms, its date and the start date
of its anti-dilution clause) and the cap table in hand (its date, prices and size),
never constants from one charter's era, so they work on a user's charter as well as
on the bundled ones.

One module per concept: ``calendar`` (dates and windows), ``money`` (cents, prices),
``tables`` (cap tables), ``proceeds`` (exit values), ``events`` (financing histories),
``charters`` (random charter files). The strategies they draw from are built once per
argument tuple and reused, so Hypothesis validates each one once, not once per example.
"""

from __future__ import annotations

from charter_oracle.invariants.strategies.calendar import (
    EVENT_YEARS, TABLE_YEARS, dates, event_dates, event_window, in_force, table_dates, years_after)
from charter_oracle.invariants.strategies.charters import random_charter_dicts, random_charters
from charter_oracle.invariants.strategies.events import ANY_ORDER, event_histories, issue_events
from charter_oracle.invariants.strategies.money import CENT, cents, conversion_price_overrides, option_prices
from charter_oracle.invariants.strategies.proceeds import (
    interesting_proceeds, participating_proceeds, proceeds_for, sequence_of, tables_and_proceeds)
from charter_oracle.invariants.strategies.tables import HOLDER_NAMES, cap_tables, company_size

__all__ = [
    "cap_tables", "proceeds_for", "interesting_proceeds", "issue_events", "event_histories", "dates",
    "random_charter_dicts", "random_charters", "conversion_price_overrides", "HOLDER_NAMES",
    "years_after", "table_dates", "event_window", "event_dates", "in_force", "company_size",
]

# Also importable (the suite's own cases use them): CENT, cents, option_prices, ANY_ORDER, TABLE_YEARS,
# EVENT_YEARS, tables_and_proceeds, sequence_of.
_INTERNAL = (CENT, cents, option_prices, ANY_ORDER, TABLE_YEARS, EVENT_YEARS, tables_and_proceeds, sequence_of)
