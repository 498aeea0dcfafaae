"""``[dilution]``: the charter-wide weighted-average anti-dilution rules."""

from __future__ import annotations

from charter_oracle.oracle.charter import EXEMPTED_CATEGORIES, DilutionTerms
from charter_oracle.oracle.strict_table import StrictTable


def read_dilution(t: StrictTable, series_ids: set[str]) -> DilutionTerms:
    options_in_base = t.string("options_in_base")
    if options_in_base != "all":
        prefix = "below-price-of:"
        if not options_in_base.startswith(prefix) or options_in_base[len(prefix):] not in series_ids:
            raise t.fail("options_in_base", f"expected 'all' or 'below-price-of:<series id>', got {options_in_base!r}")
    exempted = t.strings("exempted", required=False) if "exempted" in t.data else None
    for category in exempted or ():
        if category not in ("employee", "other", *EXEMPTED_CATEGORIES):
            raise t.fail("exempted", f"{category!r} is not a category ({', '.join(('employee', 'other', *EXEMPTED_CATEGORIES))})")
    terms = DilutionTerms(
        cite=t.cite,
        start_date=t.date("start_date", required=False),
        # "net" (the name of interpretation infinity.consideration's alternative) is "net-of-commissions"
        consideration={"net": "net-of-commissions"}.get(c := t.string("consideration", choices=("gross", "net", "net-of-commissions")), c),
        consideration_cite=t.string("consideration_cite"),
        below_cite=t.string("below_cite"),
        options_in_base=options_in_base,
        base_cite=t.string("base_cite"),
        price_unit=t.unit_or_exact("price_unit"),
        price_tie=t.string("price_tie", required=False, choices=("half-up", "half-even")) or "half-up",
        carry_forward_below=t.exact("carry_forward_below", required=False, positive=True),
        carry_forward=t.string("carry_forward", required=False, choices=("exact-cumulative", "per-adjustment"))
        or "exact-cumulative",
        rounding_cite=t.string("rounding_cite", required=False) or t.cite,
        option_expiry=t.string("option_expiry", choices=("readjust", "readjust-if-adjusted", "none")),
        reprice_ceiling=t.boolean("reprice_ceiling", False),
        minimum_change_test=t.string("minimum_change_test", required=False, choices=("exact-change", "rounded-price"))
        or "exact-change",
        rounding_remainder=t.string("rounding_remainder", required=False, choices=("carried", "dropped")) or "carried",
        option_expiry_cite=t.string("option_expiry_cite"),
        employee_cap=t.shares("employee_cap", required=False),
        employee_cap_used=t.shares("employee_cap_used", required=False) or 0,
        excluded_cite=t.string("excluded_cite"),
        split_cite=t.string("split_cite"),
        exempted=exempted,
    )
    t.close()
    return terms
