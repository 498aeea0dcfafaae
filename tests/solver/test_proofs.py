"""Proof verdicts: proved on the bundled charters, counterexample on a deliberately broken model."""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F
from typing import Any

import pytest

from charter_oracle.oracle.liquidation import distribute
from charter_oracle.solver.model import WaterfallModel
from charter_oracle.solver.replay import model_classes
from charter_oracle.solver.proofs import EXISTENCE, INVARIANTS, Prover
from charter_oracle.solver.symbolic import Backend
from _solver_cases import bundled, solved

from charter_oracle import solver


@pytest.mark.parametrize("charter_id", ["infinity-1996", "nvidia-1998", "example-modern", "nvca-style"])
def test_every_invariant_is_proved(charter_id: str) -> None:
    verdicts = {p.invariant: p.verdict for p in solved(charter_id).proofs}
    assert verdicts == {name: "proved" for name in (EXISTENCE, *INVARIANTS)}


def test_common_only_charter_reports_preference_invariants_as_not_applicable() -> None:
    verdicts = {p.invariant: p.verdict for p in solved("byzantine-1999").proofs}
    assert verdicts["conservation"] == verdicts["monotone-continuous"] == "proved"
    for name in ("preference-priority", "pro-rata-shortfall", "participation-cap", "conversion-rational"):
        assert verdicts[name] == "not-applicable"


class GenerousToCommon(WaterfallModel):
    """A broken waterfall: common gets one extra part per thousand out of nowhere."""

    def allocation(self, bk: Backend, converting: frozenset[str]) -> dict[str, Any]:
        totals = super().allocation(bk, converting)
        totals["common"] = bk.add(totals["common"], bk.scale(totals["common"], F(1, 1000)))
        return totals


class NoCap(WaterfallModel):
    """A broken waterfall: Series C's 3(b) participation is never capped."""

    def allocation(self, bk: Backend, converting: frozenset[str]) -> dict[str, Any]:
        positions = tuple(dataclasses.replace(p, participation_cap=None) for p in self.positions)
        return WaterfallModel(self.charter, positions, self.common_shares, self.equilibrium).allocation(bk, converting)


def _broken(cls: type[WaterfallModel], charter_id: str) -> tuple[WaterfallModel, Any, Any]:
    charter, table = bundled(charter_id)
    base = WaterfallModel.of(charter, table)
    return cls(base.charter, base.positions, base.common_shares, base.equilibrium), charter, table


def test_broken_model_gives_a_canonical_counterexample() -> None:
    model, charter, table = _broken(GenerousToCommon, "infinity-1996")
    proof = Prover(model, table).prove("conservation")
    assert proof.verdict == "counterexample"
    # Common is first paid just above the total preference (1,960,417.23): the smallest whole
    # dollar of that region is the canonical witness.
    assert dict(proof.witness) == {"proceeds": F(1960418)}


def test_uncapped_participation_breaks_the_cap_invariant() -> None:
    model, charter, table = _broken(NoCap, "infinity-1996")
    proof = Prover(model, table).prove("participation-cap")
    assert proof.verdict == "counterexample"
    at = dict(proof.witness)["proceeds"]
    # the oracle, which caps, pays Series C less there than the broken model claims
    oracle_c = distribute(charter, table, at).class_amount("series_c")
    assert oracle_c < model_classes(model, at)["series_c"]


def test_disagreement_with_the_oracle_is_loud() -> None:
    model, charter, table = _broken(GenerousToCommon, "infinity-1996")
    with pytest.raises(solver.SolverDisagreement, match="oracle"):
        solver.solve(charter, table, model=model, searches=False)
    result = solver.solve(charter, table, model=model, searches=False, strict=False)
    assert result.failures and all("model pays" in f or "solver expects" in f for f in result.failures)
    first = result.failures[0]
    assert "oracle" in first and "common=" in first  # both values are in the message


def test_rlimit_exhaustion_is_unknown_not_proved() -> None:
    charter, table = bundled("nvidia-1998")
    proof = Prover(WaterfallModel.of(charter, table), table, rlimit=1).prove("monotone-continuous")
    assert proof.verdict == "unknown" and proof.reason.startswith("z3:")


