"""Dividend invariants: a declared dividend follows the charter's priority order."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

import charter_oracle.oracle.dividends as _div
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
