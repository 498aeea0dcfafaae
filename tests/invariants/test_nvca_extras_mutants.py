"""The NVCA extras' invariants have teeth: each mutant of redemption, pay-to-play and options-in-exit is killed
on the user charters that have the term, and each invariant holds on the real oracle there.

The catalogue runs the redemption and pay-to-play mutants on the bundled ``nvca-style``; here they are killed on
small charters of their own as well.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from charter_oracle.invariants.mutants import BY_ID as CATALOGUE
from charter_oracle.invariants.mutants.exit_options import MUTANTS as EXIT_MUTANTS
from charter_oracle.invariants.mutants.redemption import MUTANTS as REDEMPTION_MUTANTS
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


@pytest.mark.parametrize("mutant", REDEMPTION_MUTANTS + EXIT_MUTANTS, ids=lambda m: m.id)
def test_each_mutant_is_killed_by_its_invariant(mutant) -> None:  # noqa: ANN001
    with mutant.patch():
        assert _run(mutant.hints[0]) == "violated"


def test_the_extras_mutants_are_in_the_catalogue_and_run_on_nvca_style() -> None:
    assert {"exercise-price-left-out", "unvested-options-exercise", "redemption-shortfall-first-come",
            "pay-to-play-converts-buyers"} <= set(CATALOGUE)
    assert all(m.charters == ("nvca-style",) for m in REDEMPTION_MUTANTS)
