"""An OCF package as a charter-oracle cap table: read, verify, replay, map, validate.

The cap table is built as the plain data a TOML cap table parses into and handed to
``build_cap_table``, so an OCF package meets exactly the checks a TOML file meets
(designated and authorized counts, issue dates before ``as_of``...). What it holds:

* ``as_of``: the manifest's ``as_of``, or the date asked for (never later: the package
  knows nothing after its own date);
* holdings: each stakeholder's open stock positions per charter class, stakeholders in
  package order, classes in charter order (outputs list holders in that order);
* options: options, RSUs (exercise price 0), stock-settled SARs (their base price) and
  warrants, per holder and price, in issuance order;
* conversion prices: a series' latest conversion-ratio adjustment, its
  ``conversion_price`` or, without one, the charter's conversion value over the ratio;
* issue dates: each series' first stock issuance (the start of a participation cap's
  interest leg).

OCF has no declared-but-unpaid dividends: a package gives none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.oracle.cap_table import CapTable, build_cap_table
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import CapTableError, InputError
from charter_oracle.oracle.ocf.mapping import holder_names, map_classes, require_mapped
from charter_oracle.oracle.ocf.models import StockClass, Stakeholder, stakeholder, stock_class
from charter_oracle.oracle.ocf.package import Package, read_package
from charter_oracle.oracle.ocf.replay import Replayed, replay
from charter_oracle.oracle.ocf.transactions import Transaction, transaction


@dataclass(frozen=True)
class Contents:
    """A package's stock classes, stakeholders and transactions, typed (no charter needed)."""

    where: str
    as_of: dt.date
    issuer: str
    classes: tuple[StockClass, ...]
    stakeholders: tuple[Stakeholder, ...]
    transactions: tuple[Transaction, ...]


@dataclass(frozen=True)
class OcfImport:
    contents: Contents
    as_of: dt.date
    replayed: Replayed
    mapping: tuple[tuple[str, str], ...]  # OCF class id -> charter class id
    table: CapTable


def read_contents(path: str | Path) -> Contents:
    package = read_package(path)
    return contents_of(package)


def contents_of(package: Package) -> Contents:
    where, manifest = package.where, package.manifest
    try:
        as_of = parse_date(manifest.get("as_of"), "as_of")
    except InputError as error:
        raise CapTableError(f"{where}: Manifest.ocf.json: {error}") from None
    issuer = manifest.get("issuer")
    legal = issuer.get("legal_name") if isinstance(issuer, dict) else None
    classes: list[StockClass] = []
    people: list[Stakeholder] = []
    txs: list[Transaction] = []
    for f in package.of_kind("stock_classes_files"):
        classes += [stock_class(item, where, f.path) for item in f.items]
    for f in package.of_kind("stakeholders_files"):
        people += [stakeholder(item, where, f.path) for item in f.items]
    position = 0
    for f in package.of_kind("transactions_files"):
        for item in f.items:
            tx = transaction(item, where, f.path, position)
            position += 1
            if tx is not None:
                txs.append(tx)
    for label, ids in (("stock class", [c.id for c in classes]), ("stakeholder", [p.id for p in people]),
                       ("transaction", [t.id for t in txs])):
        seen: set[str] = set()
        for object_id in ids:
            if object_id in seen:
                raise CapTableError(f"{where}: {label} id {object_id!r} is used twice")
            seen.add(object_id)
    return Contents(where, as_of, legal if isinstance(legal, str) else "", tuple(classes), tuple(people), tuple(txs))


def import_package(path: str | Path, charter: Charter, class_map: Mapping[str, str] | None = None,
                   as_of: dt.date | None = None) -> OcfImport:
    contents = read_contents(path)
    where = contents.where
    if as_of is not None and as_of > contents.as_of:
        raise CapTableError(f"{where}: --date {as_of.isoformat()} is after the package's as_of "
                            f"{contents.as_of.isoformat()} (the package knows nothing later)")
    day = as_of or contents.as_of
    replayed = replay(contents.transactions, {p.id for p in contents.stakeholders}, {c.id for c in contents.classes}, day)
    by_id = {c.id: c for c in contents.classes}
    mapping = map_classes(contents.classes, charter, dict(class_map or {}), where)
    require_mapped(replayed.classes_used, mapping, by_id, charter)
    names = holder_names(contents.stakeholders)
    raw = _raw_table(charter, contents, replayed, mapping, names, day, where)
    table = build_cap_table(raw, charter, where)
    return OcfImport(contents, day, replayed, tuple(mapping.items()), table)


def _raw_table(charter: Charter, contents: Contents, replayed: Replayed, mapping: Mapping[str, str],
               names: Mapping[str, str], day: dt.date, where: str) -> dict[str, Any]:
    order = {cid: i for i, cid in enumerate(charter.class_ids)}
    shares: dict[str, dict[str, int]] = {p.id: {} for p in contents.stakeholders}
    for position in replayed.stock:
        row = shares[position.stakeholder_id]
        target = mapping[position.class_id]
        row[target] = row.get(target, 0) + position.shares
    holdings = [{"holder": names[sid], "class": cid, "shares": n}
                for sid, row in shares.items() for cid, n in sorted(row.items(), key=lambda kv: order[kv[0]]) if n]
    if not holdings:
        raise CapTableError(f"{where}: no stock is outstanding on {day.isoformat()}")
    grants: dict[tuple[str, Fraction], int] = {}
    for option in replayed.options:
        if option.class_id is not None and mapping.get(option.class_id, charter.common.id) != charter.common.id:
            raise CapTableError(f"{option.where}: exercises into {mapping[option.class_id]}, not common: charter-oracle "
                                "counts options and warrants for common only")
        key = (names[option.stakeholder_id], option.price)
        grants[key] = grants.get(key, 0) + option.shares
    options = [{"holder": h, "shares": n, "exercise_price": p} for (h, p), n in grants.items()]
    series = {s.id: s for s in charter.series}
    prices: dict[str, Fraction] = {}
    for class_id, mechanism in replayed.conversion:
        target = mapping.get(class_id)
        if target not in series:
            continue  # an adjustment of a class the charter does not have as a series: nothing converts by it
        if mechanism.price is not None:
            prices[target] = mechanism.price
        else:
            assert mechanism.ratio is not None
            prices[target] = series[target].conversion.value / mechanism.ratio
    dates: dict[str, dt.date] = {}
    for class_id, first in replayed.first_issue:
        target = mapping.get(class_id)
        if target in series and (target not in dates or first < dates[target]):
            dates[target] = first
    return {"as_of": day, "holdings": holdings, "options": options, "conversion_prices": prices,
            "issue_dates": dates}


def load_ocf_cap_table(path: str | Path, charter: Charter, class_map: Mapping[str, str] | None = None,
                       as_of: dt.date | None = None) -> CapTable:
    return import_package(path, charter, class_map, as_of).table
