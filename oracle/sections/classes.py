"""``[common]``, ``[preferred]`` and ``[[series]]`` (with each series' liquidation, participation,
conversion, dilution and dividend tables)."""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.oracle.charter import (
    CommonTerms,
    ConversionRight,
    DilutionProtection,
    DividendPreference,
    Liquidation,
    Participation,
    Series,
)
from charter_oracle.oracle.sections.pay_to_play import read_pay_to_play
from charter_oracle.oracle.sections.redemption import read_redemption
from charter_oracle.oracle.strict_table import StrictTable


def read_common(t: StrictTable) -> CommonTerms:
    common = CommonTerms(id=t.string("id"), name=t.string("name"), authorized=t.shares("authorized"),
                         par=t.exact("par"), cite=t.cite)
    t.close()
    return common


def read_preferred(t: StrictTable | None, default_cite: str) -> tuple[int, str]:
    """All preferred authorized (designated or not) and its cite; none without series."""
    if t is None:
        return 0, default_cite
    authorized, cite = t.shares("authorized"), t.cite
    t.close()
    return authorized, cite


def read_participation(t: StrictTable, preference: Fraction | None = None) -> Participation:
    kind = t.string("kind", choices=("none", "full", "capped"))
    cap = t.exact("cap_per_share", required=False)
    rate = t.exact("interest_rate", required=False)
    principal = t.exact("interest_principal", required=False)
    day_count = t.positive_whole("day_count")
    day_count = 365 if day_count is None else day_count
    includes = t.boolean("cap_includes_preference", False)
    interest_start = t.string("interest_start", required=False, choices=("series-first-issue",))
    if kind == "capped" and cap is None and rate is None:
        raise t.fail("cap_per_share", "a capped participation needs cap_per_share or interest_rate")
    if kind != "capped" and (cap is not None or rate is not None):
        raise t.fail("kind", f"{kind!r} participation takes no cap")
    if (rate is None) != (principal is None):
        raise t.fail("interest_rate", "interest_rate and interest_principal go together")
    if cap is not None and includes and preference is not None and cap < preference:
        raise t.fail("cap_per_share", f"a cap of {cap} including the preference is below the preference {preference}")
    t.close()
    return Participation(
        kind=kind, cite=t.cite, cap_per_share=cap, cap_includes_preference=includes,
        interest_rate=rate, interest_principal=principal, day_count=day_count,
        interest_start=interest_start or "series-first-issue",
    )


def read_series(t: StrictTable, common_id: str) -> Series:
    series_id = t.string("id")
    if series_id == common_id:
        raise t.fail("id", f"{series_id!r} is the common class id")
    liq = t.table("liquidation")
    liquidation = Liquidation(preference=liq.exact("preference"), rank=liq.shares("rank"), cite=liq.cite)
    liq.close()
    participation = read_participation(t.table("participation"), liquidation.preference)
    conv = t.table("conversion")
    conversion = ConversionRight(
        value=conv.exact("value", positive=True), initial_price=conv.exact("initial_price", positive=True),
        cite=conv.cite,
    )
    conv.close()
    dil = t.table("dilution")
    dilution = DilutionProtection(
        method=dil.string("method", choices=("none", "broad-based-weighted-average")), cite=dil.cite
    )
    dil.close()
    div = t.table("dividend", required=False)
    dividend = None
    if div is not None:
        dividend = DividendPreference(rate=div.exact("rate"), rank=div.shares("rank"), cite=div.cite)
        div.close()
    red, p2p = t.table("redemption", required=False), t.table("pay_to_play", required=False)  # NVCA §6, §4
    oip = t.exact("original_issue_price", positive=True)
    series = Series(
        id=series_id, name=t.string("name"), designated=t.shares("designated"),
        original_issue_price=t.exact("original_issue_price", positive=True), cite=t.cite,
        liquidation=liquidation, participation=participation, conversion=conversion,
        dilution=dilution, dividend=dividend,
        redemption=read_redemption(red, oip) if red is not None else None,
        pay_to_play=read_pay_to_play(p2p) if p2p is not None else None,
    )
    t.close()
    return series
