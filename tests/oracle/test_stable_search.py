"""The stable-outcome search (neighbouring prefixes tested first) against the exhaustive prefix search.

The exhaustive search, kept here as the test oracle: every prefix of the series sorted by switch
level, each tested against every unilateral deviation, in candidate order, with the waterfall
itself. The search in ``oracle.conversion_choice`` must find the same stable prefixes, in the same
order, and pay the same outcome.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter_oracle.invariants.strategies import cap_tables, proceeds_for, random_charters
from charter_oracle.oracle.conversion_choice import choose_conversions
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.oracle.positions import series_positions
from charter_oracle.oracle.waterfall import allocate


def exhaustive_stable_prefixes(charter: Any, proceeds: Fraction, common: int, positions: Any) -> list[frozenset[str]]:
    movable = sorted((p for p in positions if p.shares > 0 and p.switch_level is not None),
                     key=lambda p: (p.switch_level, p.id))
    ids = [p.id for p in movable]
    stable = []
    for k in range(len(ids) + 1):
        converting = frozenset(ids[:k])
        here = allocate(charter, proceeds, common, positions, converting)
        if all(allocate(charter, proceeds, common, positions, converting ^ {sid}).amount(sid) <= here.amount(sid)
               for sid in ids):
            stable.append(converting)
    return stable


def _same_as_exhaustive(charter: Any, table: Any, proceeds: Fraction) -> None:
    positions = series_positions(charter, table)
    common = table.shares_of(charter.common.id)
    want = exhaustive_stable_prefixes(charter, proceeds, common, positions)
    choice = choose_conversions(charter, proceeds, common, positions)
    if want:  # (with no stable prefix both fall back to the same best-response dynamics)
        assert [o.converting for o in choice.stable] == want
    assert choice.chosen == allocate(charter, proceeds, common, positions, choice.chosen.converting)


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(random_charters(max_series=4), st.data())
def test_random_charters(charter: Any, data: Any) -> None:
    table = data.draw(cap_tables(charter, options=False))
    _same_as_exhaustive(charter, table, data.draw(proceeds_for(charter, table)))


@pytest.mark.parametrize("charter_id", ["infinity-1996", "nvidia-1998", "example-modern"])
def test_bundled_charters_every_two_million(charter_id: str) -> None:
    charter, table = load_with_table(charter_id)
    for millions in range(0, 200, 2):  # $0 to $198 million: below, across and above every switch level
        _same_as_exhaustive(charter, table, Fraction(millions * 1_000_000))
