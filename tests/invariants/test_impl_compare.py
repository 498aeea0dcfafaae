"""The comparison rules of --charter-impl: exact, cents, votes, and class totals read back from holders."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.impl_compare import Mismatch, compare_distribution, compare_votes, implied_class_totals
from charter_oracle.invariants.impl_probes import breakpoints, minimize, probe_table
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.voting import count_votes

BYZANTINE = load_charter("byzantine-1999")
THIRDS = CapTable(dt.date(2000, 3, 31), (Holding("A", "common", 1), Holding("B", "common", 1), Holding("C", "common", 1)))


def _cents(answer: dict[str, str]) -> None:
    case = Case(THIRDS, Fraction(1))
    compare_distribution(BYZANTINE, case, distribute(BYZANTINE, THIRDS, Fraction(1)), answer, "cents")


def test_cents_rule_accepts_any_largest_remainder_tie_break() -> None:
    # $1.00 in thirds: exact 0.3333... each; the spare cent may go to any one holder.
    for lucky in "ABC":
        _cents({h: "0.34" if h == lucky else "0.33" for h in "ABC"})


def test_cents_rule_refuses_more_than_a_cent_off_even_when_the_sum_is_right() -> None:
    with pytest.raises(Mismatch, match="A: implementation 0.35"):
        _cents({"A": "0.35", "B": "0.33", "C": "0.32"})  # sums to 1.00, but A is 1.67 cents over 1/3


def test_cents_rule_refuses_cents_that_do_not_add_up_and_fractions_of_a_cent() -> None:
    with pytest.raises(Mismatch, match="payouts sum to 0.99, not the proceeds 1"):
        _cents({h: "0.33" for h in "ABC"})
    with pytest.raises(Mismatch, match="not whole cents"):
        _cents({"A": "0.335", "B": "0.335", "C": "0.33"})


def test_exact_rule_refuses_floats_and_cents() -> None:
    case = Case(THIRDS, Fraction(1))
    want = distribute(BYZANTINE, THIRDS, Fraction(1))
    with pytest.raises(Violation, match="float"):
        compare_distribution(BYZANTINE, case, want, {h: 1 / 3 for h in "ABC"}, "exact")
    with pytest.raises(Mismatch):
        compare_distribution(BYZANTINE, case, want, {"A": "0.34", "B": "0.33", "C": "0.33"}, "exact")
    compare_distribution(BYZANTINE, case, want, {h: "1/3" for h in "ABC"}, "exact")


def test_votes_must_be_ints() -> None:
    want = count_votes(BYZANTINE, THIRDS)
    with pytest.raises(Violation, match="float"):
        compare_votes(BYZANTINE, Case(THIRDS), want, {"A": 1.0, "B": 1, "C": 1})
    compare_votes(BYZANTINE, Case(THIRDS), want, {"A": 1, "B": 1, "C": 1})


def test_class_totals_are_read_back_from_holders_when_they_determine_them() -> None:
    table = CapTable(dt.date(1998, 6, 30), (Holding("X", "series_a", 2), Holding("X", "series_b", 1),
                                            Holding("Y", "series_b", 3)))
    # Y holds only B: 3 shares paid 9, so B is 3 per share; X = 2 x A + 1 x 3 = 7, so A is 2 per share.
    # Class totals: A 2 shares x 2 = 4; B 4 shares x 3 = 12.
    got = {"X": Fraction(7), "Y": Fraction(9)}
    assert implied_class_totals(table, got) == {"series_a": Fraction(4), "series_b": Fraction(12)}
    alone = CapTable(dt.date(1998, 6, 30), (Holding("X", "series_a", 2), Holding("X", "series_b", 1)))
    assert implied_class_totals(alone, {"X": Fraction(7)}) is None  # one holder, two classes: undetermined
    same_class = CapTable(dt.date(1998, 6, 30), (Holding("X", "series_a", 1), Holding("Y", "series_a", 1)))
    assert implied_class_totals(same_class, {"X": Fraction(1), "Y": Fraction(2)}) is None  # unequal per share


def test_breakpoints_include_each_tier_end_and_the_shortfall_inside() -> None:
    charter = load_charter("example-modern")
    table = probe_table(charter)
    assert table is not None
    points = breakpoints(charter, table)
    # probe table: one holder per series with its designated count (odd counts: designated - 1 when even).
    c = 1_999_999 * Fraction(4)          # Series C, rank 1: 1,999,999 x 4.00
    b = 2_999_999 * Fraction(2)          # Series B, rank 2: 2,999,999 x 2.00
    a = 2_999_999 * Fraction(1) + 1_999_999 * Fraction(5, 4)  # pari passu, rank 3
    for end in (c, c + b, c + b + a):
        assert end in points
    assert c + b + a / 2 in points        # inside the A tier's shortfall


def test_minimize_drops_what_the_failure_does_not_need() -> None:
    charter = load_charter("nvidia-1998")
    table = CapTable(dt.date(1998, 6, 30), (Holding("X", "series_a", 10), Holding("X", "common", 5), Holding("Y", "common", 7)),
                     declared_unpaid_dividends=(("series_a", Fraction(1, 10)),))
    # A "failure" that needs only that someone holds series_a.
    smaller = minimize(Case(table, Fraction(12345, 100)), charter, lambda c: c.table.shares_of("series_a") > 0)
    assert smaller.table.declared_unpaid_dividends == ()
    assert [(h.class_id, h.shares) for h in smaller.table.holdings] == [("series_a", 10)]
    # 123.45 rounded down: to millions or thousands it would be 0 (not a case), to dollars 123.
    assert smaller.proceeds == Fraction(123)
