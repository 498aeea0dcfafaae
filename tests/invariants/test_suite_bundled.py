"""The invariant suite on the bundled charters (ci profile): no violations, the expected findings, honest n/a."""

from __future__ import annotations

import json
from fractions import Fraction
from functools import lru_cache

import pytest

from charter_oracle.invariants.registry import BY_ID, INVARIANTS
from charter_oracle.invariants.suite import run_suite
from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import load_cap_table
from charter_oracle.oracle.charter_file import load_charter

REQUIRED_IDS = {
    "conservation", "preference-priority", "pro-rata-shortfall", "equal-treatment", "monotone-continuous",
    "conversion-rational", "participation-cap", "no-conversion-price-increase", "anti-dilution-scope",
    "split-proportional", "vote-rounding", "authorized-cap", "dividend-priority", "threshold-exactness",
    "split-round-trip", "reservation-sufficient", "cash-in-lieu", "automatic-conversion", "protective-consents",
    "deemed-liquidation", "supermajority",
}


@lru_cache(maxsize=None)
def _result(charter_id: str):  # type: ignore[no-untyped-def]
    """The ci suite on a bundled charter, run once per test process (the tests below only read it)."""
    charter = load_charter(charter_id)
    return run_suite(charter, load_cap_table(bundled.reference_cap_table(charter_id), charter), "ci")


@pytest.fixture(scope="module", params=bundled.CHARTER_IDS)
def result(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return _result(request.param)


def test_registry_has_every_catalogued_invariant_with_kebab_ids() -> None:
    assert REQUIRED_IDS <= set(BY_ID)
    for inv in INVARIANTS:
        assert inv.id == inv.id.lower() and " " not in inv.id and "_" not in inv.id
        assert inv.kind in ("oracle", "charter-property")


def test_no_oracle_invariant_is_violated(result) -> None:  # type: ignore[no-untyped-def]
    assert not result.violated, [v.to_json() for v in result.violated]
    assert not result.errors, [v.to_json() for v in result.errors]  # nothing crashed on a bundled charter
    for v in result.verdicts:
        if v.verdict == "held":
            assert v.examples >= v.exercised > 0


def test_ci_profile_exercises_every_applicable_invariant_at_least_ten_times(result) -> None:  # type: ignore[no-untyped-def]
    """'held' means exercised: under ci, each applicable invariant reaches its clause in 10 examples or more."""
    short = {v.invariant: (v.verdict, v.examples, v.exercised) for v in result.verdicts
             if v.verdict == "vacuous" or (v.verdict == "held" and v.exercised < 10)}
    assert not short, f"{result.charter}: under-exercised invariants (verdict, examples, exercised): {short}"
    for v in result.verdicts:  # the rest does not apply (with a reason) or stopped on a counterexample
        assert v.verdict in ("held", "finding", "not applicable"), (v.invariant, v.verdict, v.message)
        if v.verdict == "not applicable":
            assert v.reason and v.examples == 0


def test_result_is_json_serialisable_and_exact(result) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(result.to_json()))
    assert {v["invariant"] for v in data["verdicts"]} == set(BY_ID)
    for v in data["verdicts"]:
        assert isinstance(v["examples"], int) and 0 <= v["exercised"] <= v["examples"]
    for finding in data["findings"]:
        assert finding["clauses"] and finding["counterexample"]["cap_table"].startswith("as_of")
        assert finding["interpretations"]


def test_common_only_charter_reports_preference_invariants_not_applicable() -> None:
    result = _result("byzantine-1999")
    for inv in ("preference-priority", "pro-rata-shortfall", "conversion-rational", "split-round-trip"):
        v = result.verdict(inv)
        assert v.verdict == "not applicable" and "no preferred" in v.reason
    assert result.verdict("conservation").verdict == "held"
    assert not result.findings


def test_expected_infinity_findings() -> None:
    result = _result("infinity-1996")
    found = {f.invariant: f for f in result.findings}
    # 4(h)(iii): a held-back sub-cent change is released by the round trip (1.69 -> 1.68 in the shrunk example).
    trip = found["split-round-trip"]
    assert trip.clauses == ("IV.4(d)(vi)(1)", "IV.4(d)(iv); IV.4(h)(i); IV.4(h)(iii)")  # split and rounding clauses
    assert trip.counterexample["events"][-1]["kind"] == "split"
    # 4(d)(iv): only options below the Series A price count, so the base is smaller than a standard one.
    assert any("4(d)(iv)" in c for c in found["broad-based-standard"].clauses)
    # IV.5: no tie rule; half up and half even differ on a holder with an exact half vote.
    assert "infinity.vote-tie" in found["vote-tie-independence"].message
    assert dict(found["vote-tie-independence"].interpretations)["infinity.vote-tie"] == "half-up"


def test_nvidia_has_no_rounding_findings() -> None:
    result = _result("nvidia-1998")
    assert result.verdict("split-round-trip").verdict == "held"  # exact prices (nvidia.price-rounding=exact)
    assert result.verdict("vote-tie-independence").verdict == "not applicable"  # IV.D.4 states half up


def test_shrunk_round_trip_counterexample_replays() -> None:
    """The finding's counterexample, replayed by hand through the ledger, shows the price change."""
    import datetime as dt

    from charter_oracle.oracle.adjustments import Event, run_ledger
    charter = load_charter("infinity-1996")
    finding = next(f for f in _result("infinity-1996").findings if f.invariant == "split-round-trip")
    events = []
    for row in finding.counterexample["events"]:
        kw = {k: (Fraction(v) if k in ("price", "commissions", "ratio", "exercise_price") else v)
              for k, v in row.items() if k not in ("kind", "date")}
        events.append(Event(row["kind"], dt.date.fromisoformat(row["date"]), **kw))
    from charter_oracle.oracle.cap_table import build_cap_table
    import tomllib
    replay_table = build_cap_table(tomllib.loads(finding.counterexample["cap_table"]), charter, "<finding>")
    result = run_ledger(charter, replay_table, events)
    prefix = finding.counterexample["params"]["prefix"]  # events before the split; the state they leave
    before = result.states[prefix - 1] if prefix else result.initial
    assert [e.kind for e in events[prefix:]] == ["split", "split"]
    assert any(result.states[-1].price(s.id) != before.price(s.id) for s in charter.series)
