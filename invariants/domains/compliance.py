"""Compliance invariants: authorized counts, stated thresholds and deemed liquidation events."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import charter_oracle.oracle.cap_table as _cap
import charter_oracle.oracle.compliance as _comp
import charter_oracle.oracle.conversion as _conv
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, everywhere, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import CapTableError


def authorized_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        cls = draw(st.sampled_from(list(charter.class_ids)))
        limit = charter.common.authorized if cls == charter.common.id else charter.series_by_id(cls).designated
        room = limit - t.shares_of(cls)
        n = draw(st.sampled_from([max(room, 0), room + 1, max(room - 1, 0), 1]))
        return Case(t, params=(("class", cls), ("shares", max(n, 0))))
    return tables(charter, base).flatmap(lambda t: build(t))


def check_authorized(charter: Charter, case: Case) -> None:
    t = case.table
    cls, n = case.param("class"), case.param("shares")
    checks = {c.name: c.ok for c in _comp.check_action(charter, t, {"action": "issue", "class": cls, "shares": n})}
    if cls == charter.common.id:
        want = {"authorized": t.shares_of(cls) + n <= charter.common.authorized}
    else:
        s = charter.series_by_id(cls)
        want = {"designated": t.shares_of(cls) + n <= s.designated,
                "authorized": sum(t.shares_of(x.id) for x in charter.series) + n <= charter.preferred_authorized}
    for name, ok in want.items():
        if checks.get(name) != ok:
            raise Violation(f"issuing {n} {cls}: check {name} says {checks.get(name)}, the counts say {ok}", case)
    # A cap table beyond a designated or authorized count is refused, by one share.
    limit = charter.common.authorized if cls == charter.common.id else charter.series_by_id(cls).designated
    raw = {"as_of": charter.date.isoformat(), "holdings": [{"holder": "Over", "class": cls, "shares": limit + 1}],
           "issue_dates": {s.id: gen.years_after(charter.date, -1).isoformat() for s in charter.series}}
    try:
        _cap.build_cap_table(raw, charter, "<over>")
    except CapTableError:
        pass
    else:
        raise Violation(f"a cap table with {limit + 1} {cls} (limit {limit}) was accepted", case)
    # Converted preferred is retired where the charter says so (nvidia IV.D.6, infinity IV.4(f)).
    holder = t.holders[0]
    converting = {s.id: t.holder_shares(holder, s.id) for s in charter.series}
    result = _conv.convert_holder(charter, t, holder, converting)
    for sid, designated in result.designated_after:
        s = charter.series_by_id(sid)
        want_designated = s.designated - (converting[sid] if charter.conversion.retire_converted else 0)
        if designated != want_designated:
            raise Violation(f"after converting {converting[sid]} {sid} the designated count is {designated}, "
                            f"not {want_designated}", case)
    reached()  # an issue was checked against its count, and an over-count table refused


AUTHORIZED_CAP = Invariant(
    "authorized-cap", "Outstanding shares never exceed authorized and designated counts; converted preferred "
    "is retired where the charter says so.", "oracle",
    lambda c: (c.common.cite, c.preferred_cite, c.conversion.retire_cite),
    everywhere("every charter authorizes a number of shares"), authorized_cases, check_authorized)


def threshold_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    wholes = st.one_of(st.sampled_from([3, 6, 10**6 + 2, 7, 1]), st.integers(1, 10**9))  # any count of votes or shares
    return wholes.map(
        lambda w: Case(CapTable(charter.date, (Holding("X", charter.common.id, 1),)), params=(("whole", Fraction(w)),)))


def check_thresholds(charter: Charter, case: Case) -> None:
    """Every threshold in the charter at, just above and just below its boundary, via ``Threshold.met``."""
    whole = case.param("whole")
    thresholds = [r.threshold for r in charter.consents] + [e.threshold for e in charter.liquidation.deemed if e.threshold]
    if charter.conversion.automatic_consent:
        thresholds.append(charter.conversion.automatic_consent.threshold)
    for th in thresholds:
        exact = th.fraction * whole
        for part in (exact, exact - Fraction(1, 10**9), exact + Fraction(1, 10**9)):
            if th.met(part, whole) != ex.compare(part, whole, th.fraction, th.compare):
                raise Violation(f"{th.cite}: {part} of {whole} against {th.describe()} gives {th.met(part, whole)}", case)
        reached()


THRESHOLD_EXACTNESS = Invariant(
    "threshold-exactness", "Every stated fraction is compared exactly, with the stated strictness (2/3 is "
    "2/3; 'more than' is strict).", "oracle",
    lambda c: tuple(r.cite for r in c.consents) + tuple(e.cite for e in c.liquidation.deemed if e.threshold)
    + ((c.conversion.automatic_consent.cite,) if c.conversion.automatic_consent else ()),
    lambda c: ((True, "the charter states voting fractions") if c.consents or c.conversion.automatic_consent
               or any(e.threshold for e in c.liquidation.deemed) else (False, "the charter states no fractions")),
    threshold_cases, check_thresholds)


def deemed_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    events = list(charter.liquidation.deemed)

    @st.composite
    def build(draw: Any) -> Case:
        e = draw(st.sampled_from(events))
        measure = Fraction(1, 2)
        if e.threshold is not None:
            f = e.threshold.fraction
            measure = draw(st.sampled_from([f, f - Fraction(1, 10**6), f + Fraction(1, 10**6), Fraction(0), Fraction(1)]))
        flags = tuple(draw(st.lists(st.sampled_from(list(e.exceptions) + ["unrelated"]), unique=True, max_size=2)))
        return Case(CapTable(charter.date, (Holding("X", charter.common.id, 1),)),
                    params=(("kind", e.kind), ("measure", measure), ("flags", flags)))
    return build()


def check_deemed(charter: Charter, case: Case) -> None:
    kind, measure, flags = case.param("kind"), case.param("measure"), set(case.param("flags"))
    want = False
    for e in charter.liquidation.deemed:
        if e.kind != kind or flags & set(e.exceptions):
            continue
        want = True if e.threshold is None else ex.compare(measure, 1, e.threshold.fraction, e.threshold.compare)
        break
    measures = {e.measure: measure for e in charter.liquidation.deemed if e.measure}
    got = _comp.deemed_liquidation(charter, kind, measures, flags).ok
    if got != want:
        raise Violation(f"a {kind} with measure {measure} and flags {sorted(flags)}: deemed {got}, expected {want}", case)
    reached()


DEEMED_LIQUIDATION = Invariant(
    "deemed-liquidation", "A transaction is a deemed liquidation exactly when its kind, measure and "
    "exceptions say so.", "oracle", lambda c: tuple(e.cite for e in c.liquidation.deemed),
    lambda c: ((True, "the charter defines deemed liquidations") if c.liquidation.deemed
               else (False, "no deemed liquidation events")), deemed_cases, check_deemed)
