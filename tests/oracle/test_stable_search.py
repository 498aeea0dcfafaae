"""The stable-outcome search (prefix stability by level comparisons) against the searches it replaces.

Two test oracles: the exhaustive prefix search here (every prefix of the series sorted by switch
level, each tested against every unilateral deviation with the waterfall itself), and the allocation
search the level comparisons replaced (``_allocation_search.py``, neighbouring prefixes first). The
search in ``oracle.conversion_choice`` must find the same stable prefixes, in the same order, keep the
same allocations and pay the same outcome; and each prefix that ``oracle.level_stability`` decides
must be decided as the waterfall decides it -- also at the exits where a level equals a switch level
(ties), where a tier is paid exactly, for series that give nothing up and without common shares.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

import pytest
from _allocation_search import allocation_search
from hypothesis import given, settings
from hypothesis import strategies as st

from charter_oracle.invariants.strategies import cap_tables, proceeds_for, random_charters
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter_file import build_charter
from charter_oracle.oracle.conversion_choice import choose_conversions
from charter_oracle.oracle.level_stability import prefix_verdicts, waterfalls_of_prefixes
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.oracle.positions import series_positions
from charter_oracle.oracle.waterfall import allocate


def _movable(positions: Any) -> list[Any]:
    return sorted((p for p in positions if p.shares > 0 and p.switch_level is not None),
                  key=lambda p: (p.switch_level, p.id))


def _prefix_is_stable(charter: Any, proceeds: Fraction, common: int, positions: Any, k: int) -> bool:
    ids = [p.id for p in _movable(positions)]
    converting = frozenset(ids[:k])
    here = allocate(charter, proceeds, common, positions, converting)
    return all(allocate(charter, proceeds, common, positions, converting ^ {sid}).amount(sid) <= here.amount(sid)
               for sid in ids)


def exhaustive_stable_prefixes(charter: Any, proceeds: Fraction, common: int, positions: Any) -> list[frozenset[str]]:
    ids = [p.id for p in _movable(positions)]
    return [frozenset(ids[:k]) for k in range(len(ids) + 1) if _prefix_is_stable(charter, proceeds, common, positions, k)]


def _same_as_oracles(charter: Any, proceeds: Fraction, common: int, positions: Any) -> None:
    movers = _movable(positions)
    stable = [_prefix_is_stable(charter, proceeds, common, positions, k) for k in range(len(movers) + 1)]
    want = [frozenset(p.id for p in movers[:k]) for k, yes in enumerate(stable) if yes]  # the exhaustive search
    choice = choose_conversions(charter, proceeds, common, positions)
    if want:  # (with no stable prefix both fall back to the same best-response dynamics)
        assert [o.converting for o in choice.stable] == want
    before = allocation_search(charter, proceeds, common, positions)
    assert (choice.chosen, choice.stable) == (before.chosen, before.stable)
    assert choice.chosen == allocate(charter, proceeds, common, positions, choice.chosen.converting)
    verdicts = prefix_verdicts(charter, proceeds, common, positions, movers)
    assert all(verdict in (None, yes) for verdict, yes in zip(verdicts, stable, strict=True)), (verdicts, stable)


def _same_as_exhaustive(charter: Any, table: Any, proceeds: Fraction) -> None:
    positions = series_positions(charter, table)
    common = table.shares_of(charter.common.id)
    want = exhaustive_stable_prefixes(charter, proceeds, common, positions)
    choice = choose_conversions(charter, proceeds, common, positions)
    if want:
        assert [o.converting for o in choice.stable] == want
    assert choice.chosen == allocate(charter, proceeds, common, positions, choice.chosen.converting)


def tie_proceeds(charter: Any, common: int, positions: Any) -> list[Fraction]:
    """Exits where a prefix's tiers are paid exactly, or exactly but for one series leaving, or where
    its residual level equals a series' switch level (when the tiers are paid in full):
    K + U*L + sum of min(cap, a*L) over the capped participants, at L = (d + cap) / a."""
    keep = charter.liquidation.declared_dividends_on_conversion == "paid-with-preferences"
    movers = _movable(positions)
    points = []
    for k in range(len(movers) + 1):
        converting = {p.id for p in movers[:k]}
        claims = sum(((p.dividends if keep else 0) if p.id in converting else p.preference + p.dividends
                      for p in positions), Fraction(0))
        points.append(claims)
        weight = Fraction(common) + sum((p.as_converted for p in positions if p.id in converting), Fraction(0))
        capped = []
        for p in positions:
            if p.id not in converting and p.series.participation.kind != "none" and p.as_converted > 0:
                if p.participation_cap is None:
                    weight += p.as_converted
                else:
                    capped.append(p)
        for p in movers:
            gives_up = p.preference + (0 if keep else p.dividends)
            if p.id in converting:
                points.append(claims + gives_up)
            level = (gives_up + p.participation_cap) / p.as_converted
            points.append(claims + weight * level +
                          sum((min(q.participation_cap, q.as_converted * level) for q in capped), Fraction(0)))
    return sorted(set(points))


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(random_charters(max_series=4), st.data())
def test_random_charters(charter: Any, data: Any) -> None:
    table = data.draw(cap_tables(charter, options=False))
    _same_as_exhaustive(charter, table, data.draw(proceeds_for(charter, table)))


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(random_charters(max_series=4), st.data())
def test_random_charters_at_ties_and_edges(charter: Any, data: Any) -> None:
    """The exits where a comparison is an equality, declared dividends kept or forfeited, series that
    give nothing up by converting (no preference), no common shares."""
    if data.draw(st.booleans()):
        liquidation = dataclasses.replace(charter.liquidation, declared_dividends_on_conversion="forfeited")
        charter = dataclasses.replace(charter, liquidation=liquidation)
    table = data.draw(cap_tables(charter, options=False))
    positions = series_positions(charter, table)
    free = data.draw(st.sets(st.sampled_from([p.id for p in positions])))
    positions = tuple(dataclasses.replace(p, preference=Fraction(0)) if p.id in free else p for p in positions)
    common = data.draw(st.sampled_from([table.shares_of(charter.common.id), 0]))
    for proceeds in tie_proceeds(charter, common, positions) + [data.draw(proceeds_for(charter, table))]:
        _same_as_oracles(charter, proceeds, common, positions)


@settings(max_examples=20, deadline=None, derandomize=True, database=None)
@given(random_charters(max_series=4), st.data())
def test_the_water_level_is_the_waterfalls(charter: Any, data: Any) -> None:
    """The level the comparisons use for a prefix, and for a prefix with one more series converting,
    is the waterfall's own residual level for that set, whenever its tiers are paid in full."""
    table = data.draw(cap_tables(charter, options=False))
    positions = series_positions(charter, table)
    common = data.draw(st.sampled_from([table.shares_of(charter.common.id), 0]))
    keep = charter.liquidation.declared_dividends_on_conversion == "paid-with-preferences"
    movers = _movable(positions)
    for proceeds in tie_proceeds(charter, common, positions) + [data.draw(proceeds_for(charter, table))]:
        prefixes = waterfalls_of_prefixes(charter, proceeds, common, positions, movers)
        assert prefixes is not None
        for k in range(len(movers) + 1):
            for also in [-1] + list(range(k, len(movers))):
                converting = {p.id for p in movers[:k]} | ({movers[also].id} if also >= 0 else set())
                residual = proceeds - sum(((p.dividends if keep else 0) if p.id in converting
                                           else p.preference + p.dividends for p in positions), Fraction(0))
                weight = common + sum((p.as_converted for p in positions if p.id in converting or (
                    p.series.participation.kind == "full" and p.shares)), Fraction(0))
                if residual >= 0 and weight > 0:
                    want = allocate(charter, proceeds, common, positions, frozenset(converting))
                    assert prefixes.level(residual, weight, k, also) == want.residual_per_common_share


