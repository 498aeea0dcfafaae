"""'held' means exercised: each invariant counts the examples that reached its clause; none is 'vacuous'."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter_oracle.invariants import registry as r
from charter_oracle.invariants.domains import adjustments, compliance
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case
from charter_oracle.invariants.mutants import applied
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.invariants.reach import reached, recording
from charter_oracle.invariants.suite import run_invariant
from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import CapTable, Holding, load_cap_table
from charter_oracle.oracle.charter_file import load_charter

# Issues past nvidia's start date in the ci profile's histories: at least this many.
CI_MINIMUM = 10


def _load(charter_id: str):  # type: ignore[no-untyped-def]
    charter = load_charter(charter_id)
    return charter, load_cap_table(bundled.reference_cap_table(charter_id), charter)


def test_reached_counts_only_inside_recording() -> None:
    reached()  # outside any recording: nothing to mark, no error (checks stay usable from plain tests)
    with recording() as untouched:
        pass
    with recording() as touched:
        reached()
    assert (untouched[0], touched[0]) == (False, True)


def _toy(check, cases=None):  # type: ignore[no-untyped-def]
    """conservation's scope and cites, with the check (and cases) under test."""
    charter, table = _load("byzantine-1999")
    small = st.integers(0, 99).map(lambda n: Case(table, params=(("n", n),)))
    return dataclasses.replace(r.BY_ID["conservation"], check=check, cases=lambda c, b: cases or small), charter, table


def test_examples_that_never_reach_the_clause_make_the_verdict_vacuous() -> None:
    invariant, charter, table = _toy(lambda c, case: None)
    verdict = run_invariant(invariant, charter, table, "ci")
    assert (verdict.verdict, verdict.exercised) == ("vacuous", 0)
    assert verdict.examples == profile_settings("ci").max_examples  # 100 distinct values: every example is generated
    assert verdict.to_json()["examples"] == verdict.examples and verdict.to_json()["exercised"] == 0


def test_exercised_counts_exactly_the_examples_that_reached() -> None:
    seen: list[int] = []

    def check(charter, case) -> None:  # type: ignore[no-untyped-def]
        seen.append(case.param("n"))
        if case.param("n") % 2:
            reached()
    invariant, charter, table = _toy(check)
    verdict = run_invariant(invariant, charter, table, "ci")
    odd = sum(n % 2 for n in seen)  # counted by hand from what the check was given
    assert verdict.verdict == "held" and verdict.examples == len(seen) and verdict.exercised == odd
    assert 0 < odd < len(seen)


def test_nvidia_histories_reach_past_the_anti_dilution_start_date() -> None:
    """nvidia IV.D.3(G) governs issues from 1998-02-23 on: generated issues fall there, not in another charter's era."""
    charter, table = _load("nvidia-1998")
    start = charter.dilution.start_date
    assert start == dt.date(1998, 2, 23) and gen.event_window(charter, table)[0] >= start
    dates: list[dt.date] = []

    @settings(profile_settings("ci"))
    @given(adjustments.history_cases(charter, table))
    def collect(case: Case) -> None:
        dates.extend(e.date for e in case.events if e.kind == "issue")
    collect()
    after = [d for d in dates if d >= start]
    assert len(after) >= CI_MINIMUM and len(after) > len(dates) // 2, (len(after), len(dates))


def test_generated_tables_and_fixed_cases_take_their_dates_and_classes_from_the_charter() -> None:
    """A charter of 2024 gets tables dated from 2024 on, and cases built on its own common class id."""
    charter = load_charter("example-modern")
    renamed = dataclasses.replace(charter, common=dataclasses.replace(charter.common, id="ordinary"))
    seen: list[CapTable] = []

    @settings(profile_settings("ci"))
    @given(gen.cap_tables(charter), compliance.threshold_cases(renamed, None))
    def collect(table: CapTable, case: Case) -> None:
        seen.append(table)
        assert case.table.holdings == (Holding("X", "ordinary", 1),) and case.table.as_of == charter.date
    collect()
    assert all(t.as_of >= dt.date(2024, 6, 1) for t in seen)


@pytest.mark.parametrize("mutant_id, charter_id", [("weighted-average-on-nvidia-series-c", "nvidia-1998"),
                                                   ("weighted-average-on-infinity-series-a", "infinity-1996")])
def test_unprotected_series_mutants_are_killed_by_the_scope_invariant(mutant_id: str, charter_id: str) -> None:
    """The weighted average applied to a series the charter leaves unprotected: anti-dilution-scope itself sees it."""
    charter, table = _load(charter_id)
    with applied(mutant_id):
        verdict = run_invariant(r.BY_ID["anti-dilution-scope"], charter, table, "ci")
    assert verdict.verdict == "violated" and "has no dilution protection but moved" in verdict.message
    assert run_invariant(r.BY_ID["anti-dilution-scope"], charter, table, "ci").verdict == "held"
