"""Pay-to-play in a financing (NVCA 2020 §4, an optional provision): who converts, and the cap table after.

A financing is an event of an events file (``[[events]]`` with ``kind = "financing"``, documented in
docs/charter-format.md): its date, the class sold (``class``), the price, whether it is a qualified
financing (``qualified``), the shares offered to the holders of the pay-to-play series (``offered``)
and each buyer's purchase (``[[events.purchases]]``). ``apply_financings`` applies them in order:

* in a qualified financing, each holder of a series with ``pay_to_play`` whose purchase is less
  than its pro rata amount (``offered`` times its fraction of the series, or of all preferred,
  counted in shares) has all its shares of the series converted: into common at the conversion
  rate in effect, whole shares (the fraction is reported, paid in cash in lieu under the charter's
  conversion clause), or share for share into the named shadow series;
* a holder who buys at least its pro rata amount keeps its shares; holders of other series are
  untouched; the purchases are then added to the cap table as holdings of the class sold;
* the cap table after is checked like any cap table (authorized and designated counts).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.oracle.as_converted import as_converted
from charter_oracle.oracle.cap_table import CapTable, build_cap_table, cap_table_to_toml
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import EventsError, InputError
from charter_oracle.oracle.exact import parse_amount, parse_shares
from charter_oracle.oracle.input_files import read_toml_file

_FIELDS = {"kind", "date", "class", "price", "qualified", "offered", "purchases"}


@dataclass(frozen=True)
class Financing:
    date: dt.date
    class_id: str
    price: Fraction
    qualified: bool
    offered: int  # shares offered to the pay-to-play series' holders, pro rata
    purchases: tuple[tuple[str, int], ...]  # holder -> shares bought, file order

    def bought(self, holder: str) -> int:
        return dict(self.purchases).get(holder, 0)


@dataclass(frozen=True)
class PayToPlayConversion:
    holder: str
    series_id: str
    shares: int  # all of the holder's shares of the series
    pro_rata: Fraction  # what it had to buy
    bought: int
    into: str
    new_shares: int
    fraction: Fraction  # of a common share, dropped (cash in lieu); 0 into a shadow series
    cite: str


@dataclass(frozen=True)
class FinancingOutcome:
    financing: Financing
    conversions: tuple[PayToPlayConversion, ...]
    table: CapTable  # after this financing


def parse_financings(raw: Mapping[str, Any], where: str, charter: Charter) -> tuple[Financing, ...]:
    if set(raw) - {"events"}:
        raise EventsError(f"{where}: unknown key {sorted(set(raw) - {'events'})[0]!r} (expected [[events]])")
    rows = raw.get("events")
    if not isinstance(rows, list) or not rows:
        raise EventsError(f"{where}: no [[events]]")
    out: list[Financing] = []
    try:
        for i, row in enumerate(rows):
            at = f"{where}: events[{i}]"
            if not isinstance(row, dict) or row.get("kind") != "financing":
                raise EventsError(f"{at}.kind: pay-to-play reads financing events only (kind = \"financing\")")
            extra = set(row) - _FIELDS
            if extra:
                raise EventsError(f"{at}: {sorted(extra)[0]!r} is not a field of a financing event")
            for key in ("date", "class", "price", "qualified", "offered"):
                if key not in row:
                    raise EventsError(f"{at}.{key}: missing")
            class_id = row["class"]
            if class_id not in charter.class_ids:
                raise EventsError(f"{at}.class: {class_id!r} is not a class of {charter.id} "
                                  f"(classes: {', '.join(charter.class_ids)})")
            if not isinstance(row["qualified"], bool):
                raise EventsError(f"{at}.qualified: expected true or false, got {row['qualified']!r}")
            purchases: dict[str, int] = {}
            rows_bought = row.get("purchases", [])
            if not isinstance(rows_bought, list):
                raise EventsError(f"{at}.purchases: expected [[events.purchases]] tables")
            for j, p in enumerate(rows_bought):
                pat = f"{at}.purchases[{j}]"
                if not isinstance(p, dict) or set(p) != {"holder", "shares"}:
                    raise EventsError(f"{pat}: expected exactly holder and shares, got {p!r}")
                if not isinstance(p["holder"], str) or not p["holder"].strip():
                    raise EventsError(f"{pat}.holder: expected a name, got {p['holder']!r}")
                if p["holder"] in purchases:
                    raise EventsError(f"{pat}.holder: {p['holder']!r} is listed twice")
                shares = parse_shares(p["shares"], f"{pat}.shares")
                if shares == 0:
                    raise EventsError(f"{pat}.shares: a purchase is at least one share")
                purchases[p["holder"]] = shares
            date = parse_date(row["date"], f"{at}.date")
            if out and date < out[-1].date:
                raise EventsError(f"{at}.date: {date} is before the previous event's {out[-1].date}")
            out.append(Financing(date, class_id, parse_amount(row["price"], f"{at}.price"), row["qualified"],
                                 parse_shares(row["offered"], f"{at}.offered"), tuple(purchases.items())))
    except InputError as error:
        raise EventsError(str(error)) from None
    return tuple(out)


def load_financings(path: str | Path, charter: Charter) -> tuple[Financing, ...]:
    return parse_financings(read_toml_file(path, "events file"), str(path), charter)


def pro_rata_amount(charter: Charter, table: CapTable, series_id: str, holder: str, offered: int) -> Fraction:
    """The holder's pro rata amount of the offered shares (``PayToPlayTerms.basis``), exact."""
    terms = charter.series_by_id(series_id).pay_to_play
    assert terms is not None
    classes = [series_id] if terms.basis == "series" else [s.id for s in charter.series]
    held = sum(table.holder_shares(holder, c) for c in classes)
    total = sum(table.shares_of(c) for c in classes)
    return Fraction(offered * held, total) if total else Fraction(0)


