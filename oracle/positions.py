"""Class-level positions: what each class holds and is owed, computed once per cap table.

The waterfall works on classes, not holders (so 100,000 holders cost one pass at
the end): holders of one class are owed the same per share, so a class total
split by shares is exactly each holder's amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.accrual import accrued_per_share
from charter_oracle.oracle.as_converted import as_converted, conversion_ratio
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter, Series
from charter_oracle.oracle.errors import CapTableError


@dataclass(frozen=True)
class SeriesPosition:
    series: Series
    shares: int
    conversion_price: Fraction
    as_converted: Fraction  # common issuable on converting the whole class, exact
    preference: Fraction  # liquidation preference proper plus accrued cumulative dividends, whole class
    dividends: Fraction  # declared and unpaid, whole class
    participation_cap: Fraction | None  # whole class; None = no limit; 0 for non-participating

    @property
    def id(self) -> str:
        return self.series.id

    @property
    def rank(self) -> int:
        return self.series.liquidation.rank

    @property
    def conversion_ratio(self) -> Fraction:
        """Common per preferred share: conversion value / conversion price (4(a), IV.D.3(A))."""
        return conversion_ratio(self.series, self.conversion_price)

    @property
    def switch_level(self) -> Fraction | None:
        """Common value per share above which converting beats staying (None: never).

        Used only to order the candidates of the stable-outcome search; the
        search itself checks stability with real waterfalls.
        """
        if self.series.participation.kind == "full":
            return None
        # A non-participating series has a cap of Fraction(0): keep it a Fraction (``cap or 0``
        # would be the int 0, and 0 / shares a float that orders candidates inexactly).
        cap = self.participation_cap if self.participation_cap is not None else Fraction(0)
        if self.shares:
            # Per share over the conversion ratio, i.e. the class's amount over its as-converted shares
            # (shares * ratio): the same number in one division instead of three.
            return (self.preference + cap) / self.as_converted
        return self.series.liquidation.preference / self.conversion_ratio


def participation_cap_per_share(series: Series, table: CapTable) -> Fraction | None:
    """Per-share limit on what a non-converting series takes beside common (None: unlimited).

    infinity-1996 IV.3(b): the lesser of a fixed amount and simple interest on a
    principal at a rate per ``day_count``-day year, from the series' first issue to
    the liquidation date (interpretation infinity.c-interest-start). Leap days
    count as days: a 365-day basis gives a leap year 366/365 of a year's interest.
    """
    terms = series.participation
    if terms.kind == "none":
        return Fraction(0)
    if terms.kind == "full":
        return None
    legs: list[Fraction] = []
    if terms.cap_per_share is not None:
        legs.append(terms.cap_per_share)
    if terms.interest_rate is not None and terms.interest_principal is not None:
        start = table.issue_date(series.id)
        if start is None:
            raise CapTableError(f"issue_dates.{series.id} is needed for the interest leg of {terms.cite}")
        days = max((table.as_of - start).days, 0)
        legs.append(terms.interest_principal * terms.interest_rate * Fraction(days, terms.day_count))
    cap = min(legs)
    if terms.cap_includes_preference:
        cap = max(cap - series.liquidation.preference, Fraction(0))
    return cap


def accrued_dividends_per_share(series: Series, table: CapTable) -> Fraction:
    """Cumulative dividends accrued per share to the cap table's date (NVCA 2020 §1, §2.1); 0 if none."""
    dividend = series.dividend
    if dividend is None or not dividend.cumulative:
        return Fraction(0)
    start = table.issue_date(series.id)
    if start is None:
        raise CapTableError(f"issue_dates.{series.id} is needed: its cumulative dividends accrue from issue ({dividend.cite})")
    return accrued_per_share(dividend, series.original_issue_price, start, table.as_of)


def series_positions(charter: Charter, table: CapTable) -> tuple[SeriesPosition, ...]:
    positions = []
    for series in charter.series:
        shares = table.shares_of(series.id)
        price = table.conversion_price(charter, series.id)
        cap = participation_cap_per_share(series, table) if shares else Fraction(0)
        # Accrued dividends join the preference: paid with it, given up on conversion ("the greater of
        # the preference plus accrued dividends or the as-converted amount", NVCA 2020 §2.1). A cap
        # that includes the preference counts the preference proper only (docs/charter-format.md).
        accrued = accrued_dividends_per_share(series, table) if shares else Fraction(0)
        positions.append(SeriesPosition(
            series=series,
            shares=shares,
            conversion_price=price,
            as_converted=as_converted(series, shares, price),
            preference=shares * (series.liquidation.preference + accrued),
            dividends=shares * table.dividend_per_share(series.id),
            participation_cap=None if cap is None else cap * shares,
        ))
    return tuple(positions)
