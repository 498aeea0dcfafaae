"""Exit values for generated cases: zero, a cent, the total preference, each switch point and cap
binding (computed from the charter's terms, not from the oracle under test), their neighbours, any.

``proceeds_for`` is cached per (charter, cap table): Hypothesis replays and mutates examples, and the
same table asks for the same strategy again; a cached strategy draws exactly what a fresh one would.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from charter_oracle.invariants.strategies.cache import MANY
from charter_oracle.invariants.strategies.money import CENT, cents
from charter_oracle.invariants.strategies.tables import cap_tables
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.positions import participation_cap_per_share


def interesting_proceeds(charter: Charter, table: CapTable) -> list[Fraction]:
    """Exits where something changes: the total preference, each switch point, each cap binding.

    Computed from the charter's terms alone (not from the oracle under test), as
    an approximation: the strategy perturbs them, so an exact hit is not needed
    for the search to land on both sides.
    """
    common = Fraction(table.shares_of(charter.common.id))
    rows = []
    for s in charter.series:
        shares = table.shares_of(s.id)
        if not shares:
            continue
        price = table.conversion_price(charter, s.id)
        ratio = s.conversion.value / price
        claim = shares * (s.liquidation.preference + table.dividend_per_share(s.id))
        cap = participation_cap_per_share(s, table)
        per_share = s.liquidation.preference + (cap if cap is not None else 0)
        rows.append((per_share / ratio, shares * ratio, claim, s, cap))
    total_claims = sum((r[2] for r in rows), Fraction(0))
    points = [total_claims]
    rows.sort(key=lambda r: (r[0], r[3].id))
    participating = sum((r[1] for r in rows if r[3].participation.kind != "none"), Fraction(0))
    for i, (level, weight, claim, series, cap) in enumerate(rows):
        # series i is indifferent when the common level reaches its switch level, the cheaper
        # series having converted (their preferences released, their shares added to common).
        staying = sum((r[2] for r in rows[i:]), Fraction(0))
        weight_now = common + sum((r[1] for r in rows[:i]), Fraction(0)) + participating
        points.append(staying + level * weight_now)
        if cap:  # where this series' participation reaches its cap
            ratio = weight / table.shares_of(series.id)
            points.append(total_claims + cap / ratio * (common + participating))
    return [p for p in points if p >= 0]


@lru_cache(maxsize=MANY)
def proceeds_for(charter: Charter, table: CapTable) -> st.SearchStrategy[Fraction]:
    """Zero, one cent, the total preference and its neighbours, the switch points +-, very large, any."""
    points = interesting_proceeds(charter, table)
    top = Fraction(int(max(points + [Fraction(1_000_000)]) * 3) + 1)
    near = [p + d for p in points for d in (-CENT, Fraction(0), CENT) if p + d >= 0]
    scaled = st.tuples(st.sampled_from(points), st.integers(-200, 200)).map(
        lambda pair: max(pair[0] * (1 + Fraction(pair[1], 1000)), Fraction(0)))
    ordered = sorted(set([Fraction(0)] + points + [top]))
    between = st.tuples(st.integers(0, len(ordered) - 2), st.integers(1, 999)).map(
        lambda iv: ordered[iv[0]] + (ordered[iv[0] + 1] - ordered[iv[0]]) * Fraction(iv[1], 1000))
    return st.one_of(
        st.sampled_from([Fraction(0), CENT] + near),
        scaled,
        between,  # strictly inside each stretch between two interesting points (a cap binding, a switch...)
        between,
        cents(Fraction(0), top),
        st.fractions(min_value=0, max_value=top, max_denominator=997),
        st.just(top * 1_000_000),
    )


@lru_cache(maxsize=MANY)
def participating_proceeds(charter: Charter, table: CapTable) -> st.SearchStrategy[Fraction]:
    """Exits strictly between the total preference and the last switch or cap binding: where a participating
    series that stays unconverted shares the residual with common (elsewhere it is paid nothing beyond its
    preference, or has converted)."""
    points = interesting_proceeds(charter, table)
    low = points[0] if points else Fraction(0)  # the total preference
    high = max(points + [low]) if points else low
    if high <= low:
        high = 2 * low + 1
    return st.integers(1, 999).map(lambda k: low + (high - low) * Fraction(k, 1000))


def tables_and_proceeds(charter: Charter) -> st.SearchStrategy[tuple[CapTable, Fraction]]:
    return cap_tables(charter).flatmap(lambda t: st.tuples(st.just(t), proceeds_for(charter, t)))


def sequence_of(items: Sequence[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(items))
