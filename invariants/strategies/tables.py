"""Generated cap tables: holders of several classes, odd counts, option grants, the optional tables.

The strategies a cap table draws from are built once per argument tuple and reused (``lru_cache``):
``cap_tables`` runs once per example, and a fresh strategy per draw made Hypothesis re-validate it
every time. A cached strategy draws exactly what a fresh one would, so examples are unchanged.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from charter_oracle.invariants.strategies.cache import FEW, MANY
from charter_oracle.invariants.strategies.calendar import dates, table_dates, years_after
from charter_oracle.invariants.strategies.money import CENT, conversion_price_overrides, option_prices
from charter_oracle.oracle.cap_table import CapTable, Holding, OptionGrant
from charter_oracle.oracle.charter import Charter

HOLDER_NAMES: tuple[str, ...] = ("Ada Capital", "Bo Partners", "Cy Fund", "Di Trust", "Ed Angel", "Fay LP")


def company_size(charter: Charter, table: CapTable) -> int:
    """Shares of every class outstanding plus options: the scale of realistic issues and grants."""
    return max(1, sum(table.shares_of(c) for c in charter.class_ids) + table.option_shares)


@lru_cache(maxsize=FEW)
def _holder_names(max_holders: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(HOLDER_NAMES), min_size=1, max_size=max_holders, unique=True)


@lru_cache(maxsize=FEW)
def _held_classes(classes: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(list(classes)), min_size=1, max_size=min(3, len(classes)), unique=True)


@lru_cache(maxsize=MANY)
def _share_counts(cap: int) -> st.SearchStrategy[int]:
    """Small counts, any count, all the room, and an odd count (halves appear in conversions and votes)."""
    return st.one_of(st.integers(1, min(cap, 999)), st.integers(1, cap), st.just(cap), st.just(max(1, cap - (1 - cap % 2))))


@lru_cache(maxsize=MANY)
def _declared_rates(rates: tuple[Fraction, ...]) -> st.SearchStrategy[Fraction]:
    return st.sampled_from(list(rates))


@st.composite
def cap_tables(draw: Any, charter: Charter, max_holders: int = 4, options: bool = True,
               overrides: bool = True, dividends: bool = True, min_common: int = 0) -> CapTable:
    """A valid cap table for ``charter``: holders of several classes, odd counts, the optional tables."""
    names = draw(_holder_names(max_holders))
    classes = tuple(charter.class_ids)
    room = {charter.common.id: charter.common.authorized, **{s.id: s.designated for s in charter.series}}
    holdings: list[Holding] = []
    for name in names:
        held = draw(_held_classes(classes))
        for class_id in held:
            cap = room[class_id] // max(len(names), 1)
            if cap < 1:
                continue
            shares = draw(_share_counts(cap))
            holdings.append(Holding(name, class_id, shares))
    common = sum(h.shares for h in holdings if h.class_id == charter.common.id)
    if common < min_common or not holdings:
        holdings.append(Holding(names[0], charter.common.id, max(min_common - common, 1)))
    as_of = draw(dates(*table_dates(charter)))
    grants: list[OptionGrant] = []
    if options:
        pool = max(1, charter.common.authorized // 10)  # an option pool of up to a tenth of authorized common
        for _ in range(draw(st.integers(0, 3))):
            grants.append(OptionGrant("Option Pool", draw(st.integers(1, pool)), draw(option_prices(charter))))
    prices: list[tuple[str, Fraction]] = []
    declared: list[tuple[str, Fraction]] = []
    issue: list[tuple[str, dt.date]] = []
    for series in charter.series:
        if overrides and draw(st.booleans()):
            unit = charter.dilution.price_unit if charter.dilution else None
            prices.append((series.id, draw(conversion_price_overrides(series, unit))))
        if dividends and draw(st.integers(0, 3)) == 0:
            rate = series.dividend.rate if series.dividend else CENT
            declared.append((series.id, draw(_declared_rates((rate, CENT, rate / 2 if rate else CENT)))))
        accrues = series.dividend is not None and series.dividend.cumulative  # needs its issue date
        if series.participation.interest_rate is not None or accrues or draw(st.integers(0, 4)) == 0:
            issue.append((series.id, draw(dates(years_after(charter.date, -5), as_of))))
    return CapTable(as_of, tuple(holdings), tuple(grants), tuple(sorted(prices)), tuple(sorted(declared)),
                    tuple(sorted(issue)))