def non_buyers(charter: Charter, table: CapTable, financing: Financing) -> tuple[PayToPlayConversion, ...]:
    """Every holder of a pay-to-play series that bought less than its pro rata amount, converting."""
    if not financing.qualified:
        return ()
    out = []
    for series in charter.series:
        terms = series.pay_to_play
        if terms is None:
            continue
        for holder in table.holders:
            shares = table.holder_shares(holder, series.id)
            if not shares:
                continue
            owed = pro_rata_amount(charter, table, series.id, holder, financing.offered)
            bought = financing.bought(holder)
            if bought >= owed:
                continue
            if terms.converts_to == charter.common.id:
                exact = as_converted(series, shares, table.conversion_price(charter, series.id))
                new, fraction = math.floor(exact), exact - math.floor(exact)
            else:
                new, fraction = shares, Fraction(0)
            out.append(PayToPlayConversion(holder, series.id, shares, owed, bought, terms.converts_to, new, fraction,
                                           terms.cite))
    return tuple(out)


def apply_financing(charter: Charter, table: CapTable, financing: Financing, where: str) -> FinancingOutcome:
    if financing.date < table.as_of:
        raise EventsError(f"{where}: the financing on {financing.date} is before the cap table's as_of {table.as_of}")
    conversions = non_buyers(charter, table, financing)
    gone = {(c.holder, c.series_id) for c in conversions}
    rows: list[dict[str, Any]] = [{"holder": h.holder, "class": h.class_id, "shares": h.shares}
                                  for h in table.holdings if (h.holder, h.class_id) not in gone]
    rows += [{"holder": c.holder, "class": c.into, "shares": c.new_shares} for c in conversions if c.new_shares]
    rows += [{"holder": holder, "class": financing.class_id, "shares": n} for holder, n in financing.purchases]
    after = dataclasses.replace(table, as_of=financing.date, holdings=())  # options, warrants, prices, dates kept
    raw = tomllib.loads(cap_table_to_toml(after))
    raw["holdings"] = rows
    # Checked like any cap table: the financing must fit the authorized and designated shares.
    return FinancingOutcome(financing, conversions, build_cap_table(raw, charter, f"{where}: the cap table after it"))


def apply_financings(charter: Charter, table: CapTable, financings: tuple[Financing, ...]) -> tuple[FinancingOutcome, ...]:
    outcomes = []
    for i, financing in enumerate(financings):
        outcome = apply_financing(charter, table, financing, f"events[{i}]")
        outcomes.append(outcome)
        table = outcome.table
    return tuple(outcomes)