@pytest.mark.parametrize("charter_id", ["infinity-1996", "nvidia-1998", "example-modern"])
def test_bundled_charters_every_two_million(charter_id: str) -> None:
    charter, table = load_with_table(charter_id)
    for millions in range(0, 200, 2):  # $0 to $198 million: below, across and above every switch level
        _same_as_exhaustive(charter, table, Fraction(millions * 1_000_000))


@pytest.mark.parametrize(("charter_id", "free"), [
    ("infinity-1996", False), ("nvidia-1998", False), ("example-modern", False), ("byzantine-1999", False),
    ("nvca-style", False), ("infinity-1996", True), ("example-modern", True), ("nvca-style", True)])
def test_bundled_charters_at_every_tie(charter_id: str, free: bool) -> None:
    """``free``: the capped participating series without a preference (converting gives nothing up:
    at a tie between its level and its saturation, converting and staying pay it the same)."""
    charter, table = load_with_table(charter_id)
    positions = series_positions(charter, table)
    if free:
        positions = tuple(dataclasses.replace(p, preference=Fraction(0)) if p.series.participation.kind == "capped"
                          else p for p in positions)
    common = table.shares_of(charter.common.id)
    for proceeds in tie_proceeds(charter, common, positions):
        _same_as_oracles(charter, proceeds, common, positions)


