"""Conversion-price adjustments from a ledger of events (issues, option grants, expiries,
repricings, splits), per the charter file's ``[dilution]`` terms.

* ``events`` -- the events, their units (those current at each event's date) and the events file;
* ``state`` -- the ledger's state between events;
* ``formula`` -- the weighted-average formula and its named parts (``is_dilutive``,
  ``consideration``, ``deemed_outstanding``, ``settle_price``...), which the mutants patch;
* ``ledger`` -- the replay: events in order, repricings and expiries recomputed from the
  grant's checkpoint (never nested).

Every name used elsewhere is importable from here, as when this was one module.
"""

from __future__ import annotations

from charter_oracle.oracle.adjustments.events import EVENT_DATES, EVENT_KINDS, Event, load_events, parse_events
from charter_oracle.oracle.adjustments.state import Grant, LedgerResult, LedgerState, Note, SeriesPrice, initial_state
from charter_oracle.oracle.adjustments.formula import (
    BASE_CONVERSION_SHARES,
    consideration,
    conversion_shares_in_base,
    deemed_outstanding,
    employee_split,
    is_dilutive,
    reservation_shortfall,
    settle_price,
    weighted_average,
)
from charter_oracle.oracle.adjustments.ledger import run_ledger, run_ledger_states

__all__ = [
    "BASE_CONVERSION_SHARES", "EVENT_DATES", "EVENT_KINDS", "Event", "Grant", "LedgerResult", "LedgerState", "Note",
    "SeriesPrice", "consideration", "conversion_shares_in_base", "deemed_outstanding", "employee_split",
    "initial_state", "is_dilutive", "load_events", "parse_events", "reservation_shortfall", "run_ledger",
    "run_ledger_states", "settle_price", "weighted_average",
]
