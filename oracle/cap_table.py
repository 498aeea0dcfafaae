"""Cap tables: who holds how many shares of which class, and the state the charter needs.

The file format (TOML, documented in docs/charter-format.md): ``as_of``,
``[[holdings]]``, optional ``[[options]]``, ``[conversion_prices]``,
``[declared_unpaid_dividends]`` (per share) and ``[issue_dates]``. A cap table
is checked against its charter: unknown classes, fractional or negative shares
and holdings beyond the authorized or designated counts are refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import read_toml
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import CapTableError, InputError
from charter_oracle.oracle.exact import format_exact, parse_amount, parse_shares
from charter_oracle.oracle.naming import did_you_mean
from charter_oracle.oracle.warrants import Warrant, parse_vested, parse_warrants


@dataclass(frozen=True)
class Holding:
    holder: str
    class_id: str
    shares: int


@dataclass(frozen=True)
class OptionGrant:
    """Outstanding options or warrants for common (not capital stock: they take no liquidation share)."""

    holder: str
    shares: int
    exercise_price: Fraction
    vested: int | None = None  # exercisable now (oracle/warrants.py); None: all


@dataclass(frozen=True)
class CapTable:
    as_of: dt.date
    holdings: tuple[Holding, ...]
    options: tuple[OptionGrant, ...] = ()
    conversion_prices: tuple[tuple[str, Fraction], ...] = ()
    declared_unpaid_dividends: tuple[tuple[str, Fraction], ...] = ()
    issue_dates: tuple[tuple[str, dt.date], ...] = ()
    warrants: tuple[Warrant, ...] = ()  # oracle/warrants.py

    # Indexes built once per (immutable) table, so that 100,000 holders stay linear.
    @cached_property
    def _class_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for h in self.holdings:
            totals[h.class_id] = totals.get(h.class_id, 0) + h.shares
        return totals

    @cached_property
    def _by_holder(self) -> dict[str, dict[str, int]]:
        index: dict[str, dict[str, int]] = {}
        for h in self.holdings:
            row = index.setdefault(h.holder, {})
            row[h.class_id] = row.get(h.class_id, 0) + h.shares
        return index

    def shares_of(self, class_id: str) -> int:
        return self._class_totals.get(class_id, 0)

    @property
    def holders(self) -> tuple[str, ...]:
        """Holder names in first-appearance order (deterministic outputs follow it)."""
        return tuple(self._by_holder)

    def holder_shares(self, holder: str, class_id: str) -> int:
        return self._by_holder.get(holder, {}).get(class_id, 0)

    def conversion_price(self, charter: Charter, series_id: str) -> Fraction:
        """The price in effect: the cap table's override, else the charter's initial price."""
        prices = dict(self.conversion_prices)
        return prices.get(series_id, charter.series_by_id(series_id).conversion.initial_price)

    def dividend_per_share(self, class_id: str) -> Fraction:
        return dict(self.declared_unpaid_dividends).get(class_id, Fraction(0))

    def issue_date(self, class_id: str) -> dt.date | None:
        return dict(self.issue_dates).get(class_id)

    @property
    def option_shares(self) -> int:
        return sum(o.shares for o in self.options)


def split_among_holders(table: CapTable, class_totals: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Split each class total among its holders by shares (equal treatment within a class).

    Per-share amounts are put over one common denominator so that each holder's
    sum is integer arithmetic with a single Fraction at the end: exact, and
    linear in the number of holders.
    """
    per_share = {}
    for class_id, amount in class_totals.items():
        outstanding = table.shares_of(class_id)
        per_share[class_id] = amount / outstanding if outstanding else Fraction(0)
    denominator = math.lcm(*(p.denominator for p in per_share.values()))
    scaled = {cid: p.numerator * (denominator // p.denominator) for cid, p in per_share.items()}
    numerators = {holder: 0 for holder in table.holders}
    for holding in table.holdings:
        numerators[holding.holder] += holding.shares * scaled.get(holding.class_id, 0)
    return {holder: Fraction(n, denominator) for holder, n in numerators.items()}


def _date(value: Any, what: str) -> dt.date:
    try:
        return parse_date(value, what)
    except InputError as error:
        raise CapTableError(str(error)) from None


def _table(raw: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise CapTableError(f"{where}: [{key}] must be a table of class = value, got {value!r}")
    return value


def build_cap_table(raw: Mapping[str, Any], charter: Charter, where: str) -> CapTable:
    """Validate a parsed cap-table file against its charter."""
    known = {"as_of", "holdings", "options", "conversion_prices", "declared_unpaid_dividends", "issue_dates", "warrants"}
    for key in raw:
        if key not in known:
            raise CapTableError(f"{where}: unknown key {key!r} (expected one of {', '.join(sorted(known))})")
    if "as_of" not in raw:
        raise CapTableError(f"{where}: as_of is missing (the date of the exit, vote or event)")
    as_of = _date(raw["as_of"], f"{where}: as_of")
    rows = raw.get("holdings", [])
    if not isinstance(rows, list) or not rows:
        raise CapTableError(f"{where}: the cap table has no [[holdings]]")
    classes = set(charter.class_ids)
    holdings = []
    try:
        for i, row in enumerate(rows):
            at = f"{where}: holdings[{i}]"
            if not isinstance(row, dict) or set(row) != {"holder", "class", "shares"}:
                raise CapTableError(f"{at}: expected exactly holder, class and shares, got {row!r}")
            holder, class_id = row["holder"], row["class"]
            if not isinstance(holder, str) or not holder.strip():
                raise CapTableError(f"{at}.holder: expected a name, got {holder!r}")
            if not isinstance(class_id, str):
                raise CapTableError(f"{at}.class: expected a class id (a string), got {class_id!r}")
            if class_id not in classes:
                raise CapTableError(
                    f"{at}.class: {class_id!r} is not a class of {charter.id}{did_you_mean(class_id, classes)} "
                    f"(classes: {', '.join(sorted(classes))})"
                )
            holdings.append(Holding(holder, class_id, parse_shares(row["shares"], f"{at}.shares")))
        options = []
        option_rows = raw.get("options", [])
        if not isinstance(option_rows, list):
            raise CapTableError(f"{where}: options must be an array of tables ([[options]])")
        for i, row in enumerate(option_rows):
            at = f"{where}: options[{i}]"
            if not isinstance(row, dict) or set(row) - {"vested"} != {"holder", "shares", "exercise_price"}:
                raise CapTableError(f"{at}: expected holder, shares, exercise_price and optionally vested, got {row!r}")
            if not isinstance(row["holder"], str) or not row["holder"].strip():
                raise CapTableError(f"{at}.holder: expected a name, got {row['holder']!r}")
            shares = parse_shares(row["shares"], f"{at}.shares")
            options.append(OptionGrant(
                row["holder"], shares, parse_amount(row["exercise_price"], f"{at}.exercise_price"),
                parse_vested(row, shares, at),
            ))
        series_ids = {s.id for s in charter.series}

        def per_class(key: str, parse: Any, allowed: set[str]) -> tuple[tuple[str, Any], ...]:
            out = []
            for class_id, value in sorted(_table(raw, key, where).items()):
                if class_id not in allowed:
                    raise CapTableError(f"{where}: [{key}] {class_id!r} is not a {'series' if allowed == series_ids else 'class'} of {charter.id}")
                out.append((class_id, parse(value, f"{where}: {key}.{class_id}")))
            return tuple(out)

        prices = per_class("conversion_prices", parse_amount, series_ids)
        for series_id, price in prices:
            if price == 0:
                raise CapTableError(f"{where}: conversion_prices.{series_id} must be positive")
        dividends = per_class("declared_unpaid_dividends", parse_amount, series_ids)
        dates = per_class("issue_dates", _date, series_ids)
        warrants = parse_warrants(raw, charter.class_ids, where)
    except InputError as error:
        raise CapTableError(str(error)) from None

    table = CapTable(as_of, tuple(holdings), tuple(options), prices, dividends, dates, warrants)
    common_out = table.shares_of(charter.common.id)
    if common_out > charter.common.authorized:
        raise CapTableError(
            f"{where}: {common_out} common shares outstanding exceed the {charter.common.authorized} authorized "
            f"({charter.common.cite})"
        )
    for series in charter.series:
        out = table.shares_of(series.id)
        if out > series.designated:
            raise CapTableError(
                f"{where}: {out} shares of {series.id} exceed the {series.designated} designated ({series.cite})"
            )
        needs_date = series.participation.interest_rate is not None
        if needs_date and out and table.issue_date(series.id) is None:
            raise CapTableError(
                f"{where}: [issue_dates] {series.id} is needed: its participation cap accrues interest from the "
                f"series' first issue ({series.participation.cite})"
            )
        cumulative = series.dividend is not None and series.dividend.cumulative
        if cumulative and out and table.issue_date(series.id) is None:
            raise CapTableError(
                f"{where}: [issue_dates] {series.id} is needed: its cumulative dividends accrue from issue "
                f"({series.dividend.cite})"
            )
        start = table.issue_date(series.id)
        if start is not None and start > as_of:
            raise CapTableError(f"{where}: issue_dates.{series.id} {start} is after as_of {as_of}")
    return table


def load_cap_table(path: str | Path, charter: Charter) -> CapTable:
    path = Path(path)
    return build_cap_table(read_toml(path, "cap table"), charter, str(path))


def cap_table_to_toml(table: CapTable) -> str:
    """Write a cap table back as a file that ``load_cap_table`` reads (for replayable counterexamples)."""
    lines = [f'as_of = "{table.as_of.isoformat()}"', ""]
    for h in table.holdings:
        lines += ["[[holdings]]", f"holder = {_quote(h.holder)}", f'class = "{h.class_id}"', f"shares = {h.shares}", ""]
    for o in table.options:
        lines += ["[[options]]", f"holder = {_quote(o.holder)}", f"shares = {o.shares}",
                  f'exercise_price = "{format_exact(o.exercise_price)}"']
        lines += ([f"vested = {o.vested}"] if o.vested is not None else []) + [""]
    for w in table.warrants:
        lines += ["[[warrants]]", f"holder = {_quote(w.holder)}", f'class = "{w.class_id}"', f"shares = {w.shares}",
                  f'exercise_price = "{format_exact(w.exercise_price)}"']
        lines += ([f"vested = {w.vested}"] if w.vested is not None else []) + [""]
    for title, pairs in (("conversion_prices", table.conversion_prices),
                         ("declared_unpaid_dividends", table.declared_unpaid_dividends)):
        if pairs:
            lines.append(f"[{title}]")
            lines += [f'{k} = "{format_exact(v)}"' for k, v in pairs]
            lines.append("")
    if table.issue_dates:
        lines.append("[issue_dates]")
        lines += [f'{k} = "{v.isoformat()}"' for k, v in table.issue_dates]
        lines.append("")
    return "\n".join(lines)


def _quote(text: str) -> str:
    """A TOML basic string for any name: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def on_date(table: CapTable, date: dt.date) -> CapTable:
    """The table as of another date (``--date``: cumulative dividends and interest legs accrue to it).

    The table's positions are those at its ``as_of``: a date before it is refused (only an OCF package,
    replayed, can go back in a history), and so is one before a series' issue date.
    """
    if date < table.as_of:
        raise InputError(f"--date {date.isoformat()}: before the cap table's as_of {table.as_of.isoformat()} (a cap "
                         f"table file states positions at its as_of; only an OCF package can be replayed to an earlier date)")
    for series_id, start in table.issue_dates:
        if start > date:
            raise InputError(f"--date {date.isoformat()}: before the issue date {start.isoformat()} of {series_id}")
    return dataclasses.replace(table, as_of=date)


toml_string = _quote  # the public name, for other writers of TOML (the OCF charter skeleton)
