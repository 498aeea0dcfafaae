"""Pay-to-play invariant (NVCA 2020 §4 optional provision): a qualified financing converts exactly the non-buyers."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import strategies as st

from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, needs_preferred, requires, series_cites, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import CapTableError
from charter_oracle.oracle.pay_to_play import Financing, apply_financing


def _playing(charter: Charter) -> list[str]:
    return [s.id for s in charter.series if s.pay_to_play is not None]


def pay_to_play_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def case(draw: st.DrawFn) -> Case:
        table = draw(tables(charter, base))
        offered = draw(st.sampled_from([1, 999, 300000, table.shares_of(_playing(charter)[0]) or 1, 0]))
        buys = []
        for holder in table.holders:
            # Nothing, a share, or around the holder's stake of the offer (so both sides of "its pro rata amount").
            stake = sum(table.holder_shares(holder, s.id) for s in charter.series)
            n = draw(st.sampled_from([0, 1, offered, offered // 2, stake and offered * stake // max(1, sum(
                table.shares_of(s.id) for s in charter.series)), offered * 2]))
            if n:
                buys.append((holder, n))
        qualified = draw(st.sampled_from([True, True, True, False]))  # mostly qualified: where the clause acts
        return Case(table, params=(("offered", offered), ("purchases", tuple(buys)), ("qualified", qualified)))
    return case()


def check_pay_to_play(charter: Charter, case: Case) -> None:
    table = case.table
    financing = Financing(table.as_of + dt.timedelta(days=1), charter.common.id, charter.common.par,
                          case.param("qualified"), case.param("offered"), case.param("purchases"))
    try:
        outcome = apply_financing(charter, table, financing, "financing")
    except CapTableError:
        return  # the conversions would exceed a shadow series' designated shares: refused, nothing to check
    bought = dict(case.param("purchases"))  # read from the case itself, not through the oracle's Financing
    want = set()
    if financing.qualified:
        for series in charter.series:
            terms = series.pay_to_play
            if terms is None:
                continue
            classes = [series.id] if terms.basis == "series" else [s.id for s in charter.series]
            total = sum(table.shares_of(c) for c in classes)
            for holder in table.holders:
                if not table.holder_shares(holder, series.id):
                    continue
                held = sum(table.holder_shares(holder, c) for c in classes)
                # bought < offered x held / total, in whole numbers
                if bought.get(holder, 0) * total < financing.offered * held:
                    want.add((holder, series.id))
    got = {(c.holder, c.series_id) for c in outcome.conversions}
    if got != want:
        raise Violation(f"converted {sorted(got)}; the non-buyers are {sorted(want)}", case)
    after = outcome.table
    for series_id in _playing(charter):
        for holder in table.holders:
            before = table.holder_shares(holder, series_id)
            into = sum(c.new_shares for c in outcome.conversions if c.holder == holder and c.into == series_id)
            expect = (0 if (holder, series_id) in want else before) + into
            if after.holder_shares(holder, series_id) != expect:
                raise Violation(f"{holder} holds {after.holder_shares(holder, series_id)} {series_id} after; "
                                f"expected {expect}", case)
    for c in outcome.conversions:
        series = charter.series_by_id(c.series_id)
        if c.into == charter.common.id:
            exact = c.shares * series.conversion.value / table.conversion_price(charter, c.series_id)
            expect_new = math.floor(exact)
        else:
            expect_new = c.shares
        if c.new_shares != expect_new or c.shares != table.holder_shares(c.holder, c.series_id):
            raise Violation(f"{c.holder}: {c.shares} {c.series_id} became {c.new_shares} {c.into}; expected all "
                            f"{table.holder_shares(c.holder, c.series_id)} to become {expect_new}", case)
    if want:
        reached()


PAY_TO_PLAY_NON_BUYERS = Invariant(
    "pay-to-play-non-buyers",
    "In a qualified financing, exactly the holders of a pay-to-play series who buy less than their pro rata amount "
    "have all their shares of it converted (at the conversion rate into common, or share for share into the shadow "
    "series); buyers and non-qualified financings convert nothing.",
    "oracle", series_cites("pay_to_play"),
    requires(needs_preferred, lambda c: bool(_playing(c)), "a series has pay-to-play", "no series has pay-to-play"),
    pay_to_play_cases, check_pay_to_play)
