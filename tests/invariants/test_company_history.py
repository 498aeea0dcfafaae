"""A stateful history: issues, grants, expiries, splits, conversions, dividends, votes, and an exit.

After every step the applicable oracle invariants are checked on the company as it
now stands (conversion prices carried from the ledger into the cap table).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from charter_oracle.invariants import registry as r
from charter_oracle.invariants.cases import Case
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.oracle import bundled
from charter_oracle.oracle.adjustments import Event, run_ledger
from charter_oracle.oracle.cap_table import Holding, load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.conversion import convert_holder


class CompanyHistory(RuleBasedStateMachine):
    @initialize(charter_id=st.sampled_from(["infinity-1996", "nvidia-1998"]))
    def start(self, charter_id: str) -> None:
        self.charter = load_charter(charter_id)
        self.table = load_cap_table(bundled.reference_cap_table(charter_id), self.charter)
        self.events: list[Event] = []
        self.day = dt.date(1998, 7, 1)
        self.prices = dict(self.table.conversion_prices)
        self.issues = 0

    # At most three financings per history: exact prices compound, and past five the oracle crashes
    # (see test_oracle_bugs_found.py).
    @precondition(lambda self: hasattr(self, "table") and self.issues < 3)
    @rule(shares=st.integers(1, 3_000_000), price=st.integers(1, 700).map(lambda c: Fraction(c, 100)))
    def issue(self, shares: int, price: Fraction) -> None:
        room = self.charter.common.authorized - self.table.shares_of(self.charter.common.id)
        shares = min(shares, room - 1)
        if shares < 1:
            return
        case = Case(self.table, events=(Event("issue", dt.date(1999, 1, 1), shares=shares, price=price),))
        r.check_no_increase(self.charter, case)
        r.check_scope(self.charter, case)
        r.check_adjustment_formula(self.charter, case)
        state = run_ledger(self.charter, self.table, case.events).states[-1]
        self.issues += 1
        self.table = dataclasses.replace(
            self.table, holdings=self.table.holdings + (Holding("New Investor", self.charter.common.id, shares),),
            conversion_prices=tuple(sorted(state.conversion_prices.items())))

    @rule(shares=st.integers(1, 500_000), exercise=st.integers(1, 300).map(lambda c: Fraction(c, 100)))
    def grant_then_expire(self, shares: int, exercise: Fraction) -> None:
        events = (Event("grant", dt.date(1999, 1, 1), shares=shares, exercise_price=exercise),
                  Event("expire", dt.date(1999, 6, 1), shares=shares, grant=0))
        case = Case(self.table, events=events)
        r.check_no_increase(self.charter, case)
        r.check_scope(self.charter, case)

    @rule(ratio=st.sampled_from([Fraction(2), Fraction(3), Fraction(1, 2)]))
    def split(self, ratio: Fraction) -> None:
        r.check_split(self.charter, Case(self.table, events=(Event("split", dt.date(1999, 1, 1), ratio=ratio),),
                                         params=(("prefix", 0),)))

    @rule(data=st.data())
    def convert(self, data: st.DataObject) -> None:
        holders = [h for h in self.table.holders if any(self.table.holder_shares(h, s.id) for s in self.charter.series)]
        if not holders:
            return
        holder = data.draw(st.sampled_from(holders))
        result = convert_holder(self.charter, self.table, holder)
        converted = dict(result.converted)
        assert result.whole_shares >= 0 and 0 <= result.fraction < 1
        rows = tuple(h for h in self.table.holdings if not (h.holder == holder and h.class_id in converted))
        self.table = dataclasses.replace(
            self.table, holdings=rows + (Holding(holder, self.charter.common.id, max(result.whole_shares, 1)),))

    @rule(amount=st.integers(0, 2_000_000).map(lambda c: Fraction(c, 100)))
    def dividend(self, amount: Fraction) -> None:
        r.check_dividends(self.charter, Case(self.table, params=(("amount", amount),)))

    @rule()
    def vote(self) -> None:
        r.check_votes(self.charter, Case(self.table))

    @precondition(lambda self: hasattr(self, "table"))
    @rule(proceeds=st.integers(0, 10**10).map(lambda c: Fraction(c, 100)))
    def exit(self, proceeds: Fraction) -> None:
        case = Case(self.table, proceeds)
        for check in (r.check_conservation, r.check_preference_priority, r.check_conversion_rational,
                      r.check_participation, r.check_equal_treatment):
            check(self.charter, case)

    @invariant()
    def shares_within_authorized(self) -> None:
        if hasattr(self, "table"):
            assert self.table.shares_of(self.charter.common.id) <= self.charter.common.authorized
            for s in self.charter.series:
                assert self.table.shares_of(s.id) <= s.designated
            assert all(p > 0 for _, p in self.table.conversion_prices)


CompanyHistory.TestCase.settings = profile_settings("ci")
TestCompanyHistory = CompanyHistory.TestCase
