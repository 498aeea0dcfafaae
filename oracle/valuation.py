"""Valuing listed securities distributed in a liquidation (infinity IV.3(e)).

Securities traded on an exchange are worth the average of their closing prices
(over the counter: closing bids) over a window of ``valuation_days`` ending
``valuation_lag_days`` before the distribution. Whether the window counts
calendar days (the closes falling within them are averaged) or trading days (the
last N closes) is interpretation infinity.valuation-window. Restricted securities
take a discount the board sets; it is an input here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import read_toml
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.exact import parse_amount


@dataclass(frozen=True)
class Valuation:
    value: Fraction  # per security, after any discount
    average: Fraction  # before the discount
    window: tuple[dt.date, dt.date]  # first and last day of the window
    closes_used: tuple[tuple[dt.date, Fraction], ...]
    cite: str


def market_value(
    charter: Charter, closes: Sequence[tuple[dt.date, Fraction]], distribution: dt.date,
    discount: Fraction = Fraction(0),
) -> Valuation:
    terms = charter.liquidation
    if terms.valuation_days is None:
        raise InputError(f"{charter.id} states no market valuation window for distributed securities")
    if not 0 <= discount < 1:
        raise InputError(f"restricted-securities discount {discount} must be at least 0 and below 1")
    days, lag = terms.valuation_days, terms.valuation_lag_days
    # "ending three days prior": is that day the window's last (inclusive) or its bound (exclusive)?
    end = distribution - dt.timedelta(days=lag + (1 if terms.valuation_window_end == "exclusive" else 0))
    ordered = sorted(closes)
    if len({d for d, _ in ordered}) != len(ordered):
        raise InputError("closing prices: two closes on one date")
    if terms.valuation_window == "trading-days":
        used = [c for c in ordered if c[0] <= end][-days:]
        if len(used) < days:
            raise InputError(f"closing prices: {days} trading days ending {end} are needed, got {len(used)}")
        start = used[0][0]
    else:
        start = end - dt.timedelta(days=days - 1)
        used = [c for c in ordered if start <= c[0] <= end]
        if not used:
            raise InputError(f"closing prices: no close between {start} and {end}")
    average = sum((price for _, price in used), Fraction(0)) / len(used)
    return Valuation(average * (1 - discount), average, (start, end), tuple(used), terms.valuation_cite)


def load_closes(path: str | Path) -> tuple[tuple[dt.date, Fraction], ...]:
    """A closes file: ``[[closes]]`` with ``date`` and ``price`` (a quoted decimal)."""
    raw = read_toml(Path(path), "closes file")
    rows = raw.get("closes")
    if set(raw) - {"closes"} or not isinstance(rows, list) or not rows:
        raise InputError(f"closes file {str(path)!r}: expected [[closes]] rows with date and price")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or set(row) != {"date", "price"}:
            raise InputError(f"closes file {str(path)!r}: closes[{i}]: expected exactly date and price")
        out.append((parse_date(row["date"], f"closes[{i}].date"), parse_amount(row["price"], f"closes[{i}].price")))
    return tuple(out)
