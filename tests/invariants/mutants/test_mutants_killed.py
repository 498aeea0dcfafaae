"""Every mutant of the oracle is killed by the ci-profile suite (a survivor means a weak invariant)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from charter_oracle.invariants.mutants import MUTANTS, run_mutant


def test_catalogue_is_large_enough_and_ids_unique() -> None:
    assert len(MUTANTS) >= 15
    assert len({m.id for m in MUTANTS}) == len(MUTANTS)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_mutant_is_killed(mutant) -> None:  # type: ignore[no-untyped-def]
    result = run_mutant(mutant, "ci")
    assert result.killed, f"{mutant.id} survived: strengthen an invariant"


def test_mutants_leave_the_oracle_unpatched() -> None:
    """After a mutant's context ends, the real oracle answers again (nothing leaks into other tests)."""
    import charter_oracle.oracle.waterfall as wf
    before = wf.pay_preference_tiers
    with MUTANTS[0].patch():
        assert wf.pay_preference_tiers is not before
    assert wf.pay_preference_tiers is before


def test_command_prints_the_summary_as_json() -> None:
    out = subprocess.run([sys.executable, "-m", "charter_oracle.cli", "mutants", "--only", "two-thirds-as-0.6667",
                          "--only", "at-least-for-more-than"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"total": 2, "killed": 2, "survivors": []}
