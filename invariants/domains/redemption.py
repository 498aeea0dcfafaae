"""Redemption invariants (NVCA 2020 §6): installments add up to the redemption price; a shortfall is shared pro rata."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

from hypothesis import strategies as st

from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, needs_preferred, requires, series_cites, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.redemption import accrued_dividends_per_share, redemption_schedule, redemption_start


def _redeemable(charter: Charter) -> list[str]:
    return [s.id for s in charter.series if s.redemption is not None]


def redemption_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def case(draw: st.DrawFn) -> Case:
        table = draw(tables(charter, base))
        series_id = draw(st.sampled_from(_redeemable(charter)))
        series = charter.series_by_id(series_id)
        if table.issue_date(series_id) is None:  # an anniversary start needs the first issue date
            issued = draw(gen.dates(charter.date, table.as_of))
            table = dataclasses.replace(table, issue_dates=tuple(sorted((*table.issue_dates, (series_id, issued)))))
        assert series.redemption is not None
        start = redemption_start(series.redemption, series, table)
        day = start + dt.timedelta(days=draw(st.sampled_from([0, 1, 400])))
        holders = [h for h in table.holders if table.holder_shares(h, series_id)]
        full = sum((table.holder_shares(h, series_id) for h in holders), 0) * series.redemption.price_per_share * 2
        amounts = st.one_of(st.none(), gen.cents(Fraction(0), full + 1), st.just(Fraction(0)))
        funds = draw(st.one_of(st.none(), st.lists(amounts, min_size=series.redemption.installments,
                                                   max_size=series.redemption.installments)))
        return Case(table, params=(("series", series_id), ("date", day), ("requested_by", tuple(holders)),
                                   ("funds", None if funds is None else tuple(funds))))
    return case()


def check_redemption(charter: Charter, case: Case) -> None:
    table, series_id = case.table, case.param("series")
    series = charter.series_by_id(series_id)
    terms = series.redemption
    assert terms is not None
    funds = case.param("funds")
    s = redemption_schedule(charter, table, series_id, list(case.param("requested_by")), case.param("date"),
                            None if funds is None else list(funds))
    if not s.installments:
        return  # nobody holds the series: there is nothing to redeem
    redeemed: dict[str, Fraction] = {}
    for k, inst in enumerate(s.installments):
        # The price: the terms' price + accrued (the accrual hook) + declared unpaid dividends (§6.1).
        want = terms.price_per_share + accrued_dividends_per_share(series, table, inst.date) + table.dividend_per_share(series_id)
        if inst.price_per_share != want:
            raise Violation(f"installment {k + 1}: price {inst.price_per_share} a share; §6.1 gives {want}", case)
        due = sum((h.amount_due for h in inst.holders), Fraction(0))
        available = None if funds is None else funds[k]
        paid = due if available is None else min(due, available)
        if inst.amount_paid != paid:
            raise Violation(f"installment {k + 1}: paid {inst.amount_paid} of {due} due with funds {available}", case)
        for h in inst.holders:
            # Pro rata: every holder gets the same fraction of its amount due (paid/due overall).
            if h.amount_due and h.amount_paid * due != paid * h.amount_due:
                raise Violation(f"installment {k + 1}: {h.holder} is paid {h.amount_paid} of {h.amount_due}; pro "
                                f"rata of {paid}/{due} it is {paid * h.amount_due / due}", case)
            redeemed[h.holder] = redeemed.get(h.holder, Fraction(0)) + h.shares_redeemed
        if funds is None and inst.shortfall:
            raise Violation(f"installment {k + 1}: a shortfall of {inst.shortfall} without any limit on funds", case)
    left = dict(s.unredeemed)
    for holder in {h.holder for h in s.installments[0].holders}:
        shares = table.holder_shares(holder, series_id)
        if redeemed.get(holder, 0) + left.get(holder, 0) != shares:
            raise Violation(f"{holder}: {redeemed.get(holder)} redeemed + {left.get(holder, 0)} left is not its "
                            f"{shares} shares", case)
        if funds is None:
            # Without a shortfall the installments are equal and add up to every share at its price.
            counts = {h.shares_due for i in s.installments for h in i.holders if h.holder == holder}
            if counts != {Fraction(shares, terms.installments)}:
                raise Violation(f"{holder}: installments of {sorted(counts)} shares; {terms.installments} equal "
                                f"ones of {Fraction(shares, terms.installments)} expected", case)
    reached()


REDEMPTION_INSTALLMENTS = Invariant(
    "redemption-installments",
    "Redemption installments add up to every share at the redemption price (equal installments when the funds "
    "suffice), and funds short on a date are shared pro rata by the amounts due; unredeemed shares stay owed.",
    "oracle", series_cites("redemption"),
    requires(needs_preferred, lambda c: bool(_redeemable(c)), "a series is redeemable", "no series is redeemable"),
    redemption_cases, check_redemption)
