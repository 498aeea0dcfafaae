"""Redemption at the holders' request (NVCA 2020 §6): the schedule per holder, a shortfall shared pro rata.

``redemption_schedule`` answers "if these holders ask on this date, what does the company redeem
from whom, when, at what price, and what is left unredeemed when funds fall short?":

* the request (§6.1) counts the requesting holders' shares of the series against its outstanding
  shares (``RedemptionTerms.request``) and must be made on or after the start;
* the redemption dates: ``notice_days`` after the request, then every ``installment_months``;
* on each date the shares due from each holder are its shares still outstanding divided by the
  number of dates left (the last takes the rest), so without a shortfall the installments are equal;
* the price per share on a date is the terms' price plus dividends accrued and unpaid to that date
  (``accrued_dividends_per_share``, the hook for accruing dividends) plus declared unpaid dividends;
* funds short of the amount due on a date (§6.1, §6.2: the company redeems the most it legally can,
  ratably by the full amounts due) pay every holder the same fraction of its amount due; the shares
  not redeemed stay outstanding and fall due again on the next date (after the last, they are
  reported as unredeemed). Exact: shares redeemed may be a fraction of a share (no clause rounds them).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from charter_oracle.oracle import positions
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter, Series
from charter_oracle.oracle.compliance import Check
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import CapTableError, InputError
from charter_oracle.oracle.naming import did_you_mean, unknown_name
from charter_oracle.oracle.series_extras import RedemptionTerms


@dataclass(frozen=True)
class HolderInstallment:
    holder: str
    shares_due: Fraction
    amount_due: Fraction
    shares_redeemed: Fraction
    amount_paid: Fraction


@dataclass(frozen=True)
class Installment:
    number: int  # 1 for the first redemption date
    date: dt.date
    price_per_share: Fraction
    funds: Fraction | None  # legally available funds on the date; None: enough
    holders: tuple[HolderInstallment, ...]

    @property
    def amount_due(self) -> Fraction:
        return sum((h.amount_due for h in self.holders), Fraction(0))

    @property
    def amount_paid(self) -> Fraction:
        return sum((h.amount_paid for h in self.holders), Fraction(0))

    @property
    def shortfall(self) -> Fraction:
        return self.amount_due - self.amount_paid


@dataclass(frozen=True)
class RedemptionSchedule:
    series_id: str
    request_date: dt.date
    requested_by: tuple[str, ...]
    checks: tuple[Check, ...]  # the request threshold and the start; the schedule is empty unless both are ok
    installments: tuple[Installment, ...]
    unredeemed: tuple[tuple[str, Fraction], ...]  # shares left after the last date, per holder
    cite: str

    @property
    def redeemable(self) -> bool:
        return all(c.ok for c in self.checks)


def accrued_dividends_per_share(series: Series, table: CapTable, on: dt.date) -> Fraction:
    """Dividends accrued and unpaid on one share of ``series`` up to ``on`` (NVCA 2020 §1, §6.1): the
    series' cumulative dividends from its issue date, as the liquidation amount counts them
    (``positions.accrued_dividends_per_share``); a non-cumulative dividend accrues nothing."""
    return positions.accrued_dividends_per_share(series, dataclasses.replace(table, as_of=on))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; a day the month lacks is its last day (Feb 29 -> Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def redemption_start(terms: RedemptionTerms, series: Series, table: CapTable) -> dt.date:
    """The first day a request may be made: the start date, or the anniversary of the first issue."""
    if terms.start_date is not None:
        return terms.start_date
    first = table.issue_date(series.id)
    if first is None:
        raise CapTableError(f"[issue_dates] {series.id} is needed: its redemption starts on the "
                            f"{terms.start_anniversary}th anniversary of its first issue ({terms.cite})")
    assert terms.start_anniversary is not None
    return add_months(first, 12 * terms.start_anniversary)


def redemption_dates(terms: RedemptionTerms, request_date: dt.date) -> tuple[dt.date, ...]:
    first = request_date + dt.timedelta(days=terms.notice_days)
    return tuple(add_months(first, k * terms.installment_months) for k in range(terms.installments))


def price_per_share(series: Series, terms: RedemptionTerms, table: CapTable, on: dt.date) -> Fraction:
    """§6.1: the price plus accrued unpaid dividends plus declared unpaid dividends."""
    return terms.price_per_share + accrued_dividends_per_share(series, table, on) + table.dividend_per_share(series.id)


def redeem_ratably(due: dict[str, Fraction], price: Fraction, available: Fraction | None) -> dict[str, Fraction]:
    """Shares redeemed from each holder on one date: all that is due, or, when the funds fall short
    (§6.1), the same fraction of every holder's amount due -- ratably, never first come first served."""
    amount_due = sum(due.values(), Fraction(0)) * price
    ratio = Fraction(1) if available is None or available >= amount_due else available / amount_due
    return {h: shares * ratio for h, shares in due.items()}


