"""Anti-dilution method invariants (issue 11): full ratchet, narrow and broad bases in order, and exempted issues.

For the same issue a full ratchet never leaves a price above the weighted average, and a narrow base
never moves it less than the broad base (oracle/adjustments/methods.py); an Exempted Security moves
no price under any method (NVCA 2020 §4.4.1). The cases are ``adjustments``' one-issue cases.
"""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

import charter_oracle.oracle.adjustments as _adj
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.adjustments import _below, case_ledger, one_issue_cases
from charter_oracle.invariants.domains.core import Invariant, dilution_cites, has_dilution, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter


def _method(charter: Charter, series_id: str, method: str) -> Charter:
    return dataclasses.replace(charter, series=tuple(
        dataclasses.replace(s, dilution=dataclasses.replace(s.dilution, method=method)) if s.id == series_id else s
        for s in charter.series))


def check_method_order(charter: Charter, case: Case) -> None:
    """For the same issue, each protected series' price under full ratchet <= narrow-based <= broad-based."""
    for s in charter.series:
        if s.dilution.method == "none":
            continue
        got = {}
        for method in ("full-ratchet", "narrow-based-weighted-average", "broad-based-weighted-average"):
            variant = _method(charter, s.id, method)
            got[method] = _adj.run_ledger(variant, case.table, case.events).states[0].conversion_prices[s.id]
        ratchet, narrow, broad = got.values()
        if ratchet > broad or ratchet > narrow:
            raise Violation(f"{s.id}: full ratchet gives {ratchet}, above the weighted average ({narrow} narrow, "
                            f"{broad} broad) for the same issue", case)
        if narrow > broad:
            raise Violation(f"{s.id}: the narrow base gives {narrow}, a smaller move than the broad base's {broad}", case)
        if ratchet < case.table.conversion_price(charter, s.id):
            reached()  # the issue was dilutive for this series: the three methods had to be ordered


METHOD_ORDER = Invariant(
    "anti-dilution-method-order", "For the same issue a full-ratchet price is never above the weighted-average "
    "price, and a narrow base never moves the price less than the broad base.", "oracle",
    lambda c: tuple(s.dilution.cite for s in c.series if s.dilution.method != "none"), has_dilution,
    one_issue_cases, check_method_order)


def exempted_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """One issue, cheap or not, marked exempted: "other", or one of the charter's exempted categories
    other than the (possibly capped) employee pool."""
    listed = charter.dilution.exempted if charter.dilution is not None else None
    categories = [c for c in listed if c != "employee"] if listed is not None else ["other"]
    return tables(charter, base).filter(lambda t: t.shares_of(charter.common.id) < charter.common.authorized).flatmap(
        lambda t: st.tuples(gen.issue_events(charter, t), st.sampled_from(categories or ["employee"])).map(
            lambda pair: Case(t, events=(dataclasses.replace(pair[0], excluded=pair[1]),))))


def check_exempted(charter: Charter, case: Case) -> None:
    (event,) = case.events
    before = {s.id: case.table.conversion_price(charter, s.id) for s in charter.series}
    after = case_ledger(charter, case).states[0].conversion_prices
    for sid, price in before.items():
        if after[sid] != price:
            raise Violation(f"{sid}: an exempted issue of {event.shares} at {event.price} moved the price from "
                            f"{price} to {after[sid]}", case)
    if _below(charter, event, before):
        reached()  # the issue was cheap enough that, not exempted, it would have adjusted


EXEMPTED_ISSUES = Invariant(
    "exempted-issues", "An exempted issue (excluded from Additional Shares) moves no conversion price, whatever "
    "its price and whichever the method (weighted average or full ratchet).", "oracle",
    dilution_cites("excluded_cite"), has_dilution, exempted_cases, check_exempted)