def test_the_level_comparisons_decide_the_bundled_charters() -> None:
    """The comparisons, not the allocations, decide every prefix on the bundled charters (else no speed)."""
    for charter_id in ("infinity-1996", "nvidia-1998", "example-modern", "byzantine-1999"):
        charter, table = load_with_table(charter_id)
        positions = series_positions(charter, table)
        common = table.shares_of(charter.common.id)
        for proceeds in [Fraction(0)] + tie_proceeds(charter, common, positions):
            assert None not in prefix_verdicts(charter, proceeds, common, positions, _movable(positions))


def test_a_lone_capped_series_without_common_is_left_to_the_allocations() -> None:
    """With no common and nobody else, a converting series has nobody to leave the residual to: the
    comparisons' proof needs someone else to absorb it, so the waterfall decides (at $0.10 the lemma alone
    would call converting unstable, its level 0.10 below its switch level 0.10 + 0.10, yet staying pays
    the same 10 cents: the preference, and no residual left to participate in)."""
    raw = {
        "format": 1, "id": "lone", "name": "Lone", "date": "2000-01-01", "source": "test",
        "common": {"id": "common", "name": "Common", "authorized": 10, "par": "0.001", "cite": "A"},
        "preferred": {"authorized": 1, "cite": "A"},
        "series": [{"id": "s0", "name": "Series 0", "designated": 1, "original_issue_price": "0.10", "cite": "S",
                    "liquidation": {"preference": "0.10", "rank": 1, "cite": "L"},
                    "participation": {"kind": "capped", "cap_per_share": "0.10", "cite": "P"},
                    "conversion": {"value": "0.10", "initial_price": "0.10", "cite": "C"},
                    "dilution": {"method": "none", "cite": "D"}}],
        "liquidation": {"cite": "L", "shortfall_cite": "L.short", "residual_cite": "L.rest"},
        "conversion": {"cite": "C", "cash_in_lieu_cite": "C.f", "retire_cite": "C.r", "reservation_cite": "C.res"},
        "voting": {"cite": "V", "aggregate": "holder", "tie": "half-up"},
        "dividends": {"cite": "D"},
    }
    charter = build_charter(raw, "<test>")
    table = CapTable(charter.date, (Holding("Ada", "s0", 1),))
    positions = series_positions(charter, table)
    for proceeds in (Fraction(0), Fraction(1, 20), Fraction(1, 10), Fraction(3, 10)):
        _same_as_oracles(charter, proceeds, 0, positions)
        if proceeds >= Fraction(1, 10):  # its preference paid: converting is compared by levels, or would be
            assert prefix_verdicts(charter, proceeds, 0, positions, _movable(positions))[1] is None
