"""``[series.redemption]``: redemption at the holders' request (NVCA 2020 §6.1)."""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.oracle.sections.thresholds import read_threshold
from charter_oracle.oracle.series_extras import RedemptionTerms
from charter_oracle.oracle.strict_table import StrictTable


def read_redemption(t: StrictTable, original_issue_price: Fraction) -> RedemptionTerms:
    request = read_threshold(t, t.cite)
    if request.compare not in (">", ">="):  # "at the request of at most 10%" asks nothing of anyone
        raise t.fail("compare", f"a request threshold is '>' or '>=', got {request.compare!r}")
    start_date = t.date("start_date", required=False)
    anniversary = t.positive_whole("start_anniversary")
    if (start_date is None) == (anniversary is None):
        raise t.fail("start_date", "give exactly one of start_date and start_anniversary (years after the "
                                   "series' first issue)")
    installments = t.positive_whole("installments")
    if installments is None:
        raise t.fail("installments", "missing (the number of redemption dates, at least 1)")
    months = t.positive_whole("installment_months")
    if months is None:
        months = 12
    elif installments == 1:
        raise t.fail("installment_months", "one installment has no interval: leave installment_months out")
    notice = t.shares("notice_days")
    price = t.exact("price_per_share", required=False, positive=True)
    terms = RedemptionTerms(
        cite=t.cite, request=request, start_date=start_date, start_anniversary=anniversary,
        installments=installments, installment_months=months, notice_days=notice,
        price_per_share=original_issue_price if price is None else price,
    )
    t.close()
    return terms
