"""Money and prices for generated cases: whole cents, adjusted conversion prices, option exercise prices.

Exact throughout (Fractions built from cents or small ratios). Strategies are cached per argument
tuple (see ``calendar.py`` for why); a cached strategy draws exactly what a fresh one would.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from hypothesis import strategies as st

from charter_oracle.invariants.strategies.cache import MANY
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter, Series

CENT = Fraction(1, 100)


@lru_cache(maxsize=MANY)
def cents(low: Fraction, high: Fraction) -> st.SearchStrategy[Fraction]:
    """A whole number of cents in [low, high]."""
    lo, hi = int(low * 100), int(high * 100)
    return st.integers(min(lo, hi), max(lo, hi)).map(lambda c: Fraction(c, 100))


@lru_cache(maxsize=MANY)
def conversion_price_overrides(series: Series, unit: Fraction | None = None) -> st.SearchStrategy[Fraction]:
    """Prices after past adjustments: below the initial price, with ratios that end in exact halves.

    Twice the conversion value makes each share convert into 1/2 common: a holder
    with an odd count then has a vote ending in exactly one half (a tie to round).
    """
    value = series.conversion.value
    initial = series.conversion.initial_price
    prices = st.one_of(
        st.just(2 * value),
        st.just(4 * value),
        st.sampled_from([initial * Fraction(k, 10) for k in range(3, 10)]),
        cents(max(CENT, initial / 4), initial).filter(lambda p: p > 0),
    )
    if unit is None:
        return prices
    # A charter that keeps prices on a grid (infinity 4(h)(i): cents) never has one off it in effect.
    return prices.map(lambda p: max(unit, Fraction(round(p / unit)) * unit))


def option_prices(charter: Charter, table: CapTable | None = None) -> st.SearchStrategy[Fraction]:
    """Exercise prices above, at and below each series' price (infinity counts only those below A's)."""
    anchors = tuple(table.conversion_price(charter, s.id) if table is not None else s.conversion.initial_price
                    for s in charter.series) or (Fraction(1),)
    return _option_prices_around(anchors)


@lru_cache(maxsize=MANY)
def _option_prices_around(anchors: tuple[Fraction, ...]) -> st.SearchStrategy[Fraction]:
    near = [a + d for a in anchors for d in (-CENT, Fraction(0), CENT) if a + d > 0]
    return st.one_of(st.sampled_from(near), cents(CENT, max(anchors) * 2))
