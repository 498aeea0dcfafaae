"""Compliance invariants: authorized counts, stated thresholds and deemed liquidation events."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import charter_oracle.oracle.cap_table as _cap
import charter_oracle.oracle.compliance as _comp
import charter_oracle.oracle.conversion as _conv
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, everywhere, needs_preferred, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import CapTableError
from charter_oracle.oracle.exact import round_down, round_half_up


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


def _deal_terms(e: Any) -> st.SearchStrategy[tuple[Fraction, tuple[str, ...]]]:
    """A deal's measure (at the event's threshold, a millionth either side, or the extremes) and its flags."""
    measure: st.SearchStrategy[Fraction] = st.just(Fraction(1, 2))
    if e.threshold is not None:
        f = e.threshold.fraction
        measure = st.sampled_from([f, f - Fraction(1, 10**6), f + Fraction(1, 10**6), Fraction(0), Fraction(1)])
    flags = st.lists(st.sampled_from(list(e.exceptions) + ["unrelated"]), unique=True, max_size=2).map(tuple)
    return st.tuples(measure, flags)


def deemed_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    events = list(charter.liquidation.deemed)

    @st.composite
    def build(draw: Any) -> Case:
        e = draw(st.sampled_from(events))
        measure, flags = draw(_deal_terms(e))
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


def _issue_dates(charter: Charter) -> tuple[tuple[str, dt.date], ...]:
    """Interest-leg series issued two years before the charter (a cap table the cases build from scratch)."""
    return tuple((s.id, gen.years_after(charter.date, -2)) for s in charter.series if s.participation.interest_rate)


# --- reservation-whole-shares -----------------------------------------------------------------------

def _whole(charter: Charter, table: CapTable, held: dict[str, int]) -> int:
    exact = sum((n * charter.series_by_id(sid).conversion.value / table.conversion_price(charter, sid)
                 for sid, n in held.items()), Fraction(0))
    if charter.conversion.share_rounding is not None:
        exact = round_half_up(exact, charter.conversion.share_rounding)
    return int(round_down(exact))


def _need(charter: Charter, table: CapTable, extra: dict[str, int] | None = None) -> int:
    holdings = [{s.id: table.holder_shares(h, s.id) for s in charter.series} for h in table.holders]
    return sum(_whole(charter, table, held) for held in holdings + ([extra] if extra else []))


def reservation_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def near_the_edge(draw: Any, t: CapTable) -> Case:
        """Common outstanding set so that unissued common is within a share or two of the need."""
        cls = draw(st.sampled_from(charter.class_ids))
        n = draw(st.integers(0, 3))
        extra = {cls: n} if cls != charter.common.id else None
        room = _need(charter, t, extra) + draw(st.integers(-2, 2)) + (n if cls == charter.common.id else 0)
        common = min(max(charter.common.authorized - room, 0), charter.common.authorized)
        rows = tuple(h for h in t.holdings if h.class_id != charter.common.id) + (Holding("Founders", charter.common.id, common),)
        table = CapTable(t.as_of, rows, t.options, t.conversion_prices, t.declared_unpaid_dividends, t.issue_dates)
        return Case(table, params=(("class", cls), ("shares", n)))

    @st.composite
    def fractions_add_up(draw: Any) -> Case:
        """Two holders of one share converting into 3/2 common each: 1 + 1 whole shares, not floor(3) = 3."""
        s = draw(st.sampled_from(charter.series))
        price = s.conversion.value * 2 / 3
        unissued = draw(st.sampled_from([1, 2, 3]))  # after issuing 1 common: 2 is exactly enough
        rows = (Holding("P", s.id, 1), Holding("Q", s.id, 1),
                Holding("Founders", charter.common.id, charter.common.authorized - unissued - 1))
        return Case(CapTable(charter.date, rows, (), ((s.id, price),), (), _issue_dates(charter)),
                    params=(("class", charter.common.id), ("shares", 1)))
    return st.one_of(tables(charter, base).flatmap(lambda t: near_the_edge(t)), fractions_add_up())


def check_reservation_whole_shares(charter: Charter, case: Case) -> None:
    t, cls, n = case.table, case.param("class"), case.param("shares")
    checks = {c.name: c for c in _comp.check_action(charter, t, {"action": "issue", "class": cls, "shares": n})}
    got = checks.get("reservation")
    if got is None:
        raise Violation(f"issuing {n} {cls}: no reservation check ({charter.conversion.reservation_cite})", case)
    common_after = t.shares_of(charter.common.id) + (n if cls == charter.common.id else 0)
    need = _need(charter, t, {cls: n} if cls != charter.common.id else None)
    want = need <= charter.common.authorized - common_after
    if got.ok != want:
        raise Violation(f"issuing {n} {cls}: the reservation check says {got.ok}; each holder's whole conversion "
                        f"shares need {need} of {charter.common.authorized - common_after} unissued", case)
    if need == charter.common.authorized - common_after:
        reached()  # exactly enough: the edge where the old floor-of-total reading fails


# --- consent-by-substance ---------------------------------------------------------------------------

def _substance_rules(charter: Charter) -> list[Any]:
    return [r for r in charter.consents if r.on_deemed_liquidation]


def substance_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    events = list(charter.liquidation.deemed)
    if not events or not _substance_rules(charter):
        return st.nothing()

    @st.composite
    def build(draw: Any) -> Case:
        e = draw(st.sampled_from(events))
        measure, flags = draw(_deal_terms(e))
        action = draw(st.sampled_from(["corporate-sale", e.kind]))
        return Case(CapTable(charter.date, (Holding("X", charter.common.id, 1),), (), (), (), _issue_dates(charter)),
                    params=(("action", action), ("kind", e.kind), ("measure", measure), ("flags", flags)))
    return build()


def check_consent_by_substance(charter: Charter, case: Case) -> None:
    action, kind, measure, flags = (case.param(k) for k in ("action", "kind", "measure", "flags"))
    deemed = False
    for e in charter.liquidation.deemed:
        if e.kind != kind or set(flags) & set(e.exceptions):
            continue
        deemed = e.threshold is None or {"<": measure < e.threshold.fraction, "<=": measure <= e.threshold.fraction,
                                         ">": measure > e.threshold.fraction, ">=": measure >= e.threshold.fraction,
                                         }[e.threshold.compare]
        break
    raw: dict[str, Any] = {"action": action, "transaction": kind, "flags": list(flags)}
    raw.update({e.measure: measure for e in charter.liquidation.deemed if e.measure and e.kind == kind})
    names = {c.name for c in _comp.check_action(charter, case.table, raw)}
    for rule in _substance_rules(charter):
        asked = f"consent:{rule.id}" in names
        by_name = action in rule.actions
        if asked != (deemed or by_name):
            raise Violation(f"a {action} ({kind}, measure {measure}, flags {sorted(flags)}) is "
                            f"{'' if deemed else 'not '}a deemed liquidation, but {rule.id} ({rule.cite}) was "
                            f"{'' if asked else 'not '}asked for", case)
    reached()


RESERVATION_WHOLE_SHARES = Invariant(
    "reservation-whole-shares", "After any issue, common or preferred, the reservation holds exactly "
    "when unissued common covers each holder's whole conversion shares, summed.", "oracle",
    lambda c: (c.conversion.reservation_cite, c.conversion.cash_in_lieu_cite), needs_preferred,
    reservation_cases, check_reservation_whole_shares)

CONSENT_BY_SUBSTANCE = Invariant(
    "consent-by-substance", "A consent needed for a deemed liquidation is asked for exactly when the "
    "deal is one, whatever the action is called.", "oracle",
    lambda c: tuple(r.cite for r in _substance_rules(c)) + tuple(e.cite for e in c.liquidation.deemed),
    lambda c: ((True, "a consent follows the substance of a deal") if _substance_rules(c)
               else (False, "no consent is asked for by substance")), substance_cases,
    check_consent_by_substance)