def test_existence_of_a_stable_outcome_is_proved_and_every_proof_says_what_it_rests_on() -> None:
    data = solver.to_json(solved("nvidia-1998"))
    assert data["proofs"]["stable-outcome-exists"]["verdict"] == "proved"
    for name, proof in data["proofs"].items():
        assert any("this cap table" in a for a in proof["assumptions"]), name
        if name != "stable-outcome-exists":
            assert "stable-outcome-exists: proved" in proof["assumptions"], name


def test_no_proof_claimed_when_existence_is_not_proved(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proof read on 'the stable outcome' says nothing where none might exist: unproved existence
    turns every would-be 'proved' into 'unknown' with the reason, never a silent assumption."""
    from charter_oracle.solver import proofs as pr

    def unknown(self: pr.Prover) -> pr.Proof:
        return pr.Proof(pr.EXISTENCE, "unknown", "planted", (), reason="z3: canceled")

    monkeypatch.setattr(pr.Prover, "stable_outcome_exists", unknown)
    charter, table = bundled("nvidia-1998")
    result = solver.solve(charter, table, searches=False)
    verdicts = {p.invariant: p.verdict for p in result.proofs}
    assert "proved" not in verdicts.values(), verdicts
    assert verdicts["conservation"] == "unknown"
    conservation = next(p for p in result.proofs if p.invariant == "conservation")
    assert "stable-outcome-exists is unknown (z3: canceled)" in conservation.reason


@pytest.mark.parametrize("charter_id", ["byzantine-1999", "infinity-1996", "nvidia-1998", "example-modern", "nvca-style"])
def test_proofs_on_the_sweeps_cells_agree_with_proofs_on_the_models_own_formula(
        charter_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The proofs are stated over the sweep's cells; with the sweep unavailable they fall back to
    the model's whole formula. Both readings must give the same verdicts."""
    from charter_oracle.solver import proofs as pr
    from charter_oracle.solver.sweep import SweepError

    charter, table = bundled(charter_id)
    model = WaterfallModel.of(charter, table)
    on_cells = Prover(model, table)
    assert on_cells.outcome is None and on_cells.cases  # the cells, not the formula

    def unavailable(_: WaterfallModel) -> None:
        raise SweepError("planted")

    monkeypatch.setattr(pr, "sweep", unavailable)
    on_formula = Prover(model, table)
    assert on_formula.outcome is not None and not on_formula.cases
    for name in INVARIANTS:
        assert on_cells.prove(name).verdict == on_formula.prove(name).verdict, name
    assert on_cells.stable_outcome_exists().verdict == on_formula.stable_outcome_exists().verdict == "proved"


class JumpForCommon(WaterfallModel):
    """A broken waterfall: common gets one extra dollar out of nowhere above $3,000,000 of proceeds.
    (Strictly above: at $3,000,000 itself it is paid as just below, as the sweep's boundary reading
    of an allocation assumes; the model's own allocations are continuous.)"""

    def allocation(self, bk: Backend, converting: frozenset[str]) -> dict[str, Any]:
        totals = super().allocation(bk, converting)
        above = bk.lt(bk.const(F(3_000_000)), bk.proceeds)
        totals["common"] = bk.add(totals["common"], bk.ite(above, bk.const(F(1)), bk.const(F(0))))
        return totals


def test_a_jump_between_two_cells_is_a_monotone_counterexample() -> None:
    # Within each cell every payout is a line with slope between 0 and 1; only a pair of exit
    # values on both sides of $3,000,000 (neighbouring cells) shows the jump of one dollar.
    model, charter, table = _broken(JumpForCommon, "infinity-1996")
    proof = Prover(model, table).prove("monotone-continuous")
    assert proof.verdict == "counterexample"
    first, later = dict(proof.witness)["proceeds"], dict(proof.witness)["proceeds_later"]
    assert first <= 3_000_000 < later
    jump = model_classes(model, later)["common"] - model_classes(model, first)["common"]
    assert jump > later - first  # rises by more than the rise in proceeds


def test_a_slope_above_one_inside_a_cell_is_a_monotone_counterexample() -> None:
    # byzantine-1999 has common only: common's line is P itself, and 1.001 P rises faster than P.
    model, charter, table = _broken(GenerousToCommon, "byzantine-1999")
    proof = Prover(model, table).prove("monotone-continuous")
    assert proof.verdict == "counterexample"
    first, later = dict(proof.witness)["proceeds"], dict(proof.witness)["proceeds_later"]
    assert F(1001, 1000) * (later - first) > later - first >= 0
