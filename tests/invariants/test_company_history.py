"""A stateful company history: up to 12 financings, with grants, expiries, repricings, splits and combinations
in any order the ledger replays right, and conversions, dividends, votes and exits in between.

The ledger runs over the whole history from the reference cap table after every event,
and at the end the history invariants are checked on every event of it (no issue or grant
raises a price; a series without protection moves only on splits); each financing and
split is also checked on the
company as it now stands (conversion prices carried from the ledger into the cap table),
and so are exits, votes, dividends and conversions. Dates start where the charter's
anti-dilution clause governs (nvidia: from 1998-02-23), sizes and prices come from the cap
table and the prices in effect.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from fractions import Fraction

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from charter_oracle.invariants.domains import adjustments, dividends, liquidation, splits, voting
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.oracle import bundled
from charter_oracle.oracle.adjustments import Event, run_ledger
from charter_oracle.oracle.cap_table import Holding, OptionGrant, load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.conversion import convert_holder

MAX_FINANCINGS = 12
# Every financing may be dilutive, on exact-price charters too: bases count whole conversion shares
# (all.base-conversion-shares=whole), so exact prices stay short (about 85 digits after 20 financings,
# benchmarks/bench_ledger.py). Kept as a knob for a reading that brings long denominators back.
EXACT_DILUTIVE_LIMIT = MAX_FINANCINGS
# Expiries and repricings replay only the events since their grant, from a checkpoint: no limit is needed.
REPLAY_LIMIT = MAX_FINANCINGS
HISTORY_CHARTERS = ("infinity-1996", "nvidia-1998", "example-modern")


class CompanyHistory(RuleBasedStateMachine):
    @initialize(charter_id=st.sampled_from(HISTORY_CHARTERS))
    def start(self, charter_id: str) -> None:
        self.charter = load_charter(charter_id)
        self.base = load_cap_table(bundled.reference_cap_table(charter_id), self.charter)
        self.table = self.base  # the company as it stands (holdings after splits and conversions, prices in effect)
        self.events: list[Event] = []
        self.day = gen.event_window(self.charter, self.base)[0]
        self.size = gen.company_size(self.charter, self.base)
        self.common = self.base.shares_of(self.charter.common.id)  # the ledger's common count
        self.outstanding: dict[int, int] = {}  # grant event index -> options outstanding, current units
        self.has_split = False
        self.financings = self.dilutive = 0

    # --- the ledger ------------------------------------------------------------------------

    def _record(self, event: Event) -> None:
        """Append ``event`` (dated after the last), replay the whole ledger, carry its prices into the table."""
        self.day += dt.timedelta(days=30)
        self.events.append(dataclasses.replace(event, date=self.day))
        state = run_ledger(self.charter, self.base, self.events).states[-1]
        self.table = dataclasses.replace(self.table, conversion_prices=tuple(sorted(state.conversion_prices.items())))
        assert state.common == self.common, (state.common, self.common)  # the ledger and this model agree

    def _prices(self) -> list[Fraction]:
        return [self.table.conversion_price(self.charter, s.id) for s in self.charter.series
                if s.dilution.method != "none"] or [Fraction(1)]

    def _price(self, percent: int) -> Fraction:
        """``percent`` of the lowest protected price in effect; at or above every one once an exact-price charter
        has had ``EXACT_DILUTIVE_LIMIT`` dilutive issues, grants or repricings (each one counted here)."""
        # Whole cents, as prices are quoted (an exact price in effect would carry its denominator into the next step).
        price = max(gen.CENT, Fraction(int(min(self._prices()) * percent), 100))
        exact = self.charter.dilution is not None and self.charter.dilution.price_unit is None
        if exact and self.dilutive >= EXACT_DILUTIVE_LIMIT:
            price = max(price, Fraction(math.ceil(max(self._prices()) * 100), 100))
        self.dilutive += price < max(self._prices())
        return price

    def _live(self, repricing: bool = False) -> list[int]:
        """Grants that may expire (or be repriced) in the orders the ledger replays right (``gen.ANY_ORDER``)."""
        if (self.has_split and not gen.ANY_ORDER) or sum(e.kind in ("expire", "reprice") for e in self.events) >= REPLAY_LIMIT:
            return []
        expired = {e.grant for e in self.events if e.kind == "expire"}
        return [i for i, left in sorted(self.outstanding.items())
                if left > 0 and (gen.ANY_ORDER or not (repricing and i in expired))]

    @precondition(lambda self: self.financings < MAX_FINANCINGS)
    @rule(part=st.integers(1, 1000), percent=st.integers(1, 200), commissions=st.booleans())
    def issue(self, part: int, percent: int, commissions: bool) -> None:
        """A financing: up to the company's size, at 1% to 200% of the lowest protected price in effect."""
        room = self.charter.common.authorized - max(self.common, self.table.shares_of(self.charter.common.id))
        shares = min(self.size * part // 1000 + 1, room)
        if shares < 1:
            return
        price = self._price(percent)
        commissions = commissions and price < max(self._prices())  # commissions never make an issue dilutive here
        event = Event("issue", self.day, shares=shares, price=price,
                      commissions=shares * price / 20 if commissions else Fraction(0))
        # The one financing on the company as it stands: the weighted average exactly (or no move).
        before = dataclasses.replace(event, date=self.day + dt.timedelta(days=30))
        adjustments.check_adjustment_formula(self.charter, Case(self.table, events=(before,)))
        self.common += shares
        self._record(event)
        self.financings += 1
        self.table = dataclasses.replace(
            self.table, holdings=self.table.holdings + (Holding(f"Investor {self.financings}", self.charter.common.id, shares),))

    @rule(part=st.integers(1, 250), percent=st.integers(1, 200), paid=st.booleans())
    def grant(self, part: int, percent: int, paid: bool) -> None:
        shares = self.size * part // 1000 + 1
        self.outstanding[len(self.events)] = shares
        self._record(Event("grant", self.day, shares=shares, price=gen.CENT if paid else Fraction(0),
                           exercise_price=self._price(percent)))

    @rule(data=st.data())
    def expire(self, data: st.DataObject) -> None:
        live = self._live()
        if not live:
            return
        index = data.draw(st.sampled_from(live))
        shares = data.draw(st.integers(1, self.outstanding[index]))
        self.outstanding[index] -= shares
        self._record(Event("expire", self.day, shares=shares, grant=index))

    @rule(data=st.data(), percent=st.integers(1, 200))
    def reprice(self, data: st.DataObject, percent: int) -> None:
        live = self._live(repricing=True)
        if not live:
            return
        index = data.draw(st.sampled_from(live))
        self._record(Event("reprice", self.day, grant=index, exercise_price=self._price(percent)))

    @rule(ratio=st.sampled_from([Fraction(2), Fraction(3), Fraction(1, 2), Fraction(1, 3), Fraction(3, 2)]))
    def split(self, ratio: Fraction) -> None:
        """A split or combination: only one that fits the authorized common (a larger one needs an amendment)."""
        if max(self.common, self.table.shares_of(self.charter.common.id)) * ratio > self.charter.common.authorized:
            return
        splits.check_split(self.charter, Case(self.table, events=(Event("split", self.day + dt.timedelta(days=30), ratio=ratio),),
                                         params=(("prefix", 0),)))
        self.common = int(self.common * ratio)
        self._record(Event("split", self.day, ratio=ratio))
        self.has_split = True
        self.outstanding = {i: int(left * ratio) for i, left in self.outstanding.items()}
        common_id = self.charter.common.id
        self.table = dataclasses.replace(
            self.table,
            holdings=tuple(dataclasses.replace(h, shares=max(int(h.shares * ratio), 1)) if h.class_id == common_id else h
                           for h in self.table.holdings),
            options=tuple(OptionGrant(o.holder, max(int(o.shares * ratio), 1), o.exercise_price / ratio)
                          for o in self.table.options))

    @rule(data=st.data())
    def convert(self, data: st.DataObject) -> None:
        holders = [h for h in self.table.holders if any(self.table.holder_shares(h, s.id) for s in self.charter.series)]
        if not holders:
            return
        holder = data.draw(st.sampled_from(holders))
        result = convert_holder(self.charter, self.table, holder)
        converted = dict(result.converted)
        assert result.whole_shares >= 0 and 0 <= result.fraction < 1
        if self.table.shares_of(self.charter.common.id) + result.whole_shares > self.charter.common.authorized:
            return  # more common than is authorized: after cheap financings the reservation may fall short
        rows = tuple(h for h in self.table.holdings if not (h.holder == holder and h.class_id in converted))
        self.table = dataclasses.replace(
            self.table, holdings=rows + (Holding(holder, self.charter.common.id, max(result.whole_shares, 1)),))

    @rule(amount=st.integers(0, 2_000_000).map(lambda c: Fraction(c, 100)))
    def dividend(self, amount: Fraction) -> None:
        dividends.check_dividends(self.charter, Case(self.table, params=(("amount", amount),)))

    @rule()
    def vote(self) -> None:
        voting.check_votes(self.charter, Case(self.table))

    @rule(data=st.data())
    def exit(self, data: st.DataObject) -> None:
        case = Case(self.table, data.draw(gen.proceeds_for(self.charter, self.table)))
        for check in (liquidation.check_conservation, liquidation.check_preference_priority, liquidation.check_conversion_rational,
                      liquidation.check_participation, liquidation.check_equal_treatment):
            check(self.charter, case)

    def teardown(self) -> None:
        """The history invariants on the whole ledger, every event of it (once: each replay is a whole ledger)."""
        if getattr(self, "events", None):
            case = Case(self.base, events=tuple(self.events))
            adjustments.check_no_increase(self.charter, case)
            adjustments.check_scope(self.charter, case)

    @invariant()
    def shares_within_authorized(self) -> None:
        if hasattr(self, "table"):
            assert self.table.shares_of(self.charter.common.id) <= self.charter.common.authorized
            assert self.common <= self.charter.common.authorized
            for s in self.charter.series:
                assert self.table.shares_of(s.id) <= s.designated
            assert all(p > 0 for _, p in self.table.conversion_prices)


# Enough steps for histories of MAX_FINANCINGS (the ci examples reach it on nvidia and infinity), few enough
# histories that the test stays a few seconds.
CompanyHistory.TestCase.settings = settings(profile_settings("ci"), max_examples=15, stateful_step_count=80)
TestCompanyHistory = CompanyHistory.TestCase


def _drive(charter_id: str) -> CompanyHistory:
    """Twelve financings with every other kind of event between them, in a fixed order."""
    machine = CompanyHistory()
    machine.start(charter_id)
    for k in range(MAX_FINANCINGS):
        machine.issue(part=10 + 7 * k % 50, percent=(35 + 29 * k) % 180 + 1, commissions=k % 3 == 0)
        if k in (0, 4):
            machine.grant(part=40, percent=50, paid=k == 4)
        if k == 2:
            machine.reprice(data=_Choose(machine._live(repricing=True)[0]), percent=20)  # the first grant, repriced down
        if k == 3:
            machine.expire(data=_Choose(machine._live()[0], 1000))  # part of the first grant
        if k in (5, 8):
            machine.split(ratio=Fraction(2) if k == 5 else Fraction(1, 2))  # a split, then a combination
        if k in (6, 10):
            machine.exit(data=_Choose(Fraction(25_000_000)))
            machine.vote()
        machine.shares_within_authorized()
    return machine


class _Choose:
    """Stands in for ``st.data()``: hands out the given values in order."""

    def __init__(self, *values: object) -> None:
        self.values = list(values)

    def draw(self, strategy: object) -> object:
        return self.values.pop(0)


def test_a_history_reaches_twelve_financings_on_every_history_charter() -> None:
    for charter_id in HISTORY_CHARTERS:
        machine = _drive(charter_id)
        kinds = [e.kind for e in machine.events]
        assert kinds.count("issue") == MAX_FINANCINGS, charter_id
        assert {"grant", "expire", "reprice", "split"} <= set(kinds), charter_id
        assert [e.ratio for e in machine.events if e.kind == "split"] == [Fraction(2), Fraction(1, 2)]
        # The first financing is dated where the clause governs (nvidia: on or after 1998-02-23).
        assert gen.in_force(machine.charter, machine.events[0].date)
