"""The stable-outcome search builds no steps for the candidate sets it tries: same totals, same choice.

``allocate(..., with_steps=False)`` must give exactly the class totals and residual level of the
full allocation (only ``steps`` is empty), and the chosen outcome keeps its steps.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from charter_oracle.invariants.strategies import cap_tables, proceeds_for, random_charters
from charter_oracle.oracle.conversion_choice import choose_conversions
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.oracle.positions import series_positions
from charter_oracle.oracle.waterfall import allocate


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(random_charters(max_series=3), st.data())
def test_totals_without_steps_equal_the_full_allocation(charter: Any, data: Any) -> None:
    table = data.draw(cap_tables(charter, options=False))
    proceeds = data.draw(proceeds_for(charter, table))
    positions = series_positions(charter, table)
    common = table.shares_of(charter.common.id)
    ids = [p.id for p in positions]
    for k in range(len(ids) + 1):
        for converting in map(frozenset, combinations(ids, k)):
            full = allocate(charter, proceeds, common, positions, converting)
            bare = allocate(charter, proceeds, common, positions, converting, with_steps=False)
            assert bare.steps == ()
            assert (bare.classes, bare.residual_per_common_share, bare.converting) == \
                (full.classes, full.residual_per_common_share, full.converting)


def test_the_chosen_outcome_keeps_its_steps() -> None:
    charter, table = load_with_table("nvidia-1998")
    positions = series_positions(charter, table)
    common = table.shares_of(charter.common.id)
    for proceeds in (1_000_000, 60_000_000, 400_000_000):
        choice = choose_conversions(charter, proceeds, common, positions)
        full = allocate(charter, proceeds, common, positions, choice.chosen.converting)
        assert choice.chosen == full and choice.chosen.steps  # steps rebuilt for the one outcome paid
        assert distribute(charter, table, proceeds).steps == full.steps
        assert all(s.steps == () for s in choice.stable)  # none built for the candidates compared
