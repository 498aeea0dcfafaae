"""Conversion of a holder's preferred: whole common shares plus cash in lieu of the fraction.

infinity IV.4(g) and nvidia IV.D.3(M): the common issuable on all the shares a
holder converts together is aggregated before the fraction is taken out;
infinity IV.4(h)(i) first takes the total to the nearest 1/100 share. The
converted preferred is retired and leaves the designated count (infinity IV.4(f),
nvidia IV.D.6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.exact import round_by, round_down
from charter_oracle.oracle.naming import unknown_name
from charter_oracle.oracle.reservation import holder_common_exact


@dataclass(frozen=True)
class ConversionResult:
    holder: str
    converted: tuple[tuple[str, int], ...]  # series -> preferred shares converted
    common_exact: Fraction  # after the charter's share rounding, before whole shares
    whole_shares: int
    fraction: Fraction  # paid in cash in lieu
    cash_in_lieu: Fraction  # fraction x fair market value per common share (to the charter's cash unit)
    designated_after: tuple[tuple[str, int], ...]  # designated counts after retirement
    cites: tuple[str, ...]
    # Declared but unpaid dividends on the converted shares, paid in cash where the charter says so
    # (infinity IV.4(a)); 0 where it does not.
    declared_dividends: Fraction = Fraction(0)
    # Authorized preferred after retirement (infinity IV.4(f), nvidia IV.D.6); None: the charter keeps it.
    authorized_preferred_after: int | None = None


def convert_holder(
    charter: Charter, table: CapTable, holder: str, shares: Mapping[str, int] | None = None,
    fair_market_value: Fraction = Fraction(0),
) -> ConversionResult:
    """Convert ``shares`` (default: all the holder's preferred) of one holder, aggregated."""
    if holder not in table.holders:
        raise InputError(unknown_name("holder", holder, "the cap table", table.holders))
    if shares is None:
        shares = {s.id: table.holder_shares(holder, s.id) for s in charter.series}
    for series_id, count in shares.items():
        try:
            charter.series_by_id(series_id)
        except KeyError:
            raise InputError(f"class {series_id!r} is not a convertible series of {charter.id}") from None
        if count < 0 or count > table.holder_shares(holder, series_id):
            raise InputError(f"{holder} holds {table.holder_shares(holder, series_id)} {series_id}, cannot convert {count}")
    prices = {sid: table.conversion_price(charter, sid) for sid in shares}
    exact = holder_common_exact(charter, shares.items(), prices)
    whole = int(round_down(exact))
    fraction = exact - whole
    designated = tuple(
        (s.id, s.designated - (shares.get(s.id, 0) if charter.conversion.retire_converted else 0))
        for s in charter.series
    )
    terms = charter.conversion
    cites = (terms.cite, terms.cash_in_lieu_cite, terms.retire_cite)
    dividends = Fraction(0)
    if terms.pays_declared_dividends:
        dividends = sum((count * table.dividend_per_share(sid) for sid, count in shares.items()), Fraction(0))
        cites += (terms.declared_dividends_cite,)
    cash = fraction * fair_market_value
    if terms.cash_unit is not None:
        cash, dividends = cash_to_unit(charter, cash), cash_to_unit(charter, dividends)
        cites += (terms.cash_unit_cite,)
    authorized = None
    if terms.retire_converted and terms.retire_from_authorized:
        authorized = charter.preferred_authorized - sum(shares.values())
    return ConversionResult(
        holder, tuple(sorted(shares.items())), exact, whole, fraction, cash, designated, cites, dividends, authorized
    )


def cash_to_unit(charter: Charter, amount: Fraction) -> Fraction:
    """Cash paid on conversion to the charter's unit (infinity IV.4(h)(i): the nearest cent); an exact half
    goes the way the charter's cent tie goes (interpretation infinity.cent-tie), else half up."""
    unit = charter.conversion.cash_unit
    if unit is None:
        return amount
    tie = charter.dilution.price_tie if charter.dilution is not None else "half-up"
    return round_by(tie, amount, unit)