def redeemable_series(charter: Charter, series_id: str) -> tuple[Series, RedemptionTerms]:
    ids = [s.id for s in charter.series if s.redemption is not None]
    for series in charter.series:
        if series.id == series_id and series.redemption is not None:
            return series, series.redemption
    raise InputError(f"series {series_id!r}: not a redeemable series of {charter.id}{did_you_mean(series_id, ids)} "
                     f"(redeemable: {', '.join(ids) or 'none'})")


def request_checks(charter: Charter, table: CapTable, series_id: str, requested_by: Sequence[str],
                   request_date: dt.date) -> tuple[Check, ...]:
    """Is the request valid (§6.1)? Enough of the series asks, on or after the start."""
    series, terms = redeemable_series(charter, series_id)
    unknown = set(requested_by) - set(table.holders)
    if unknown:
        raise InputError("requested by " + unknown_name("holder", sorted(unknown)[0], "the cap table", table.holders))
    asking = sum(table.holder_shares(h, series.id) for h in set(requested_by))
    outstanding = table.shares_of(series.id)
    start = redemption_start(terms, series, table)
    return (
        Check("redemption-request", terms.request.met(asking, outstanding), terms.cite,
              f"{asking} of {outstanding} {series.id} shares ask; needs {terms.request.describe()}"),
        Check("redemption-start", request_date >= start, terms.cite,
              f"request on {request_date.isoformat()}; redemption may be requested from {start.isoformat()}"),
    )


def redemption_schedule(charter: Charter, table: CapTable, series_id: str, requested_by: Sequence[str],
                        request_date: dt.date, funds: Sequence[Fraction] | None = None) -> RedemptionSchedule:
    series, terms = redeemable_series(charter, series_id)
    checks = request_checks(charter, table, series_id, requested_by, request_date)
    if funds is not None and len(funds) != terms.installments:
        raise InputError(f"funds: {len(funds)} amounts given for {terms.installments} redemption dates ({terms.cite})")
    holders = [h for h in table.holders if table.holder_shares(h, series.id)]
    left = {h: Fraction(table.holder_shares(h, series.id)) for h in holders}
    installments: list[Installment] = []
    if all(c.ok for c in checks):
        dates = redemption_dates(terms, request_date)
        for k, day in enumerate(dates):
            price = price_per_share(series, terms, table, day)
            due = {h: left[h] / (len(dates) - k) for h in holders}
            available = None if funds is None else funds[k]
            redeemed = redeem_ratably(due, price, available)
            rows = []
            for h in holders:
                rows.append(HolderInstallment(h, due[h], due[h] * price, redeemed[h], redeemed[h] * price))
                left[h] -= redeemed[h]
            installments.append(Installment(k + 1, day, price, available, tuple(rows)))
    return RedemptionSchedule(series.id, request_date, tuple(requested_by), checks, tuple(installments),
                              tuple((h, left[h]) for h in holders if installments and left[h]), terms.cite)


def action_checks(charter: Charter, table: CapTable, raw: Mapping[str, Any], approving: Sequence[str] | None) -> list[Check]:
    """``comply`` with ``action = "redeem"``: ``series``, ``date`` (of the request, default the cap
    table's ``as_of``) and ``approving`` (the requesting holders)."""
    series_id = raw.get("series")
    if not isinstance(series_id, str) or not series_id.strip():
        raise InputError(f"action.series: a redemption names the series to redeem, got {series_id!r}")
    day = parse_date(raw["date"], "action.date") if "date" in raw else table.as_of
    return list(request_checks(charter, table, series_id, approving or [], day))
