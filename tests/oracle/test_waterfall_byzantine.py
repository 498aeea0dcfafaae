"""byzantine-1999 Art. VI: one class of common; by Delaware's default every share takes the same.

The degenerate case: no preferences, no participation, no conversion. Amounts are exact fractions;
the per-share split must sum exactly to the proceeds even when the share count is odd.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import build_cap_table, load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.liquidation import distribute

BYZ = load_charter("byzantine-1999")


def table(holdings, charter=BYZ):
    raw = {"as_of": "2000-03-31",
           "holdings": [{"holder": h, "class": "common", "shares": s} for h, s in holdings]}
    return build_cap_table(raw, charter, "hand-made")


def conserved(d):
    assert sum((v for _, v in d.holders), F(0)) == d.proceeds
    assert sum((v for _, v in d.classes), F(0)) == d.proceeds
    assert all(v >= 0 for _, v in d.holders)


def test_odd_share_count_exact_thirds():
    # 3 shares, $100: 100/3 per share, not 33.33
    d = distribute(BYZ, table([("X", 1), ("Y", 2)]), F(100))
    conserved(d)
    assert d.holder_amount("X") == F(100, 3)
    assert d.holder_amount("Y") == F(200, 3)
    assert d.class_amount("common") == F(100)
    assert d.converted == frozenset() and d.stable_outcomes == (frozenset(),)


def test_every_share_gets_the_same_amount():
    holdings = [("A", 1), ("B", 7), ("C", 13), ("D", 1000001)]
    total_shares = 1 + 7 + 13 + 1000001  # 1,000,022
    proceeds = F("12345.67")
    d = distribute(BYZ, table(holdings), proceeds)
    conserved(d)
    for holder, shares in holdings:
        assert d.holder_amount(holder) == proceeds * shares / total_shares
        assert d.holder_amount(holder) / shares == proceeds / total_shares


def test_repeated_holder_rows_are_aggregated():
    d = distribute(BYZ, table([("X", 1), ("Y", 2), ("X", 4)]), F(7))
    conserved(d)
    assert dict(d.holders) == {"X": F(5), "Y": F(2)}


def test_reference_cap_table():
    # 6,000,001 shares (an odd count): Founder One 3,000,000, Founder Two 2,000,001, Seed 1,000,000
    tbl = load_cap_table(bundled.reference_cap_table("byzantine-1999"), BYZ)
    d = distribute(BYZ, tbl, F(1_000_000))
    conserved(d)
    assert d.holder_amount("Founder One") == F(1_000_000) * 3_000_000 / 6_000_001
    assert d.holder_amount("Founder Two") == F(1_000_000) * 2_000_001 / 6_000_001
    assert d.holder_amount("Seed Investor") == F(1_000_000) * 1_000_000 / 6_000_001
    assert d.holder_amount("Founder One").denominator == 6_000_001


@pytest.mark.parametrize("proceeds", ["0", "0.01", "1", "999999.99", "1/3"])
def test_conservation_at_small_and_odd_proceeds(proceeds):
    d = distribute(BYZ, table([("X", 3), ("Y", 5), ("Z", 11)]), F(proceeds))
    conserved(d)
    assert d.holder_amount("Y") == F(proceeds) * 5 / 19


def test_cents_view_largest_remainder():
    # 1 + 2 + 4 = 7 shares, $1.00: exact 1/7 = 0.142857, 2/7 = 0.285714, 4/7 = 0.571428;
    # floors 0.14 + 0.28 + 0.57 = 0.99; remainders 0.002857, 0.005714, 0.001428: the cent goes to Y.
    charter = load_charter("byzantine-1999", {"all.payout-cents": "cents"})
    d = distribute(charter, table([("X", 1), ("Y", 2), ("Z", 4)], charter), F(1))
    assert dict(d.holders) == {"X": F("0.14"), "Y": F("0.29"), "Z": F("0.57")}
    assert sum(v for _, v in d.holders) == 1
    assert dict(d.classes) == {"common": F(1)}


def test_cents_view_ties_go_in_cap_table_order():
    # 3 equal holders, $1.00: 0.3333 each; one cent left over goes to the first in cap-table order
    charter = load_charter("byzantine-1999", {"all.payout-cents": "cents"})
    d = distribute(charter, table([("P", 1), ("Q", 1), ("R", 1)], charter), F(1))
    assert dict(d.holders) == {"P": F("0.34"), "Q": F("0.33"), "R": F("0.33")}


def test_cents_view_many_holders_sums_exactly():
    charter = load_charter("byzantine-1999", {"all.payout-cents": "cents"})
    holdings = [(f"H{i}", 2 * i + 1) for i in range(60)]  # odd counts, 3600 shares in all
    proceeds = F("1000000.07")
    d = distribute(charter, table(holdings, charter), proceeds)
    exact = distribute(BYZ, table(holdings), proceeds)
    assert sum(v for _, v in d.holders) == proceeds
    for holder, amount in d.holders:
        assert (amount * 100).denominator == 1
        assert abs(amount - exact.holder_amount(holder)) < F("0.01")
    # largest remainder never moves anyone by a whole cent: at most (number of holders - 1) cents go out
    extra = sum(amount - (exact.holder_amount(h) * 100).__floor__() / F(100) for h, amount in d.holders)
    assert extra < F(60, 100)


def test_cents_view_with_sub_cent_proceeds_conserves_or_refuses():
    from charter_oracle.oracle.errors import InputError

    charter = load_charter("byzantine-1999", {"all.payout-cents": "cents"})
    try:
        d = distribute(charter, table([("X", 1), ("Y", 2)], charter), F("100.005"))
    except InputError:
        return  # refusing proceeds that are not whole cents is acceptable
    assert sum(v for _, v in d.holders) == d.proceeds
