"""The NVCA extras' invariants have teeth: each mutant of redemption, pay-to-play and options-in-exit is killed
on the user charters that have the term, and each invariant holds on the real oracle there.

The redemption and pay-to-play mutants join the catalogue once ``nvca-style`` is bundled
(``invariants/mutants/redemption.py``); meanwhile this is where they are killed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from charter_oracle.invariants.mutants import BY_ID as CATALOGUE
from charter_oracle.invariants.mutants.exit_options import MUTANTS as EXIT_MUTANTS
from charter_oracle.invariants.mutants.redemption import PENDING
from charter_oracle.invariants.registry import BY_ID
from charter_oracle.invariants.suite import profile_settings, run_invariant
from charter_oracle.oracle.loading import load_with_table

CORPUS = Path(__file__).resolve().parents[1] / "user_charters"
WHERE = {"redemption-installments": "redeemable", "pay-to-play-non-buyers": "pay-to-play",
         "options-in-exit": "exit-warrants"}
FAST = settings(profile_settings("ci"), max_examples=20)


def _run(invariant_id: str) -> str:
    name = WHERE[invariant_id]
    charter, table = load_with_table(str(CORPUS / f"{name}.toml"), CORPUS / f"{name}.cap-table.toml")
    return run_invariant(BY_ID[invariant_id], charter, table, FAST).verdict


@pytest.mark.parametrize("invariant_id", sorted(WHERE))
def test_the_invariant_holds_on_the_oracle(invariant_id: str) -> None:
    assert _run(invariant_id) == "held"


@pytest.mark.parametrize("mutant", PENDING + EXIT_MUTANTS, ids=lambda m: m.id)
def test_each_mutant_is_killed_by_its_invariant(mutant) -> None:  # noqa: ANN001
    with mutant.patch():
        assert _run(mutant.hints[0]) == "violated"


def test_the_options_mutants_are_in_the_catalogue_and_the_pending_ones_wait_for_nvca_style() -> None:
    assert {"exercise-price-left-out", "unvested-options-exercise"} <= set(CATALOGUE)
    assert all(m.charters == ("nvca-style",) for m in PENDING)
