"""What one example of an invariant is (a ``Case``) and how a broken one is reported (``Violation``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

from charter_oracle.oracle.adjustments import Event
from charter_oracle.oracle.cap_table import CapTable, cap_table_to_toml
from charter_oracle.oracle.exact import format_exact


@dataclass(frozen=True)
class Case:
    """One generated example: a cap table, and what the invariant does with it."""

    table: CapTable
    proceeds: Fraction | None = None
    events: tuple[Event, ...] = ()
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, key: str, default: Any = None) -> Any:
        return dict(self.params).get(key, default)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"cap_table": cap_table_to_toml(self.table)}
        if self.proceeds is not None:
            out["proceeds"] = format_exact(self.proceeds)
        if self.events:
            out["events"] = [event_to_json(e) for e in self.events]
        if self.params:
            out["params"] = {k: jsonable(v) for k, v in self.params}
        return out


def jsonable(value: Any) -> Any:
    """Exact values as strings ``Fraction`` parses back; dates ISO; containers recursively."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Fraction):
        return format_exact(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return repr(value)


def event_to_json(event: Event) -> dict[str, Any]:
    """An event as an events-file row (only the fields its kind uses)."""
    keep = {"issue": ("shares", "price", "commissions", "excluded"), "grant": ("shares", "price", "exercise_price", "excluded"),
            "expire": ("shares", "grant"), "reprice": ("grant", "exercise_price"), "split": ("ratio",)}[event.kind]
    row: dict[str, Any] = {"kind": event.kind, "date": event.date.isoformat()}
    for f in fields(event):
        if f.name in keep and getattr(event, f.name) is not None:
            row[f.name] = jsonable(getattr(event, f.name))
    return row


class Violation(AssertionError):
    """An invariant did not hold on ``case``; ``message`` says what was expected and what came out."""

    def __init__(self, message: str, case: Case | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.case = case
