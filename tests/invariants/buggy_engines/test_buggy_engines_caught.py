"""The plugin's default profile catches every classic bug on every bundled charter where it can show.

In-process (``impl_check.check``, the logic behind the plugin's ``--charter-impl``
items), parametrized bug x charter so that xdist spreads it. A bug that cannot show
on a charter (a cap bug where nothing is capped) is checked not to show on the
probes there, so "cannot show" is a claim that is tested too, not a skip.
Print the whole table with ``python -m charter_oracle.invariants.buggy_engines``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from charter_oracle.invariants import buggy_engines as bugs
from charter_oracle.invariants.impl_check import Checker, Target, check, render
from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.voting import count_votes


def _target(charter_id: str, rounding: str = "exact") -> Target:
    charter = load_charter(charter_id)
    return Target(charter_id, charter, load_cap_table(bundled.reference_cap_table(charter_id), charter), "ci", rounding)


PAIRS = [(entry, cid) for entry in bugs.CATALOGUE for cid in bundled.CHARTER_IDS]
# The check that catches each bug (the other is not run once it is caught): distribute, unless named here.
CAUGHT_BY = {"votes-rounded-per-series": "votes"}


@pytest.mark.parametrize(("entry", "charter_id"), PAIRS, ids=[f"{e.id}-{c}" for e, c in PAIRS])
def test_each_bug_is_caught_where_it_can_show(entry: bugs.BuggyEngine, charter_id: str) -> None:
    target = _target(charter_id, entry.rounding)
    applies, why = entry.applies(target.charter)
    checks = ("distribute", "votes")
    if not applies:
        for what in checks:  # the claim "cannot show" holds on every probe
            found = Checker(entry.engine, entry.id, what, target).probe()
            assert found is None, f"{entry.id} said to be unable to show on {charter_id} ({why}), but: {found}"
        return
    expected = CAUGHT_BY.get(entry.id, "distribute")
    report = check(entry.engine, entry.id, expected, target)
    if report is None:  # say whether the other check catches it (then CAUGHT_BY is out of date) or none does
        other = next(what for what in checks if what != expected)
        caught = check(entry.engine, entry.id, other, target) is not None
        assert caught is False, f"{entry.id} on {charter_id} is caught by {other}, not {expected}: update CAUGHT_BY"
    assert report is not None, f"{entry.id} ({entry.mistake}) passes the ci profile on {charter_id}"
    print(f"{entry.id} x {charter_id}: caught by {report['check']}\n{render(report)}")


class OracleByPath:
    """A correct engine that only reads the files it is given (the plain string contract)."""

    @staticmethod
    def distribute(charter: str, cap_table: str, proceeds: Fraction) -> dict[str, str]:
        loaded = load_charter(charter)
        return {h: str(a) for h, a in distribute(loaded, load_cap_table(cap_table, loaded), proceeds).holders}

    @staticmethod
    def votes(charter: str, cap_table: str) -> dict[str, int]:
        loaded = load_charter(charter)
        return {v.holder: v.total for v in count_votes(loaded, load_cap_table(cap_table, loaded)).holders}


CORRECT: list[tuple[str, Any, str, str]] = [
    *[("classic", bugs.CORRECT, "exact", cid) for cid in bundled.CHARTER_IDS],
    *[("cents", bugs.CORRECT_CENTS, "cents", cid) for cid in bundled.CHARTER_IDS],
    ("by-path", OracleByPath(), "exact", "example-modern"),
]


@pytest.mark.parametrize(("name", "engine", "rounding", "charter_id"), CORRECT,
                         ids=[f"{n}-{c}" for n, _, _, c in CORRECT])
def test_correct_engines_pass(name: str, engine: Any, rounding: str, charter_id: str) -> None:
    target = _target(charter_id, rounding)
    for what in ("distribute", "votes"):
        report = check(engine, name, what, target)
        assert report is None, render(report)


def test_a_cents_engine_fails_the_exact_rule() -> None:
    """The cents rule is what lets it pass: compared exactly, whole cents differ from the oracle."""
    report = check(bugs.CORRECT_CENTS, "cents", "distribute", _target("byzantine-1999"))
    assert report is not None


def test_failure_names_the_class_first_with_its_clause_then_holders() -> None:
    report = check(bugs.SHORTFALL_BY_SHARES, "shortfall-by-shares", "distribute", _target("example-modern"))
    assert report is not None
    message = report["message"]
    # The reference table is short in the tier between 11,480,000 (C: 1,500,000 x (4.00 + 0.32) =
    # 6,480,000; B: 2,500,000 x 2.00 = 5,000,000) and 16,480,000; by shares A-1 gets more than by amount.
    classes = {line["class"]: line for line in report["classes"]}
    assert set(classes) == {"series_a1", "series_a2"}
    assert classes["series_a1"]["got"] == "too much" and classes["series_a2"]["got"] == "too little"
    assert "IV.B.2(b)" in classes["series_a2"]["clause"] and "shortfall" in classes["series_a2"]["clause"]
    assert message.index("series_a") < message.index("holders:")
    assert Fraction(report["proceeds"]) >= Fraction(11_480_000)


def test_counterexamples_are_minimal() -> None:
    """No declared dividends, options or price overrides unless the bug needs them; holders kept few."""
    for entry in bugs.CATALOGUE[:4]:
        target = _target("example-modern", entry.rounding)
        report = check(entry.engine, entry.id, "distribute", target)
        assert report is not None
        text = open(report["cap_table_file"], encoding="utf-8").read()
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        assert "[[options]]" not in body and "[conversion_prices]" not in body, (entry.id, body)
        assert "[declared_unpaid_dividends]" not in body, (entry.id, body)
        assert body.count("[[holdings]]") <= 4, (entry.id, body)


def test_show_gives_decimals_with_the_exact_value_beside() -> None:
    from charter_oracle.invariants.impl_compare import show
    assert show(Fraction(1234567, 100)) == "12,345.67"
    assert show(Fraction(1000000, 3)) == "333,333.333333… (exact 1000000/3)"
    assert show(Fraction(-1, 7000000)) == "-0.000000142857… (exact -1/7000000)"
