"""A charter file skeleton from an OCF package: what OCF says, and TODO entries for what it cannot.

OCF says, per stock class: its name, common or preferred, authorized shares, par value, issue
price, liquidation preference multiple, seniority (higher paid first: ranks here, 1
paid first), participation cap multiple (read as the cap on the total per share, the
preference included, over the issue price: ``cap_includes_preference = true``), the
conversion mechanism (initial conversion price) and votes per share. It cannot say
participation without a cap (OCF has no participation flag), dividends, anti-dilution,
consents, automatic conversion, deemed liquidation, the voting rounding, nor any clause
cite: each is a ``key = "TODO: ..."`` line, which the loader refuses
(``oracle/todo_entries.py``) until it is replaced or deleted. TODO texts hold no double
quote, so each is one TOML string on one line.
"""

from __future__ import annotations

import re
from fractions import Fraction

from charter_oracle.oracle.cap_table import toml_string as _quote
from charter_oracle.oracle.errors import CapTableError
from charter_oracle.oracle.exact import format_exact
from charter_oracle.oracle.ocf.importer import Contents
from charter_oracle.oracle.ocf.models import StockClass

CITE = "TODO: the clause of the certificate"


def _todo(what: str) -> str:
    return _quote(f"TODO: {what}")


def _slug(text: str, sep: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", sep, text.casefold()).strip(sep)
    return slug


def _ids(classes: list[StockClass]) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in classes:
        base = _slug(c.name, "_") or "class"
        candidate, n = base, 2
        while candidate in out.values():
            candidate, n = f"{base}_{n}", n + 1
        out[c.id] = candidate
    return out


def _x(value: Fraction) -> str:
    return _quote(format_exact(value))


def skeleton(contents: Contents, source: str) -> str:
    commons = [c for c in contents.classes if c.class_type == "COMMON"]
    if len(commons) != 1:
        names = ", ".join(repr(c.name) for c in commons) or "none"
        raise CapTableError(f"{contents.where}: the package has {len(commons)} COMMON stock classes ({names}); a charter "
                            "file has exactly one common class")
    common = commons[0]
    preferred = [c for c in contents.classes if c.class_type == "PREFERRED"]
    ids = _ids([common, *preferred])
    charter_id = (_slug(contents.issuer, "-") or "charter")[:64].strip("-") or "charter"
    if charter_id == "index":
        charter_id = "index-charter"
    lines = [
        f"# Charter skeleton written by `charter-oracle init --from-ocf` from {source}.",
        "# What the OCF package says is filled in; what OCF cannot say is a TODO entry. The charter does",
        "# not load until every TODO is replaced by the certificate's terms (see docs/charter-format.md)",
        "# or deleted where the certificate has no such clause.",
        "format = 1",
        f"id = {_quote(charter_id)}",
        f"name = {_quote(contents.issuer or charter_id)}",
        f"date = {_todo('the date of the certificate, YYYY-MM-DD')}",
        f"source = {_todo('the certificate this file encodes')}",
        f"dilution = {_todo('the charter-wide anti-dilution rules as a [dilution] table (needed when a series has a weighted-average adjustment), or delete')}",
        f"consents = {_todo('protective provisions and supermajorities as [[consents]], or delete')}",
        "",
        "[common]",
        f"id = {_quote(ids[common.id])}",
        f"name = {_quote(common.name)}",
        f"authorized = {common.authorized if common.authorized is not None else _todo('authorized common shares')}",
        f"par = {_x(common.par_value) if common.par_value is not None else _todo('par value per share')}",
        f"cite = {_quote(CITE)}",
        "",
    ]
    if preferred:
        total = sum(c.authorized for c in preferred if c.authorized is not None)
        known = all(c.authorized is not None for c in preferred)
        lines += ["[preferred]",
                  f"authorized = {total if known else _todo('all authorized preferred, designated or not')}",
                  f"cite = {_quote(CITE)}", ""]
    ranks = _ranks(preferred)
    for c in preferred:
        lines += _series(c, ids[c.id], ranks.get(c.id))
    as_converted = preferred and all(_as_converted_votes(c) for c in preferred)
    lines += [
        "[liquidation]", f"cite = {_quote(CITE)}", f"shortfall_cite = {_quote(CITE)}",
        f"residual_cite = {_quote(CITE)}",
        f"deemed = {_todo('deemed liquidation events as [[liquidation.deemed]], or delete')}", "",
        "[conversion]", f"cite = {_quote(CITE)}", f"cash_in_lieu_cite = {_quote(CITE)}",
        f"retire_converted = {_todo('true or false: converted preferred is retired')}",
        f"retire_cite = {_quote(CITE)}", f"reservation_cite = {_quote(CITE)}",
        f"automatic_offering = {_todo('automatic conversion on an offering as [conversion.automatic_offering], or delete')}",
        f"automatic_consent = {_todo('automatic conversion by consent as [conversion.automatic_consent], or delete')}",
        "",
        "[voting]", f"cite = {_quote(CITE)}",
        "preferred_as_converted = " + ("true" if as_converted else _todo('true or false: preferred votes as converted')),
        f"aggregate = {_todo('holder, series or share: where fractional votes are rounded')}",
        f"tie = {_todo('half-up or half-even')}", "",
        "[dividends]", f"cite = {_quote(CITE)}",
        f"common_after_full_preferred = {_todo('true or false')}", "",
    ]
    return "\n".join(lines)


def _ranks(preferred: list[StockClass]) -> dict[str, int]:
    """OCF seniority (higher paid first) as ranks (1 paid first); equal seniorities share a rank."""
    levels = sorted({c.seniority for c in preferred if c.seniority is not None}, reverse=True)
    return {c.id: levels.index(c.seniority) + 1 for c in preferred if c.seniority is not None}


def _conversion_price(c: StockClass) -> Fraction | None:
    if c.conversion is None or c.price_per_share is None:
        return c.conversion.price if c.conversion is not None else None
    if c.conversion.price is not None:
        return c.conversion.price
    return c.price_per_share / c.conversion.ratio if c.conversion.ratio else None


def _as_converted_votes(c: StockClass) -> bool:
    price = _conversion_price(c)
    if c.votes_per_share is None or c.price_per_share is None or not price:
        return False
    return c.votes_per_share == c.price_per_share / price


def _series(c: StockClass, series_id: str, rank: int | None) -> list[str]:
    price = c.price_per_share
    preference = price * c.liquidation_preference_multiple if price is not None and \
        c.liquidation_preference_multiple is not None else None
    rank_text = str(rank) if rank is not None else _todo('1 is paid first')
    liquidation = ("{ preference = " + (_x(preference) if preference is not None else
                                        _todo('preference per share')) + f", rank = {rank_text}, cite = {_quote(CITE)} }}")
    if c.participation_cap_multiple is not None and price is not None:
        participation = (f"{{ kind = \"capped\", cap_per_share = {_x(price * c.participation_cap_multiple)}, "
                         f"cap_includes_preference = true, cite = {_quote(CITE)} }}")
    else:
        participation = _todo("participation: { kind = 'none' | 'full' | 'capped', ... } (OCF has no participation "
                              "flag)")
    conversion_price = _conversion_price(c)
    if price is not None and conversion_price is not None:
        conversion = f"{{ value = {_x(price)}, initial_price = {_x(conversion_price)}, cite = {_quote(CITE)} }}"
    else:
        conversion = _todo("conversion: { value, initial_price, cite }")
    return [
        "[[series]]",
        f"id = {_quote(series_id)}",
        f"name = {_quote(c.name)}",
        f"designated = {c.authorized if c.authorized is not None else _todo('designated shares')}",
        f"original_issue_price = {_x(price) if price is not None else _todo('original issue price per share')}",
        f"cite = {_quote(CITE)}",
        f"liquidation = {liquidation}",
        f"participation = {participation}",
        f"conversion = {conversion}",
        f"dilution = {_todo('anti-dilution: { method = none | broad-based-weighted-average, cite }')}",
        f"dividend = {_todo('dividend preference { rate, rank, cite }, or delete')}",
        "",
    ]
