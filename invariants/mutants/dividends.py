"""Dividend mutants: the charter's dividend priority ignored; cumulative dividends accrued wrong."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction
from typing import Any
from unittest import mock

import charter_oracle.oracle.positions as _pos
from charter_oracle.invariants.mutants.core import INF, NVCA, Mutant, charter_patch
from charter_oracle.oracle.charter import Charter, DividendPreference

_real_accrued = _pos.accrued_per_share
_real_accrued_dividends = _pos.accrued_dividends_per_share


def _from_start_of_year(dividend: DividendPreference, price: Fraction, start: dt.date, end: dt.date) -> Fraction:
    """Accrual from 1 January of the issue year, not from the issue date."""
    return _real_accrued(dividend, price, start.replace(month=1, day=1), end)


def _compounding(dividend: DividendPreference, price: Fraction, start: dt.date, end: dt.date) -> Fraction:
    """Compounded annually where the charter says simple."""
    annual = dividend.annual_fraction if dividend.annual_fraction is not None else dividend.rate / price
    return _real_accrued(dataclasses.replace(dividend, compounding="annual", annual_fraction=annual), price, start, end)


def _twice(series: Any, table: Any) -> Fraction:
    """Accrued dividends added to the liquidation amount twice (once as a preference, once as a dividend)."""
    return 2 * _real_accrued_dividends(series, table)


def _one_dividend_rank(charter: Charter) -> Charter:
    return dataclasses.replace(charter, series=tuple(
        dataclasses.replace(s, dividend=dataclasses.replace(s.dividend, rank=1)) if s.dividend else s
        for s in charter.series))


MUTANTS: tuple[Mutant, ...] = (
    Mutant("dividends-all-pari-passu", "infinity's Series C dividend priority ignored", (INF,),
           charter_patch("charter_oracle.oracle.dividends.allocate_dividend", _one_dividend_rank), ("dividend-priority",)),
    Mutant("accrual-from-wrong-date", "cumulative dividends accrued from the start of the issue year", (NVCA,),
           lambda: mock.patch("charter_oracle.oracle.positions.accrued_per_share", _from_start_of_year),
           ("accrued-dividends",)),
    Mutant("accrual-compounding-not-simple", "cumulative dividends compounded annually where simple is stated", (NVCA,),
           lambda: mock.patch("charter_oracle.oracle.positions.accrued_per_share", _compounding), ("accrued-dividends",)),
    Mutant("accrued-counted-twice", "accrued dividends counted twice in the liquidation amount", (NVCA,),
           lambda: mock.patch("charter_oracle.oracle.positions.accrued_dividends_per_share", _twice),
           ("accrued-dividends", "pro-rata-shortfall")),
)
