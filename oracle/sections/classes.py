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


def read_participation(t: StrictTable, preference: Fraction | None = None,
                       issue_price: Fraction | None = None) -> Participation:
    kind = t.string("kind", choices=("none", "full", "capped"))
    cap = t.exact("cap_per_share", required=False)
    cap_multiple = t.exact("cap_multiple", required=False, positive=True)
    if cap_multiple is not None:
        # "capped at 3x the original issue price" (NVCA 2020 §2.1 participating alternative).
        if cap is not None:
            raise t.fail("cap_multiple", "give cap_per_share or cap_multiple, not both")
        if issue_price is None:
            raise t.fail("cap_multiple", "a cap multiple needs the series' original_issue_price")
        cap = cap_multiple * issue_price
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


def read_preference(liq: StrictTable, issue_price: Fraction) -> Fraction:
    """``preference`` in dollars per share, or ``multiple`` of the original issue price (1x, 1.5x: NVCA 2020 §2.1)."""
    preference = liq.exact("preference", required=False)
    multiple = liq.exact("multiple", required=False)
    if (preference is None) == (multiple is None):
        raise liq.fail("preference", "give exactly one of preference (dollars per share) or multiple (of the original issue price)")
    return preference if multiple is None else multiple * issue_price


def read_rate(div: StrictTable, issue_price: Fraction) -> tuple[Fraction, Fraction | None]:
    """(dollars per share a year, the rate as a fraction of the issue price or None).

    ``rate`` is dollars per share; ``rate_of_issue_price`` a percentage ("8%") or a fraction ("0.08",
    "2/25") of the original issue price, so that 8% is never read as $0.08.
    """
    dollars = div.exact("rate", required=False)
    text = div.value("rate_of_issue_price", required=False)
    if (dollars is None) == (text is None):
        raise div.fail("rate", "give exactly one of rate (dollars per share) or rate_of_issue_price (\"8%\" or a fraction)")
    if dollars is not None:
        return dollars, None
    percent = isinstance(text, str) and text.strip().endswith("%")
    if percent:
        div.data["rate_of_issue_price"] = text.strip()[:-1].strip()
    fraction = div.exact("rate_of_issue_price")
    if percent:
        fraction /= 100
    if fraction > 1:
        raise div.fail("rate_of_issue_price", f"{text!r} is more than the whole issue price a year (write 8% or 0.08)")
    return fraction * issue_price, fraction


def read_dividend(div: StrictTable, issue_price: Fraction) -> DividendPreference:
    rate, fraction = read_rate(div, issue_price)
    cumulative = div.string("kind", required=False, choices=("non-cumulative", "cumulative")) == "cumulative"
    compounding = div.string("compounding", required=False, choices=("simple", "annual"))
    day_count = div.positive_whole("day_count")  # actual days over a year of this many days
    if day_count is not None and day_count not in (360, 365):
        raise div.fail("day_count", f"expected 365 or 360 (days in a year of accrual), got {day_count}")
    if not cumulative and (compounding or day_count):
        raise div.fail("kind", "compounding and day_count apply only to kind = \"cumulative\"")
    if compounding == "annual" and fraction is None:
        raise div.fail("compounding", "compounding needs the rate as rate_of_issue_price (a fraction of the price)")
    dividend = DividendPreference(
        rate=rate, rank=div.shares("rank"), cite=div.cite, cumulative=cumulative,
        compounding=compounding or "simple", day_count=day_count or 365,
        annual_fraction=fraction,
    )
    div.close()
    return dividend


def read_series(t: StrictTable, common_id: str) -> Series:
    series_id = t.string("id")
    if series_id == common_id:
        raise t.fail("id", f"{series_id!r} is the common class id")
    issue_price = t.exact("original_issue_price", positive=True)
    liq = t.table("liquidation")
    liquidation = Liquidation(preference=read_preference(liq, issue_price), rank=liq.shares("rank"), cite=liq.cite)
    liq.close()
    participation = read_participation(t.table("participation"), liquidation.preference, issue_price)
    conv = t.table("conversion")
    conversion = ConversionRight(
        value=conv.exact("value", positive=True), initial_price=conv.exact("initial_price", positive=True),
        cite=conv.cite,
    )
    conv.close()
    dil = t.table("dilution")
    dilution = DilutionProtection(
        method=dil.string("method", choices=("none", "broad-based-weighted-average", "narrow-based-weighted-average",
                                             "full-ratchet")), cite=dil.cite
    )
    dil.close()
    div = t.table("dividend", required=False)
    dividend = None
    if div is not None:
        dividend = read_dividend(div, issue_price)
    red, p2p = t.table("redemption", required=False), t.table("pay_to_play", required=False)  # NVCA §6, §4
    series = Series(
        id=series_id, name=t.string("name"), designated=t.shares("designated"),
        original_issue_price=issue_price, cite=t.cite,
        liquidation=liquidation, participation=participation, conversion=conversion,
        dilution=dilution, dividend=dividend,
        redemption=read_redemption(red, issue_price) if red is not None else None,
        pay_to_play=read_pay_to_play(p2p) if p2p is not None else None,
    )
    t.close()
    return series
