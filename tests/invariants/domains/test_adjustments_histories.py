"""Histories in any order: the smallest histories on which the ledger once went wrong, found by the
any-order generator (an expiry or repricing after a split replayed in pre-split units; a repricing
after a partial expiry under infinity's IV.4(d)(iii)(C) ceiling, whose grant-less replay still
expired the options). ``strategies.ANY_ORDER`` lets generated histories put them in any order.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction


from charter_oracle.invariants import registry as r
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.suite import run_invariant
from charter_oracle.oracle import bundled
from charter_oracle.oracle.adjustments import Event, run_ledger
from charter_oracle.oracle.cap_table import load_cap_table
from charter_oracle.oracle.charter_file import load_charter

DAY = dt.date(2000, 2, 29)


def _infinity():  # type: ignore[no-untyped-def]
    charter = load_charter("infinity-1996")
    return charter, load_cap_table(bundled.reference_cap_table("infinity-1996"), charter)


def test_generated_histories_hold_back_only_the_orders_the_ledger_gets_wrong() -> None:
    assert gen.ANY_ORDER is True  # every order: the ledger replays each one right (the tests below)
    charter, table = _infinity()
    verdict = run_invariant(r.BY_ID["anti-dilution-scope"], charter, table, "ci")
    assert verdict.verdict == "held" and verdict.exercised >= 10


def test_repricing_after_a_partial_expiry() -> None:
    charter, table = _infinity()
    events = (Event("grant", DAY, shares=2, exercise_price=Fraction(39, 100)),
              Event("expire", DAY, shares=1, grant=0),
              Event("reprice", DAY, grant=0, exercise_price=Fraction(39, 100)))
    states = run_ledger(charter, table, events).states
    assert states[2].conversion_prices == states[1].conversion_prices  # repriced to its own terms: nothing moves


def test_repricing_after_a_combination_to_the_same_terms_changes_nothing() -> None:
    """A grant at 0.39, a 1-for-2 combination (0.39 becomes 0.78), repriced to 0.78: the same terms."""
    charter, table = _infinity()
    events = (Event("grant", DAY, shares=2, exercise_price=Fraction(39, 100)),
              Event("split", DAY, ratio=Fraction(1, 2)),
              Event("reprice", DAY, grant=0, exercise_price=Fraction(78, 100)))
    states = run_ledger(charter, table, events).states
    # Series A (no protection) doubled on the combination: 0.40 -> 0.80; the repricing must leave 0.80.
    assert states[1].price("series_a") == Fraction(4, 5)
    assert states[2].conversion_prices == states[1].conversion_prices


def test_expiring_a_whole_grant_after_a_split_restores_the_split_prices() -> None:
    """nvidia IV.D.3(G)(III) readjusts on expiry: 1,000,000 options at 0.10, a 2-for-1 split, all 2,000,000
    (post-split units) expire: the prices are those of the split alone."""
    charter = load_charter("nvidia-1998")
    table = load_cap_table(bundled.reference_cap_table("nvidia-1998"), charter)
    split = Event("split", DAY, ratio=Fraction(2))
    events = (Event("grant", DAY, shares=1_000_000, exercise_price=Fraction(1, 10)), split,
              Event("expire", DAY, shares=2_000_000, grant=0))
    assert run_ledger(charter, table, events[:2]).states[-1].price("series_a") < Fraction(1, 4)  # the grant diluted
    assert run_ledger(charter, table, events).states[-1].conversion_prices == \
        run_ledger(charter, table, (split,)).states[-1].conversion_prices
