"""Dividend invariants: a declared dividend follows the charter's priority order; cumulative dividends accrue."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

from hypothesis import strategies as st

import charter_oracle.oracle.dividends as _div
import charter_oracle.oracle.positions as _pos
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, needs_preferred, requires, series_cites, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter


def dividend_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    def for_table(t: CapTable) -> st.SearchStrategy[Case]:
        points = [Fraction(0)]
        for rank in sorted({s.dividend.rank for s in charter.series if s.dividend}):
            points.append(points[-1] + sum((s.dividend.rate * t.shares_of(s.id) for s in charter.series
                                            if s.dividend and s.dividend.rank == rank), Fraction(0)))
        near = [p + d for p in points for d in (-gen.CENT, Fraction(0), gen.CENT) if p + d >= 0]
        return st.one_of(st.sampled_from(near), gen.cents(Fraction(0), points[-1] * 2 + 1)).map(
            lambda a: Case(t, params=(("amount", a),)))
    return tables(charter, base).flatmap(for_table)


def check_dividends(charter: Charter, case: Case) -> None:
    amount = case.param("amount")
    result = _div.allocate_dividend(charter, case.table, amount)
    want = ex.dividend_split(charter, case.table, amount)
    got = dict(result.classes)
    for cid, value in want.items():
        if got[cid] != value:
            raise Violation(f"{cid}: dividend {got[cid]} of {amount}; priority order gives {value}", case)
    if amount > 0 and any(s.dividend and case.table.shares_of(s.id) for s in charter.series):
        reached()


DIVIDEND_PRIORITY = Invariant(
    "dividend-priority", "A declared dividend follows the charter's order: senior ranks in full first, pro "
    "rata within a rank, common last.", "oracle", lambda c: (c.dividends.cite, *series_cites("dividend")(c)),
    requires(needs_preferred, lambda c: any(s.dividend for s in c.series), "the preferred has dividend preferences",
             "no series has a dividend preference"), dividend_cases, check_dividends)


def _cumulative(charter: Charter) -> bool:
    return any(s.dividend is not None and s.dividend.cumulative for s in charter.series)


def accrual_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """A table, and a number of days later (0 to about ten years) to compare the amounts at."""
    return tables(charter, base).flatmap(
        lambda t: st.integers(0, 3700).map(lambda days: Case(t, params=(("later_days", days),))))


def check_accrual(charter: Charter, case: Case) -> None:
    """Each cumulative series' liquidation amount is its preference plus what has accrued, once, and
    what has accrued never decreases with time (NVCA 2020 §1, §2.1)."""
    t = case.table
    later = dataclasses.replace(t, as_of=t.as_of + dt.timedelta(days=case.param("later_days")))
    now_positions = {p.id: p for p in _pos.series_positions(charter, t)}
    later_positions = {p.id: p for p in _pos.series_positions(charter, later)}
    for s in charter.series:
        if s.dividend is None or not s.dividend.cumulative or not t.shares_of(s.id):
            continue
        want = t.shares_of(s.id) * (s.liquidation.preference + ex.accrued(s, t))
        got = now_positions[s.id].preference
        if got != want:
            raise Violation(f"{s.id}: liquidation amount {got}; the preference plus accrued dividends once is {want}",
                            case)
        if later_positions[s.id].preference < got:
            raise Violation(f"{s.id}: the liquidation amount falls from {got} to {later_positions[s.id].preference} "
                            f"{case.param('later_days')} days later", case)
        if ex.accrued(s, t):
            reached()


ACCRUED_DIVIDENDS = Invariant(
    "accrued-dividends", "Cumulative dividends are in the liquidation amount exactly once (preference plus "
    "accrued), and what has accrued never decreases with time.", "oracle",
    lambda c: tuple(s.dividend.cite for s in c.series if s.dividend and s.dividend.cumulative),
    requires(needs_preferred, _cumulative, "a series has cumulative dividends", "no series has cumulative dividends"),
    accrual_cases, check_accrual)
