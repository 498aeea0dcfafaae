"""Every mutant of the oracle is killed by the ci-profile suite (a survivor means a weak invariant).

Each mutant is run here on the invariants its catalogue entry names as the ones that catch it
(``Mutant.hints``), on its charters, with the ci profile's own examples but no shrinking: whether a
mutant is killed is decided by the examples generated, not by how small the counterexample is made,
and the invariants the entry does not name are tried only by the whole catalogue (``check --mutants``,
``charter-oracle mutants``; ``run_mutant`` itself is tested below). A mutant that only an unnamed
invariant kills fails here: name that invariant in its ``hints``.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys

import pytest
from hypothesis import Phase, settings

from charter_oracle.invariants.mutants import MUTANTS, Mutant, run_mutant
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.invariants.registry import BY_ID
from charter_oracle.invariants.suite import run_invariant
from charter_oracle.oracle.loading import load_with_table

_CI = profile_settings("ci")
CI_UNSHRUNK = settings(_CI, phases=tuple(phase for phase in _CI.phases if phase is not Phase.shrink))


def _killer(mutant: Mutant) -> tuple[str, str] | None:
    """``run_mutant`` on the hinted invariants only: the (charter, invariant) that kills the mutant, or None."""
    with mutant.patch():
        for charter_id in mutant.charters:
            charter, table = load_with_table(charter_id)
            for invariant_id in mutant.hints:
                verdict = run_invariant(BY_ID[invariant_id], charter, table, CI_UNSHRUNK)
                if verdict.verdict in ("violated", "error"):  # as run_mutant: a crash it causes is caught too
                    return charter_id, invariant_id
    return None


def test_catalogue_is_large_enough_and_ids_unique() -> None:
    assert len(MUTANTS) >= 15
    assert len({m.id for m in MUTANTS}) == len(MUTANTS)


def test_every_mutant_names_the_oracle_invariants_that_catch_it() -> None:
    # run_mutant runs oracle invariants only: a charter property named as a hint could never kill it
    for mutant in MUTANTS:
        assert mutant.hints and mutant.charters, mutant.id
        assert all(BY_ID[h].kind == "oracle" for h in mutant.hints), mutant.id


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_mutant_is_killed(mutant: Mutant) -> None:
    assert _killer(mutant) is not None, f"{mutant.id} survived its hinted invariants: strengthen an invariant"


def test_run_mutant_reports_the_killer_and_a_survivor() -> None:
    """The catalogue's own loop: every oracle invariant, hinted ones first; a mutant that changes nothing survives."""
    killed = run_mutant(MUTANTS[0], "ci")
    assert killed.killed and (killed.charter, killed.invariant) == (MUTANTS[0].charters[0], MUTANTS[0].hints[0])
    harmless = Mutant("changes-nothing", "no mistake at all", ("byzantine-1999",), contextlib.nullcontext)
    small = settings(CI_UNSHRUNK, max_examples=5)  # every oracle invariant runs on the real oracle: cheaply
    survived = run_mutant(harmless, small)  # type: ignore[arg-type]  # run_invariant takes a settings object
    assert not survived.killed and survived.message == "survived every invariant"


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
