"""Two optional series terms of the NVCA model (2020 edition): redemption (§6) and pay-to-play (§4, optional).

Frozen values only; ``oracle/sections/redemption.py`` and ``oracle/sections/pay_to_play.py`` read them,
``oracle/redemption.py`` and ``oracle/pay_to_play.py`` compute with them. They hang off ``Series``
(``Series.redemption``, ``Series.pay_to_play``), ``None`` when a charter has no such clause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from charter_oracle.oracle.charter import Threshold


@dataclass(frozen=True)
class RedemptionTerms:
    """Redemption at the holders' request (NVCA §6.1): who must ask, from when, in how many installments, at what price.

    The first redemption date is ``notice_days`` after the request, but never before the start
    (``start_date``, or the ``start_anniversary``-th anniversary of the series' first issue date in
    the cap table's ``[issue_dates]``); the next ones follow every ``installment_months`` months.
    On each date the company redeems, ratably among the holders, the shares outstanding just before
    it divided by the number of dates left (the last date takes them all). The price per share is
    ``price_per_share`` plus dividends accrued and unpaid plus dividends declared and unpaid.
    """

    cite: str
    request: Threshold  # of the series' outstanding shares, held by the requesting holders
    start_date: dt.date | None
    start_anniversary: int | None
    installments: int
    installment_months: int
    notice_days: int
    price_per_share: Fraction


@dataclass(frozen=True)
class PayToPlayTerms:
    """Pay-to-play (NVCA §4, an optional provision): in a qualified financing, a holder of the series who
    does not buy its pro rata amount has all its shares of the series converted into ``converts_to``
    (common: at the conversion rate in effect, whole shares; a shadow series: share for share).
    The pro rata amount is the offered shares times the holder's fraction of the series
    (``basis = "series"``) or of all preferred, counted in shares (``basis = "all-preferred"``)."""

    cite: str
    converts_to: str
    basis: Literal["series", "all-preferred"]
