"""``[conversion]``: the conversion mechanics and the two automatic-conversion triggers."""

from __future__ import annotations

from charter_oracle.oracle.charter import ConsentTrigger, ConversionTerms, OfferingTrigger
from charter_oracle.oracle.sections.thresholds import COMPARES, read_threshold
from charter_oracle.oracle.strict_table import StrictTable


def _offering(o: StrictTable) -> OfferingTrigger:
    offering = OfferingTrigger(
        cite=o.cite, min_price=o.exact("min_price"), price_compare=o.string("price_compare", choices=COMPARES),
        min_amount=o.exact("min_amount"), amount_compare=o.string("amount_compare", choices=COMPARES),
        amount_basis=o.string("amount_basis", choices=("gross", "net")),
        firm_commitment_required=o.boolean("firm_commitment_required", False),
        excluded_registrations=o.strings("excluded_registrations", required=False),
        price_split_adjusted=o.boolean("price_split_adjusted", False),
    )
    o.close()
    return offering


def _consent(c: StrictTable, class_ids: set[str], nested: bool = False) -> ConsentTrigger:
    classes = c.nonempty_strings("classes")
    for cls in classes:
        if cls not in class_ids:
            raise c.fail("classes", f"unknown class {cls!r}")
    # [[conversion.automatic_consent.also]]: further groups that must consent at the same time.
    also = () if nested else tuple(_consent(a, class_ids, nested=True) for a in c.tables("also"))
    consent = ConsentTrigger(
        cite=c.cite, classes=classes, basis=c.string("basis", choices=("shares", "as-converted")),
        threshold=read_threshold(c, c.cite), also=also,
    )
    c.close()
    return consent


def read_conversion(t: StrictTable, class_ids: set[str]) -> ConversionTerms:
    o = t.table("automatic_offering", required=False)
    offering = _offering(o) if o is not None else None
    c = t.table("automatic_consent", required=False)
    consent = _consent(c, class_ids) if c is not None else None
    terms = ConversionTerms(
        cite=t.cite,
        share_rounding=t.exact("share_rounding", required=False, positive=True),
        share_rounding_cite=t.string("share_rounding_cite", required=False) or t.cite,
        cash_in_lieu_cite=t.string("cash_in_lieu_cite"),
        retire_converted=t.boolean("retire_converted", True),
        retire_cite=t.string("retire_cite"),
        reservation_cite=t.string("reservation_cite"),
        automatic_offering=offering,
        automatic_consent=consent,
        retire_from_authorized=t.boolean("retire_from_authorized", False),
        cash_unit=t.exact("cash_unit", required=False, positive=True),
        cash_unit_cite=t.string("cash_unit_cite", required=False) or "",
        pays_declared_dividends=t.boolean("pays_declared_dividends", False),
        declared_dividends_cite=t.string("declared_dividends_cite", required=False) or "",
    )
    t.close()
    return terms
