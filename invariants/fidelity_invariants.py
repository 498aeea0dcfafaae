"""Invariants the fidelity review of issue 10 found the texts imply (registered at the end of
``registry.INVARIANTS`` by one line; the domain split may move them).

* ``reservation-whole-shares`` -- after any issue, common or preferred, ``comply`` says the reservation
  holds exactly when authorized unissued common covers each holder's whole conversion shares, summed
  (infinity IV.4(j), IV.4(g), IV.4(h)(i); nvidia IV.D.3(L), IV.D.3(M)).
* ``consent-by-substance`` -- a consent needed for a Corporate Sale is asked for exactly when the deal is
  a deemed liquidation, whatever the action is called (infinity IV.8(f), IV.3(d)).
* ``additional-shares-after-start`` -- an issue dated on the dilution start date is not *after* it and moves
  no price (infinity IV.4(d)(i)(3), nvidia IV.D.3(G)(I)).
* ``deemed-options-outstanding`` -- options deemed issued at grant stay in every later base, whatever the
  base's option condition (infinity IV.4(d)(iv), last sentence).
* ``declared-dividends-on-conversion`` -- converting pays the declared unpaid dividends on the converted
  shares in cash, to the charter's cash unit (infinity IV.4(a), IV.4(h)(i)).

Every expected value is computed here from the charter's terms, not by the oracle's function under test;
checks reach the oracle through its modules so that a mutant patched in is the one checked.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import charter_oracle.oracle.adjustments as _adj
import charter_oracle.oracle.compliance as _comp
import charter_oracle.oracle.conversion as _conv
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.adjustments import Event
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import round_down, round_half_even, round_half_up


def _tables(charter: Charter, base: CapTable | None) -> st.SearchStrategy[CapTable]:
    from charter_oracle.invariants.registry import tables  # late: the registry registers these invariants

    return tables(charter, base)


def _issue_dates(charter: Charter) -> tuple[tuple[str, dt.date], ...]:
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
    return st.one_of(_tables(charter, base).flatmap(lambda t: near_the_edge(t)), fractions_add_up())


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
        measure = Fraction(1, 2)
        if e.threshold is not None:
            f = e.threshold.fraction
            measure = draw(st.sampled_from([f, f - Fraction(1, 10**6), f + Fraction(1, 10**6), Fraction(0), Fraction(1)]))
        flags = tuple(draw(st.lists(st.sampled_from(list(e.exceptions) + ["unrelated"]), unique=True, max_size=2)))
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


# --- additional-shares-after-start ------------------------------------------------------------------

def start_day_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    terms = charter.dilution
    assert terms is not None and terms.start_date is not None

    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        shares = draw(st.integers(1, gen.company_size(charter, t)))
        return Case(t, events=(Event("issue", terms.start_date, shares=shares, price=gen.CENT),))
    return _tables(charter, base).filter(
        lambda t: t.shares_of(charter.common.id) < charter.common.authorized // 2).flatmap(lambda t: build(t))


def check_start_day(charter: Charter, case: Case) -> None:
    (event,) = case.events
    if case.table.shares_of(charter.common.id) + event.shares > charter.common.authorized:
        return
    state = _adj.run_ledger(charter, case.table, [event]).states[0]
    for s in charter.series:
        before = case.table.conversion_price(charter, s.id)
        if state.price(s.id) != before:
            raise Violation(f"{s.id}: an issue dated on the start date {event.date} (not after it) moved the price "
                            f"{before} to {state.price(s.id)}", case)
        if s.dilution.method != "none" and gen.CENT < before:
            reached()  # a cheap issue that would have adjusted a day later


# --- deemed-options-outstanding ---------------------------------------------------------------------

def deemed_grant_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    terms = charter.dilution
    assert terms is not None

    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        day = draw(gen.event_dates(charter, t))
        exercise = draw(gen.cents(gen.CENT, Fraction(20)))
        shares = draw(st.integers(1, gen.company_size(charter, t)))
        return Case(t, events=(Event("grant", day, shares=shares, exercise_price=exercise),))
    return _tables(charter, base).flatmap(lambda t: build(t))


def check_deemed_options(charter: Charter, case: Case) -> None:
    terms = charter.dilution
    assert terms is not None
    (grant,) = case.events
    result = _adj.run_ledger(charter, case.table, [grant])
    before, after = result.initial, result.states[0]
    limit_id = terms.options_in_base.split(":", 1)[1] if terms.options_in_base != "all" else None
    deemed = gen.in_force(charter, grant.date) and any(
        grant.exercise_price < before.price(s.id) for s in charter.series if s.dilution.method != "none")
    want = Fraction(after.common) + _adj.conversion_shares_in_base(charter, after)
    for g in after.grants:
        below = limit_id is None or g.exercise_price < after.price(limit_id)
        if below or (deemed and g.index == 0):
            want += g.shares
    got = _adj.formula.deemed_outstanding(charter, after)  # the one the ledger calls (and a mutant patches)
    if got != want:
        raise Violation(f"after granting {grant.shares} options at {grant.exercise_price} "
                        f"({'deemed issued' if deemed else 'not deemed issued'}) the base is {got}, not {want}", case)
    if deemed and limit_id is not None and grant.exercise_price >= after.price(limit_id):
        reached()  # deemed issued, yet the option condition alone would leave them out


# --- declared-dividends-on-conversion ---------------------------------------------------------------

def dividend_conversion_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        holder = draw(st.sampled_from(t.holders))
        dividends = tuple((s.id, draw(gen.cents(Fraction(0), Fraction(1)) | st.just(Fraction(1352, 10000))))
                          for s in charter.series)
        table = CapTable(t.as_of, t.holdings, t.options, t.conversion_prices, dividends, t.issue_dates)
        return Case(table, params=(("holder", holder),))
    return _tables(charter, base).flatmap(lambda t: build(t))


def check_dividends_on_conversion(charter: Charter, case: Case) -> None:
    t, holder = case.table, case.param("holder")
    r = _conv.convert_holder(charter, t, holder, None, Fraction(0))
    want = sum((t.holder_shares(holder, s.id) * t.dividend_per_share(s.id) for s in charter.series), Fraction(0))
    unit = charter.conversion.cash_unit
    if unit is not None:
        tie = charter.dilution.price_tie if charter.dilution else "half-up"
        want = (round_half_even if tie == "half-even" else round_half_up)(want, unit)
    if r.declared_dividends != want:
        raise Violation(f"{holder} converting all its preferred is paid {r.declared_dividends} of declared dividends, "
                        f"not {want} ({charter.conversion.declared_dividends_cite})", case)
    if want:
        reached()


# --- registration -------------------------------------------------------------------------------------

def invariants() -> tuple[Any, ...]:
    """The invariants above, as registry ``Invariant`` values (called by the registry once it is defined)."""
    from charter_oracle.invariants.registry import Invariant, _and, needs_preferred

    def has_dilution_start(c: Charter) -> tuple[bool, str]:
        if c.dilution is None or c.dilution.start_date is None:
            return False, "no dilution start date"
        return True, f"Additional Shares are those issued after {c.dilution.start_date}"

    return (
        Invariant("reservation-whole-shares", "After any issue, common or preferred, the reservation holds exactly "
                  "when unissued common covers each holder's whole conversion shares, summed.", "oracle",
                  lambda c: (c.conversion.reservation_cite, c.conversion.cash_in_lieu_cite), needs_preferred,
                  reservation_cases, check_reservation_whole_shares),
        Invariant("consent-by-substance", "A consent needed for a deemed liquidation is asked for exactly when the "
                  "deal is one, whatever the action is called.", "oracle",
                  lambda c: tuple(r.cite for r in _substance_rules(c)) + tuple(e.cite for e in c.liquidation.deemed),
                  lambda c: ((True, "a consent follows the substance of a deal") if _substance_rules(c)
                             else (False, "no consent is asked for by substance")), substance_cases,
                  check_consent_by_substance),
        Invariant("additional-shares-after-start", "An issue dated on the dilution start date is not after it and "
                  "moves no conversion price.", "oracle",
                  lambda c: (c.dilution.cite, c.dilution.excluded_cite) if c.dilution else (), has_dilution_start,
                  start_day_cases, check_start_day),
        Invariant("deemed-options-outstanding", "Options deemed issued at grant stay in every later base, whatever "
                  "the base's own option condition.", "oracle",
                  lambda c: (c.dilution.base_cite,) if c.dilution else (),
                  _and(needs_preferred, lambda c: c.dilution is not None and c.dilution.options_in_base != "all",
                       "the base counts only some options", "the base counts every option"),
                  deemed_grant_cases, check_deemed_options),
        Invariant("declared-dividends-on-conversion", "Converting pays the declared unpaid dividends on the converted "
                  "shares in cash (to the charter's cash unit).", "oracle",
                  lambda c: (c.conversion.declared_dividends_cite,),
                  _and(needs_preferred, lambda c: c.conversion.pays_declared_dividends,
                       "the charter pays declared dividends on conversion", "the charter says nothing of them"),
                  dividend_conversion_cases, check_dividends_on_conversion),
    )
