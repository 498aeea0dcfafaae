"""The public API: JSON shape and exactness, determinism, the text table, witnesses replayed."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest
import z3

from _solver_cases import bundled, solved
from charter_oracle.solver.generated import generated
from charter_oracle.solver.model import WaterfallModel
from charter_oracle.solver.replay import cross_check_sweep
from charter_oracle.solver.sweep import sweep
from charter_oracle.solver.symbolic import Z3Backend, q

from charter_oracle import solver


def test_json_shape_and_exact_strings() -> None:
    data = solver.to_json(solved("infinity-1996"))
    assert set(data) == {"charter", "interpretations", "breakpoints", "indifference", "proofs", "witnesses"}
    assert data["charter"] == "infinity-1996"
    assert data["interpretations"]["infinity.cent-tie"] == "half-up"
    assert [F(b) for b in data["breakpoints"]][0] == F("1960417.23")
    for intervals in data["indifference"].values():
        for interval in intervals:
            assert F(interval["from"]) <= F(interval["to"])
    assert {p["verdict"] for p in data["proofs"].values()} == {"proved"}
    json.dumps(data)  # serialisable as is


def test_same_inputs_same_bytes() -> None:
    charter, table = bundled("nvidia-1998")
    first = json.dumps(solver.to_json(solver.solve(charter, table)), sort_keys=True)
    second = json.dumps(solver.to_json(solver.solve(charter, table)), sort_keys=True)
    assert first == second


@pytest.mark.parametrize("charter_id", ["byzantine-1999", "infinity-1996", "nvidia-1998", "example-modern", "nvca-style"])
def test_every_witness_agrees_with_the_oracle(charter_id: str) -> None:
    result = solved(charter_id)
    assert result.failures == ()
    assert all(w.agrees and w.replayed for w in result.witnesses)


def test_searches_find_the_stated_boundaries() -> None:
    nvidia = solver.to_json(solved("nvidia-1998"))["witnesses"]
    offering = [w for w in nvidia if w["id"] == "offering-threshold"][0]
    # IV.D.3(B)(ii): at least $10.00 and net proceeds *exceeding* $15,000,000: the least cent is .01 above.
    assert offering["values"] == {"price": "10", "net_amount": "15000000.01", "firm_commitment": True}
    infinity = solver.to_json(solved("infinity-1996"))["witnesses"]
    legs = [w for w in infinity if w["id"] == "cap-leg-switch"]
    # 3(b): 15% of $1.69 a year reaches $1.69 after 365 / 0.15 = 2433 1/3 days: day 2434 is the first.
    assert [(w["values"]["days"], w["values"]["cap_per_share"]) for w in legs] == [
        ("2433", "1233531/730000"), ("2434", "1.69")]
    half = [w for w in infinity if w["id"] == "vote-half"][0]
    assert F(half["values"]["exact_votes"]) % 1 == F(1, 2)
    price = [w for w in infinity if w["id"] == "price-half-cent"][0]
    assert (F(price["values"]["exact_price"]) * 200) % 2 == 1  # an odd number of half cents


def test_text_table_names_the_clauses() -> None:
    text = solver.to_text(solved("infinity-1996"))
    for expected in ("$1,960,417.23", "rank 1 preferences filled", "IV.3(a)", "series_c participation cap reached",
                     "IV.3(b)", "series_a converts", "IV.4(a)", "proved"):
        assert expected in text


def test_z3_confirms_every_region_of_the_sweep() -> None:
    """An independent check of the sweep: inside each region z3 proves the payouts are the lines."""
    charter, table = bundled("infinity-1996")
    model = WaterfallModel.of(charter, table)
    p = z3.Real("P")
    outcome = model.outcome(Z3Backend(p))
    for region in sweep(model).regions:
        s = z3.Solver()
        s.set("rlimit", 5_000_000)
        s.add(p > q(region.lo), *([p < q(region.hi)] if region.hi is not None else []))
        s.add(z3.Or(*[outcome.classes[c] != q(line.slope) * p + q(line.intercept) for c, line in region.classes]))
        assert s.check() == z3.unsat, (region.lo, region.hi)


def test_generated_charter_agrees_with_the_oracle_everywhere() -> None:
    charter, table = generated(6)
    model = WaterfallModel.of(charter, table)
    checks, failures = cross_check_sweep(model, table, sweep(model))
    assert checks > 20 and failures == []


def test_the_model_read_off_the_sweep_is_the_model_read_afresh() -> None:
    """Witnesses take the model's values at sweep points from the sweep: they must be the values a
    fresh reading of the model gives there."""
    from charter_oracle.solver.generated import generated
    from charter_oracle.solver.model import WaterfallModel
    from charter_oracle.solver.replay import Replay, model_classes
    from charter_oracle.solver.sweep import sweep
    from _solver_cases import bundled

    for charter, table in (bundled("nvidia-1998"), bundled("infinity-1996"), generated(7)):
        model = WaterfallModel.of(charter, table)
        swept = sweep(model)
        replay = Replay(model, table, swept)
        for point in swept.points:
            assert replay.model_at(point.at) == model_classes(model, point.at) == dict(point.classes)


def test_every_cell_of_the_sweep_is_the_model_read_afresh_inside_it() -> None:
    """The proofs are stated over the sweep's cells, so each cell's lines must be what the model pays
    anywhere in it: checked against a fresh reading of the model (classes, who converts, gains) at a
    third of the way into each region and just past its start."""
    import dataclasses
    from fractions import Fraction

    from charter_oracle.solver.generated import generated
    from charter_oracle.solver.model import WaterfallModel
    from charter_oracle.solver.sweep import sweep
    from charter_oracle.solver.symbolic import LineBackend

    for count, rule in ((5, "preferred-best"), (7, "fewest-conversions")):
        model = dataclasses.replace(WaterfallModel.of(*generated(count)), equilibrium=rule)
        for region in sweep(model).regions:
            width = (region.hi - region.lo) if region.hi is not None else Fraction(3_000_000)
            for at in (region.lo + width / 3, region.lo + width / 10**6):
                fresh = model.outcome(LineBackend(at, "point"))
                assert {c: line.at(at) for c, line in fresh.classes.items()} == {
                    c: line.at(at) for c, line in region.classes}, (count, rule, at)
                assert {s for s, flag in fresh.converting.items() if flag} == region.converting
                assert {s: g.at(at) for s, g in fresh.gain_from_converting.items()} == {
                    s: g.at(at) for s, g in region.gains}
