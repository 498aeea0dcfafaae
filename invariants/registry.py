"""The invariant registry: every invariant as a value, with its clauses, its scope and its check.

Two kinds: ``oracle`` invariants must hold (a
violation is a bug); ``charter-property`` invariants may be broken by the text
itself (a violation is a *finding*). Whether an invariant applies is decided from
the charter's data, never its id: a charter without preferred stock reports the
preference invariants as not applicable, with the reason, never as passed.

Checks reach the oracle through its modules (``_liq.distribute``, not a name
imported once), so a mutant swapped in at run time is the one that is checked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from hypothesis import strategies as st

import charter_oracle.oracle.adjustments as _adj
import charter_oracle.oracle.cap_table as _cap
import charter_oracle.oracle.compliance as _comp
import charter_oracle.oracle.conversion as _conv
import charter_oracle.oracle.dividends as _div
import charter_oracle.oracle.liquidation as _liq
import charter_oracle.oracle.positions as _pos
import charter_oracle.oracle.valuation as _val
import charter_oracle.oracle.voting as _vote
import charter_oracle.oracle.waterfall as _wf
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.adjustments import Event
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter, ConsentRule
from charter_oracle.oracle.errors import CapTableError

Kind = Literal["oracle", "charter-property"]
CasesFn = Callable[[Charter, CapTable | None], st.SearchStrategy[Case]]
CheckFn = Callable[[Charter, Case], None]
Scope = Callable[[Charter], tuple[bool, str]]
CitesFn = Callable[[Charter], tuple[str, ...]]


@dataclass(frozen=True)
class Invariant:
    id: str
    statement: str
    kind: Kind
    cites: CitesFn
    scope: Scope
    cases: CasesFn
    check: CheckFn

    def applies_to(self, charter: Charter) -> tuple[bool, str]:
        return self.scope(charter)

    def clauses(self, charter: Charter) -> tuple[str, ...]:
        """The clauses of *this* charter the invariant comes from (from the charter file's cites)."""
        return tuple(dict.fromkeys(c for c in self.cites(charter) if c))


# --- scopes -------------------------------------------------------------------------------

def everywhere(reason: str) -> Scope:
    return lambda charter: (True, reason)


def needs_preferred(charter: Charter) -> tuple[bool, str]:
    if not charter.series:
        return False, "no preferred series: the charter has only common stock"
    return True, f"{len(charter.series)} preferred series"


def _and(first: Scope, test: Callable[[Charter], bool], yes: str, no: str) -> Scope:
    def scope(charter: Charter) -> tuple[bool, str]:
        ok, why = first(charter)
        if not ok:
            return ok, why
        return (True, yes) if test(charter) else (False, no)
    return scope


def _protected(charter: Charter) -> bool:
    return charter.dilution is not None and any(s.dilution.method != "none" for s in charter.series)


def _paid_per_share(charter: Charter, event: Event) -> Fraction:
    """What an issue or grant brings in per share under the charter's consideration basis (not the oracle's)."""
    if event.kind == "grant":
        return event.price + event.exercise_price
    net = charter.dilution is not None and charter.dilution.consideration == "net-of-commissions"
    return event.price - (event.commissions / event.shares if net else 0)


def _below(charter: Charter, event: Event, prices: dict[str, Fraction], protected: bool = True) -> bool:
    """Whether an issue or grant the anti-dilution clause governs (dated on or after its start) is priced
    below the price in effect of a series with (``protected``) or without weighted-average protection."""
    # Without any anti-dilution clause every issue is one a wrongly applied weighted average would act on.
    governed = gen.in_force(charter, event.date) or (not protected and charter.dilution is None)
    if event.kind not in ("issue", "grant") or not event.shares or not governed:
        return False
    paid = _paid_per_share(charter, event)
    return any(paid < prices[s.id] for s in charter.series if (s.dilution.method != "none") == protected)


def _visible_below(charter: Charter, event: Event, prices: dict[str, Fraction], state: Any) -> bool:
    """Whether a governed issue is priced so far below an unprotected series' price, and is so large, that
    a weighted average would move that price by at least the charter's rounding unit and carry-forward
    threshold (infinity IV.4(h)): the move n * (CP - p) / (N + n), with N over-estimated as every share,
    option and as-converted preferred share in the ledger state before the event."""
    if not _below(charter, event, prices, protected=False):
        return False
    terms = charter.dilution
    least = max(terms.price_unit or 0, terms.carry_forward_below or 0) if terms is not None else 0
    base = state.common + sum(g.shares for g in state.grants) + sum(
        (n * s.conversion.value / prices[s.id] for s, (_, n) in zip(charter.series, state.preferred)), Fraction(0))
    paid = _paid_per_share(charter, event)
    return any(event.shares * (prices[s.id] - paid) / (base + event.shares) >= max(least, Fraction(1, 10**6))
               for s in charter.series if s.dilution.method == "none" and paid < prices[s.id])


# --- case strategies ----------------------------------------------------------------------

def tables(charter: Charter, base: CapTable | None, **kw: Any) -> st.SearchStrategy[CapTable]:
    """Generated tables, and the user's own table often (its realistic sizes reach every region)."""
    generated = gen.cap_tables(charter, **kw)
    return st.one_of(st.just(base), generated, st.just(base)) if base is not None else generated


def exit_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    return tables(charter, base).flatmap(
        lambda t: gen.proceeds_for(charter, t).map(lambda p: Case(t, p)))


def pair_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    deltas = st.one_of(st.just(gen.CENT), st.just(Fraction(1, 1000)), gen.cents(gen.CENT, Fraction(1_000_000)))
    return tables(charter, base).flatmap(lambda t: st.tuples(gen.proceeds_for(charter, t), deltas).map(
        lambda pd: Case(t, pd[0], params=(("delta", pd[1]),))))


def shortfall_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    def for_table(t: CapTable) -> st.SearchStrategy[Case]:
        total = sum((ex.claim(t, s) for s in charter.series), Fraction(0))
        return st.one_of(st.just(total), st.just(max(total - gen.CENT, Fraction(0))),
                         st.fractions(0, max(total, Fraction(1)), max_denominator=10**6)).map(lambda p: Case(t, min(p, total)))
    return tables(charter, base).flatmap(for_table)


def history_cases(charter: Charter, base: CapTable | None, **kw: Any) -> st.SearchStrategy[Case]:
    return tables(charter, base).flatmap(lambda t: gen.event_histories(charter, t, **kw).map(lambda e: Case(t, events=e)))


def scope_history_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """Histories whose issues are drawn around the prices of the series *without* protection, often ending
    in a deep issue (as many shares as the company has, at one cent): issues below those prices are where a
    weighted average wrongly applied to such a series shows, through any rounding."""
    def deepen(t: CapTable, events: tuple[Event, ...], deep: bool) -> Case:
        common = t.shares_of(charter.common.id)
        for e in events:  # the common count after the history, in current units
            common = common + e.shares if e.kind == "issue" else int(common * e.ratio) if e.kind == "split" else common
        room = charter.common.authorized - common
        if deep and room > 0:
            day = events[-1].date if events else gen.event_window(charter, t)[0]
            events += (Event("issue", day, shares=min(gen.company_size(charter, t), room), price=gen.CENT),)
        return Case(t, events=events)

    def for_table(t: CapTable) -> st.SearchStrategy[Case]:
        anchors = [t.conversion_price(charter, s.id) for s in charter.series if s.dilution.method == "none"]
        return st.tuples(gen.event_histories(charter, t, anchors=anchors), st.booleans()).map(
            lambda pair: deepen(t, *pair))
    return tables(charter, base).flatmap(for_table)


def one_issue_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """Generated issues, and a deep cheap issue on the user's table.

    The deep issue (as many shares as the company has, at one cent, on the clause's first
    day after the table's date) moves every protected price by
    more than a cent, so a wrong base N (e.g. counting options the charter leaves out,
    infinity IV.4(d)(iv)) shows even through cent rounding.
    """
    generated = tables(charter, base).filter(lambda t: t.shares_of(charter.common.id) < charter.common.authorized).flatmap(
        lambda t: gen.issue_events(charter, t).map(lambda e: Case(t, events=(e,))))
    if base is None:
        return generated
    room = charter.common.authorized - base.shares_of(charter.common.id)
    if room <= 0:
        return generated
    deep = Event("issue", gen.event_window(charter, base)[0], shares=min(gen.company_size(charter, base), room),
                 price=Fraction(1, 100))
    return st.one_of(st.just(Case(base, events=(deep,))), generated)


def split_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    ratios = st.sampled_from([Fraction(2), Fraction(3), Fraction(10), Fraction(1, 2), Fraction(1, 3), Fraction(3, 2)])

    def for_table(t: CapTable) -> st.SearchStrategy[Case]:
        day = gen.event_window(charter, t)[0]  # an issue the clause governs, then the split a year later
        prefix = gen.issue_events(charter, t, day).map(lambda e: [e]) | st.just([]) \
            if charter.dilution and t.shares_of(charter.common.id) < charter.common.authorized else st.just([])
        return st.tuples(prefix, ratios).map(lambda pr: Case(
            t, events=(*pr[0], Event("split", gen.years_after(day, 1), ratio=pr[1])), params=(("prefix", len(pr[0])),)))
    return tables(charter, base).flatmap(for_table)


def round_trip_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    ks = st.sampled_from([Fraction(2), Fraction(3), Fraction(7), Fraction(10)])

    def for_table(t: CapTable) -> st.SearchStrategy[Case]:
        day = gen.event_window(charter, t)[0]
        split, inverse = gen.years_after(day, 1), gen.years_after(day, 1) + dt.timedelta(days=152)
        prefix = st.one_of(gen.issue_events(charter, t, day, sub_cent=True).map(lambda e: [e]),
                           gen.issue_events(charter, t, day).map(lambda e: [e]), st.just([])) \
            if charter.dilution and t.shares_of(charter.common.id) < charter.common.authorized else st.just([])
        return st.tuples(prefix, ks).map(lambda pk: Case(t, events=(
            *pk[0], Event("split", split, ratio=pk[1]), Event("split", inverse, ratio=1 / pk[1])),
            params=(("prefix", len(pk[0])),)))
    return tables(charter, base).flatmap(for_table)


def vote_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """Random tables, and tables built to tie: 4m+1 shares converting into 1/2 common each."""
    @st.composite
    def tie(draw: Any) -> Case:
        series = draw(st.sampled_from(list(charter.series)))
        m = draw(st.integers(0, max(0, (series.designated - 1) // 4)).filter(lambda m: 4 * m + 1 <= series.designated))
        holdings = [Holding("Tie Holder", series.id, 4 * m + 1), Holding("Common Holder", charter.common.id, 3)]
        dates_ = tuple((s.id, gen.years_after(charter.date, -2)) for s in charter.series
                       if s.participation.interest_rate is not None)
        return Case(CapTable(charter.date, tuple(holdings), (), ((series.id, 2 * series.conversion.value),), (),
                             dates_))
    plain = tables(charter, base).map(lambda t: Case(t))
    return st.one_of(plain, tie()) if charter.series else plain


# --- checks: liquidation ------------------------------------------------------------------

def _classes(d: Any) -> dict[str, Fraction]:
    return dict(d.classes)


def check_conservation(charter: Charter, case: Case) -> None:
    p = case.proceeds
    d = _liq.distribute(charter, case.table, p)
    total = p
    if charter.interpretations_in_force.get("all.payout-cents") == "cents":
        total = Fraction(int(p * 100), 100)
    for who, amount in (*d.holders, *d.classes):
        if not isinstance(amount, Fraction):
            raise Violation(f"{who} is paid {amount!r}, not an exact Fraction", case)
        if amount < 0:
            raise Violation(f"{who} is paid a negative amount {amount}", case)
    holders = sum((a for _, a in d.holders), Fraction(0))
    classes = sum((a for _, a in d.classes), Fraction(0))
    if holders != total or classes != total:
        raise Violation(f"payouts sum to {holders} (holders) / {classes} (classes), not the proceeds {total}", case)
    if total > 0:
        reached()  # something was paid out


def check_preference_priority(charter: Charter, case: Case) -> None:
    d = _liq.distribute(charter, case.table, case.proceeds)
    paid = _classes(d)
    residual = paid[charter.common.id] > 0 or any(
        paid[s.id] > ex.claim(case.table, s) for s in charter.series if s.id not in d.converted)
    staying = [s for s in charter.series if s.id not in d.converted and case.table.shares_of(s.id)]
    for s in staying:
        owed = ex.claim(case.table, s)
        if residual and paid[s.id] < owed:
            raise Violation(f"residual paid while {s.id} (not converting) has {paid[s.id]} of its {owed}", case)
        juniors = [j for j in staying if j.liquidation.rank > s.liquidation.rank and paid[j.id] > 0]
        if juniors and paid[s.id] < owed:
            raise Violation(f"junior {juniors[0].id} paid while senior {s.id} has {paid[s.id]} of {owed}", case)
    if case.proceeds > 0 and any(ex.claim(case.table, s) > 0 for s in staying):
        reached()  # a preference was in play


def check_pro_rata_shortfall(charter: Charter, case: Case) -> None:
    d = _liq.distribute(charter, case.table, case.proceeds)
    if d.converted:
        raise Violation(f"{sorted(d.converted)} converted although proceeds do not cover the preferences", case)
    want = ex.shortfall_payouts(charter, case.table, case.proceeds)
    got = dict(d.holders)
    for holder, amount in want.items():
        if got.get(holder) != amount:
            raise Violation(f"{holder}: expected {amount} (pro rata to preferential amounts), got {got.get(holder)}", case)
    if 0 < case.proceeds < sum((ex.claim(case.table, s) for s in charter.series), Fraction(0)):
        reached()  # something paid, and short of the preferences


def check_equal_treatment(charter: Charter, case: Case) -> None:
    t = case.table
    d = _liq.distribute(charter, t, case.proceeds)
    classes = _classes(d)
    got = dict(d.holders)
    for holder in t.holders:
        want = sum((Fraction(h.shares) * classes[h.class_id] / t.shares_of(h.class_id)
                    for h in t.holdings if h.holder == holder), Fraction(0))
        if got[holder] != want:
            raise Violation(f"{holder}: paid {got[holder]}, but its shares at the class's per-share amounts give {want}", case)
    # The order of the rows in the cap table is not economics.
    flipped = dataclasses.replace(t, holdings=tuple(reversed(t.holdings)), options=tuple(reversed(t.options)))
    again = dict(_liq.distribute(charter, flipped, case.proceeds).holders)
    if again != got:
        raise Violation("reordering the cap-table rows changed the payouts", case)
    if any(classes[c] > 0 and len({h.holder for h in t.holdings if h.class_id == c}) > 1 for c in classes):
        reached()  # a class with two or more holders was paid: there was something to share ratably


def check_monotone(charter: Charter, case: Case) -> None:
    p, delta = case.proceeds, case.param("delta")
    low = _classes(_liq.distribute(charter, case.table, p))
    high = _classes(_liq.distribute(charter, case.table, p + delta))
    for cid in charter.class_ids:
        rise = high[cid] - low[cid]
        if rise < 0 or rise > delta:
            raise Violation(f"{cid}: payout moves by {rise} when proceeds rise by {delta} (from {p})", case)
    if delta > 0:
        reached()


def check_conversion_rational(charter: Charter, case: Case) -> None:
    t = case.table
    d = _liq.distribute(charter, t, case.proceeds)
    positions = _pos.series_positions(charter, t)
    common = t.shares_of(charter.common.id)
    here = _wf.allocate(charter, case.proceeds, common, positions, frozenset(d.converted))
    if dict(here.classes) != _classes(d):
        raise Violation("the payout is not the waterfall of the conversions it reports", case)
    if frozenset(d.converted) not in set(d.stable_outcomes):
        raise Violation("the conversions paid are not among the stable outcomes reported", case)
    for s in charter.series:
        if not t.shares_of(s.id):
            continue
        other = _wf.allocate(charter, case.proceeds, common, positions, frozenset(d.converted) ^ {s.id})
        if other.amount(s.id) > here.amount(s.id):
            verb = "staying" if s.id in d.converted else "converting"
            raise Violation(f"{s.id} would gain {other.amount(s.id) - here.amount(s.id)} by {verb}", case)
        reached()  # a series' other choice was weighed


def check_participation(charter: Charter, case: Case) -> None:
    t = case.table
    d = _liq.distribute(charter, t, case.proceeds)
    paid = _classes(d)
    common = t.shares_of(charter.common.id)
    level = paid[charter.common.id] / common if common else None
    for s in charter.series:
        shares = t.shares_of(s.id)
        if s.participation.kind == "none" or not shares or s.id in d.converted:
            continue
        extra = max(paid[s.id] - ex.claim(t, s), Fraction(0))
        cap = ex.participation_cap(s, t)
        if cap is not None and extra > cap * shares:
            raise Violation(f"{s.id} participates {extra / shares} per share beyond its preference; cap {cap}", case)
        if level is not None:
            as_converted = shares * ex.ratio(charter, t, s)
            want = as_converted * level if cap is None else min(cap * shares, as_converted * level)
            if extra != want:
                raise Violation(f"{s.id} participates {extra}; with common at {level} per share it should get {want}", case)
            if level > 0:
                reached()  # a participating series shared a positive residual


# --- checks: conversion prices ------------------------------------------------------------

def _ledger(charter: Charter, case: Case) -> Any:
    return _adj.run_ledger(charter, case.table, case.events)


def check_no_increase(charter: Charter, case: Case) -> None:
    result = _ledger(charter, case)
    before = result.initial.conversion_prices
    for event, state in zip(case.events, result.states):
        after = state.conversion_prices
        if event.kind in ("issue", "grant"):
            for sid, price in after.items():
                if price > before[sid]:
                    raise Violation(f"{event.kind} at {event.price} raised {sid} from {before[sid]} to {price}", case)
            if _below(charter, event, before):
                reached()  # a dilutive issue or grant the clause governs
        before = after


def check_scope(charter: Charter, case: Case) -> None:
    result = _ledger(charter, case)
    before = result.initial.conversion_prices
    for i, (event, state) in enumerate(zip(case.events, result.states)):
        after = state.conversion_prices
        for s in charter.series:
            if s.dilution.method == "none" and event.kind != "split" and after[s.id] != before[s.id]:
                raise Violation(f"{s.id} has no dilution protection but moved from {before[s.id]} to {after[s.id]} on "
                                f"an {event.kind}", case)
        if _visible_below(charter, event, before, result.states[i - 1] if i else result.initial):
            reached()  # protection would visibly move an unprotected series' price on this governed issue
        before = after


def check_adjustment_formula(charter: Charter, case: Case) -> None:
    (event,) = case.events
    state = _ledger(charter, case).states[0]
    terms = charter.dilution
    if terms is not None and terms.start_date is not None and event.date <= terms.start_date:  # "after" it only
        want = {s.id: case.table.conversion_price(charter, s.id) for s in charter.series}
    else:
        want = ex.one_issue_prices(charter, case.table, event.shares, event.price, event.commissions)
    for sid, price in want.items():
        if state.conversion_prices[sid] != price:
            raise Violation(f"{sid}: after issuing {event.shares} at {event.price} (commissions {event.commissions}) "
                            f"the price is {state.conversion_prices[sid]}, the formula gives {price}", case)
    # Strictness: an issue not below the price in effect leaves the price alone, citing that clause.
    paid = event.shares * event.price - (event.commissions if terms.consideration == "net-of-commissions" else 0)
    for note in state.notes:
        if note.cite == terms.below_cite:
            continue
        price = case.table.conversion_price(charter, note.series)
        if not paid / event.shares < price:
            raise Violation(f"{note.series}: an issue at {paid / event.shares}, not below the price {price}, was "
                            f"treated as dilutive ({note.what})", case)
    if _below(charter, event, {s.id: case.table.conversion_price(charter, s.id) for s in charter.series}):
        reached()  # the weighted average had to move a protected price


def check_split(charter: Charter, case: Case) -> None:
    result = _ledger(charter, case)
    k = case.param("prefix")
    split = case.events[k]
    before = result.states[k - 1] if k else result.initial
    after = result.states[k]
    unit = charter.dilution.price_unit if charter.dilution else None
    for s in charter.series:
        exact = dict(before.prices)[s.id].start / split.ratio
        got = after.price(s.id)
        if unit is None and got != exact:
            raise Violation(f"{s.id}: a {split.ratio}-for-1 split gives {got}, not {exact}", case)
        slack = max(unit or 0, (charter.dilution.carry_forward_below or 0) if charter.dilution else 0)
        if unit is not None and abs(got - exact) > slack:
            raise Violation(f"{s.id}: a {split.ratio}-for-1 split gives {got}, too far from {exact}", case)
        if unit is None:
            shares = before.preferred and dict(before.preferred)[s.id]
            if shares and shares * s.conversion.value / got != split.ratio * shares * s.conversion.value / before.price(s.id):
                raise Violation(f"{s.id}: the as-converted holding did not scale by {split.ratio}", case)
    if after.common != int(before.common * split.ratio):
        raise Violation(f"common {before.common} became {after.common} on a {split.ratio} split", case)
    reached()


def check_split_round_trip(charter: Charter, case: Case) -> None:
    result = _ledger(charter, case)
    k = case.param("prefix")
    before = result.states[k - 1] if k else result.initial
    after = result.states[-1]
    for s in charter.series:
        if after.price(s.id) != before.price(s.id):
            raise Violation(f"{s.id}: {before.price(s.id)} before a {case.events[k].ratio}-for-1 split and the inverse "
                            f"combination, {after.price(s.id)} after", case)
    reached()


def reservation_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        need = sum((t.shares_of(s.id) * ex.ratio(charter, t, s) for s in charter.series), Fraction(0))
        room = charter.common.authorized - t.shares_of(charter.common.id) - int(need) - 1
        shares = min(draw(st.one_of(st.just(room), st.integers(1, max(room, 1)))),
                     charter.common.authorized - t.shares_of(charter.common.id))
        price = draw(gen.cents(gen.CENT, Fraction(1)))
        return Case(t, events=(Event("issue", draw(gen.event_dates(charter, t)), shares=max(shares, 1), price=price),))
    return tables(charter, base).filter(lambda t: t.shares_of(charter.common.id) < charter.common.authorized).flatmap(
        lambda t: build(t))


def check_reservation(charter: Charter, case: Case) -> None:
    result = _ledger(charter, case)
    if _adj.reservation_shortfall(charter, result.initial):
        return  # the property is about what an adjustment does, not about a table already short
    event = case.events[0]
    needed_before = sum((case.table.shares_of(s.id) * ex.ratio(charter, case.table, s) for s in charter.series), Fraction(0))
    if result.initial.common + event.shares + int(needed_before) > charter.common.authorized:
        return  # the issue itself would break the reservation at the old prices
    if _below(charter, event, result.initial.conversion_prices):
        reached()  # a governed issue that lowers protected prices: the reservation is put to the test
    short = _adj.reservation_shortfall(charter, result.states[-1])
    if short:
        raise Violation(f"issuing {event.shares} common at {event.price} fits the reservation at the old prices, but "
                        f"the adjusted prices need {short} more common than is authorized and unissued", case)


def big_issue_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """Cheap issues the size of the company: where the option base visibly moves the result."""
    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        size = t.shares_of(charter.common.id) + t.option_shares + sum(t.shares_of(s.id) for s in charter.series)
        room = charter.common.authorized - t.shares_of(charter.common.id)
        shares = min(draw(st.integers(max(size // 4, 1), max(size * 2, 1))), room)
        lowest = min(t.conversion_price(charter, s.id) for s in charter.series)
        price = draw(gen.cents(gen.CENT, max(lowest - gen.CENT, gen.CENT)))
        return Case(t, events=(Event("issue", draw(gen.event_dates(charter, t)), shares=shares, price=price),))
    return tables(charter, base).filter(lambda t: t.shares_of(charter.common.id) < charter.common.authorized).flatmap(
        lambda t: build(t))


def check_options_base(charter: Charter, case: Case) -> None:
    (event,) = case.events
    got = _ledger(charter, case).states[0].conversion_prices
    standard = ex.one_issue_prices(charter, case.table, event.shares, event.price, event.commissions, all_options=True)
    for sid, price in got.items():
        if price < standard[sid]:
            raise Violation(f"{sid}: {price} after the issue; a standard broad-based base (all options) gives "
                            f"{standard[sid]}", case)
    if _below(charter, event, {s.id: case.table.conversion_price(charter, s.id) for s in charter.series}):
        reached()


# --- checks: votes, dividends, conversion -------------------------------------------------

def check_votes(charter: Charter, case: Case) -> None:
    count = _vote.count_votes(charter, case.table)
    want = ex.holder_votes(charter, case.table)
    for hv in count.holders:
        exact, rounded, common = want[hv.holder]
        if (hv.preferred, hv.common) != (rounded, common) or hv.preferred_exact != exact:
            raise Violation(f"{hv.holder}: {hv.preferred} preferred + {hv.common} common votes; the aggregate {exact} "
                            f"rounds ({charter.voting.tie}) to {rounded}, with {common} common", case)
        if exact > 0 or (not charter.series and common > 0):
            reached()  # preferred votes were rounded (or, common only, common shares were counted)


def check_vote_tie(charter: Charter, case: Case) -> None:
    spec = next(s for s in charter.interpretations if s.setting == "voting.tie")
    results = {}
    for alternative in spec.alternatives:
        variant = dataclasses.replace(charter, voting=dataclasses.replace(charter.voting, tie=alternative))
        results[alternative] = {h.holder: h.total for h in _vote.count_votes(variant, case.table).holders}
    first, *rest = results.items()
    for name, votes in rest:
        if votes != first[1]:
            diff = {h: (first[1][h], votes[h]) for h in votes if votes[h] != first[1][h]}
            raise Violation(f"{spec.id}: {first[0]} and {name} give different votes {diff}", case)
    if any(exact % 1 == Fraction(1, 2) for exact, _, _ in ex.holder_votes(charter, case.table).values()):
        reached()  # an exact half vote: the tie rule decides


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


def conversion_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        holder = draw(st.sampled_from(t.holders))
        shares = {s.id: draw(st.integers(0, t.holder_shares(holder, s.id))) for s in charter.series}
        fmv = draw(gen.cents(Fraction(0), Fraction(20)))
        return Case(t, params=(("holder", holder), ("shares", tuple(sorted(shares.items()))), ("fmv", fmv)))

    @st.composite
    def fractions_add_up(draw: Any) -> Case:
        """One share of two series converting into 2/3 common each: the fractions make a whole share together."""
        a, b = charter.series[0], charter.series[1]
        n = draw(st.integers(1, 3))
        t = CapTable(charter.date, (Holding("Both", a.id, n), Holding("Both", b.id, n)), (),
                     tuple(sorted(((a.id, a.conversion.value * 3 / 2), (b.id, b.conversion.value * 3 / 2)))), (),
                     tuple((s.id, gen.years_after(charter.date, -2)) for s in charter.series if s.participation.interest_rate))
        return Case(t, params=(("holder", "Both"), ("shares", ((a.id, n), (b.id, n))), ("fmv", Fraction(3))))
    random = tables(charter, base).flatmap(lambda t: build(t))
    return st.one_of(random, fractions_add_up()) if len(charter.series) >= 2 else random


def check_cash_in_lieu(charter: Charter, case: Case) -> None:
    holder, shares, fmv = case.param("holder"), dict(case.param("shares")), case.param("fmv")
    r = _conv.convert_holder(charter, case.table, holder, shares, fmv)
    exact = sum((n * ex.ratio(charter, case.table, charter.series_by_id(sid)) for sid, n in shares.items()), Fraction(0))
    if charter.conversion.share_rounding is not None:
        exact = ex.round_half_up(exact, charter.conversion.share_rounding)
    whole = int(exact)
    cash = (exact - whole) * fmv
    if charter.conversion.cash_unit is not None:  # infinity IV.4(h)(i): to the nearest cent
        tie = charter.dilution.price_tie if charter.dilution else "half-up"
        cash = (ex.round_half_even if tie == "half-even" else ex.round_half_up)(cash, charter.conversion.cash_unit)
    if (r.whole_shares, r.fraction, r.cash_in_lieu) != (whole, exact - whole, cash):
        raise Violation(f"{holder} converting {shares}: {r.whole_shares} shares + {r.fraction} in cash "
                        f"({r.cash_in_lieu}); aggregated, it is {whole} + {exact - whole} ({cash})", case)
    if any(shares.values()):
        reached()  # some preferred was converted


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


def authorized_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        cls = draw(st.sampled_from(list(charter.class_ids)))
        limit = charter.common.authorized if cls == charter.common.id else charter.series_by_id(cls).designated
        room = limit - t.shares_of(cls)
        n = draw(st.sampled_from([max(room, 0), room + 1, max(room - 1, 0), 1]))
        return Case(t, params=(("class", cls), ("shares", max(n, 0))))
    return tables(charter, base).flatmap(lambda t: build(t))


# --- checks: thresholds, consents, triggers, deemed liquidation ----------------------------

def _rules(charter: Charter, which: str) -> list[ConsentRule]:
    if which == "protective":
        return [r for r in charter.consents if r.while_outstanding]
    if which == "supermajority":
        return [r for r in charter.consents if r.threshold.fraction > Fraction(1, 2)]
    return list(charter.consents)


def consent_cases(which: str) -> CasesFn:
    def cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
        rules = _rules(charter, which)

        @st.composite
        def boundary(draw: Any) -> Case:
            rule = draw(st.sampled_from(rules))
            cls = rule.classes[0] if rule.classes != ("*",) else charter.common.id
            limit = charter.common.authorized if cls == charter.common.id else charter.series_by_id(cls).designated
            f = rule.threshold.fraction
            num, den = f.numerator, f.denominator
            k = draw(st.integers(1, max(1, min(limit // den, 10**6))))
            d = draw(st.sampled_from([0, 0, 1, -1]))
            yes, no = k * num + d, k * (den - num) - d
            holdings = tuple(Holding(n, cls, x) for n, x in (("Yes", yes), ("No", no)) if x > 0)
            dates_ = tuple((s.id, gen.years_after(charter.date, -2)) for s in charter.series
                           if s.participation.interest_rate is not None)
            return Case(CapTable(charter.date, holdings, (), (), (), dates_),
                        params=(("rule", rule.id), ("approving", ("Yes",) if yes > 0 else ())))

        @st.composite
        def random(draw: Any, t: CapTable) -> Case:
            rule = draw(st.sampled_from(rules))
            approving = tuple(draw(st.lists(st.sampled_from(t.holders), unique=True)))
            return Case(t, params=(("rule", rule.id), ("approving", approving)))
        return st.one_of(boundary(), tables(charter, base).flatmap(lambda t: random(t)))
    return cases


def check_consents(charter: Charter, case: Case) -> None:
    rule = next(r for r in charter.consents if r.id == case.param("rule"))
    t, approving = case.table, set(case.param("approving"))
    classes = tuple(charter.class_ids) if rule.classes == ("*",) else rule.classes
    if rule.basis == "shares":
        weights = {h: Fraction(sum(t.holder_shares(h, c) for c in classes)) for h in t.holders}
    else:
        votes = ex.holder_votes(charter, t, classes)
        weights = {h: Fraction(v[1] + v[2]) for h, v in votes.items()}
    outstanding = sum(weights.values(), Fraction(0))
    in_favour = sum((w for h, w in weights.items() if h in approving), Fraction(0))
    required = not rule.while_outstanding or any(t.shares_of(c) for c in rule.while_outstanding)
    met = ex.compare(in_favour, outstanding, rule.threshold.fraction, rule.threshold.compare)
    for action in rule.actions:
        checks = {c.name: c for c in _comp.check_action(charter, t, {"action": action, "approving": sorted(approving)})}
        got = checks.get(f"consent:{rule.id}")
        if got is None:
            raise Violation(f"action {action}: the consent {rule.id} ({rule.cite}) was not asked for", case)
        if got.ok != ((not required) or met):
            raise Violation(f"action {action}: {in_favour} of {outstanding} in favour, {rule.threshold.describe()} "
                            f"({'required' if required else 'not required'}): expected {(not required) or met}, "
                            f"got {got.ok}", case)
        reached()


def trigger_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    o = charter.conversion.automatic_offering
    if o is None:
        return st.nothing()
    near = lambda v: st.sampled_from([v - gen.CENT, v, v + gen.CENT, v * 2, Fraction(0)])  # noqa: E731
    offering = st.tuples(near(o.min_price), near(o.min_amount), near(o.min_amount), st.booleans()).map(
        lambda x: Case(CapTable(charter.date, (Holding("X", charter.common.id, 1),)),
                       params=(("price", x[0]), ("gross", x[1]), ("net", x[2]), ("firm", x[3]))))
    return offering


def check_triggers(charter: Charter, case: Case) -> None:
    o = charter.conversion.automatic_offering
    assert o is not None
    price, gross, net, firm = (case.param(k) for k in ("price", "gross", "net", "firm"))
    got = _comp.offering_triggers(charter, price, gross, net, firm).ok
    amount = gross if o.amount_basis == "gross" else net
    want = (ex.compare(price, 1, o.min_price, o.price_compare) and ex.compare(amount, 1, o.min_amount, o.amount_compare)
            and (firm or not o.firm_commitment_required))
    if got != want:
        raise Violation(f"offering at {price}, gross {gross}, net {net}, firm {firm}: triggers {got}, "
                        f"{o.cite} says {want}", case)
    reached()


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


def threshold_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    wholes = st.one_of(st.sampled_from([3, 6, 10**6 + 2, 7, 1]), st.integers(1, 10**9))  # any count of votes or shares
    return wholes.map(
        lambda w: Case(CapTable(charter.date, (Holding("X", charter.common.id, 1),)), params=(("whole", Fraction(w)),)))


# --- the registry -------------------------------------------------------------------------

def _series_cites(attr: str) -> CitesFn:
    # Optional terms (a series' ``dividend``) are skipped where a series has none.
    return lambda c: tuple(getattr(s, attr).cite for s in c.series if getattr(s, attr) is not None)


def _dilution_cites(*attrs: str) -> CitesFn:
    return lambda c: tuple(getattr(c.dilution, a) for a in attrs) if c.dilution else ()


_pref = needs_preferred
_has_dilution = _and(_pref, _protected, "a series has weighted-average protection", "no series has dilution protection")

# --- valuation of distributed securities (infinity IV.3(e)) ---------------------------------

def valuation_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """A daily price series (some days without a close) and a distribution date inside it."""
    @st.composite
    def case(draw: Any) -> Case:
        start = charter.date + dt.timedelta(days=draw(st.integers(0, 800)))
        n = draw(st.integers(45, 120))
        prices = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n))
        gaps = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        closes = tuple((start + dt.timedelta(days=i), Fraction(p, 100)) for i, (p, gap) in enumerate(zip(prices, gaps))
                       if not gap or i % 2 == 0)
        distribution = start + dt.timedelta(days=draw(st.integers(n - 5, n + 10)))
        table = base if base is not None else CapTable(charter.date, ())
        return Case(table, params=(("closes", closes), ("distribution", distribution)))
    return case()


def check_valuation(charter: Charter, case: Case) -> None:
    closes, distribution = case.param("closes"), case.param("distribution")
    try:
        value = _val.market_value(charter, closes, distribution)
    except _val.InputError:
        return  # too few closes for a trading-day window: refused, which is right
    reached()  # a value was computed over a window
    start, end = value.window
    inside = [p for d, p in closes if start <= d <= end]
    if charter.liquidation.valuation_window == "calendar-days":
        lag = charter.liquidation.valuation_lag_days + (charter.liquidation.valuation_window_end == "exclusive")
        expected_end = distribution - dt.timedelta(days=lag)
        if end != expected_end or (end - start).days + 1 != charter.liquidation.valuation_days:
            raise Violation(f"window {start}..{end} is not {charter.liquidation.valuation_days} days ending "
                            f"{expected_end}", case)
        if value.average != sum(inside, Fraction(0)) / len(inside):
            raise Violation(f"value {value.average} is not the mean of the {len(inside)} closes in the window", case)
    # Closes outside the window never move the value.
    moved = tuple((d, p if start <= d <= end else p * 7 + 1) for d, p in closes)
    if _val.market_value(charter, moved, distribution).value != value.value:
        raise Violation("a close outside the window changed the value", case)


INVARIANTS: tuple[Invariant, ...] = (
    Invariant("conservation", "Payouts are exact, non-negative and sum to the proceeds.", "oracle",
              lambda c: (c.liquidation.cite, c.liquidation.residual_cite), everywhere("every charter pays out an exit"),
              exit_cases, check_conservation),
    Invariant("preference-priority", "No residual dollar is paid, and no junior tier is paid, while a non-converting "
              "preferred holder senior to it is short of its full preference.", "oracle",
              lambda c: (c.liquidation.cite, *(s.liquidation.cite for s in c.series)), _pref, exit_cases,
              check_preference_priority),
    Invariant("pro-rata-shortfall", "When the proceeds do not cover the preferences, each holder gets its tier's "
              "amount in proportion to its full preferential amount.", "oracle",
              lambda c: (c.liquidation.shortfall_cite,), _pref, shortfall_cases, check_pro_rata_shortfall),
    Invariant("equal-treatment", "Holders of one class get the same amount per share, whatever the row order.",
              "oracle", lambda c: (c.liquidation.residual_cite, *(s.liquidation.cite for s in c.series)),
              everywhere("every class shares ratably"), exit_cases, check_equal_treatment),
    Invariant("monotone-continuous", "Every class's payout is non-decreasing in the proceeds and rises by at most the "
              "rise in proceeds.", "oracle", lambda c: (c.liquidation.cite,), everywhere("every charter pays out an exit"),
              pair_cases, check_monotone),
    Invariant("conversion-rational", "No series could gain by switching its conversion choice, the others' fixed; the "
              "payout is the waterfall of the reported conversions.", "oracle",
              _series_cites("conversion"), _pref, exit_cases, check_conversion_rational),
    Invariant("participation-cap", "A participating series shares the residual beside common as if converted, and a "
              "capped one never beyond the lesser of its cap legs (interest accrued on the day-count basis).", "oracle",
              _series_cites("participation"),
              _and(_pref, lambda c: any(s.participation.kind != "none" for s in c.series),
                   "a series participates beside common", "no series participates"), exit_cases, check_participation),
    Invariant("no-conversion-price-increase", "An issue or option grant never raises a conversion price.", "oracle",
              _dilution_cites("cite", "below_cite"), _has_dilution, history_cases, check_no_increase),
    Invariant("anti-dilution-scope", "A series without dilution protection moves only on splits and combinations.",
              "oracle", lambda c: tuple(s.dilution.cite for s in c.series if s.dilution.method == "none"),
              _and(_pref, lambda c: any(s.dilution.method == "none" for s in c.series),
                   "a series has no dilution protection", "every series is protected"), scope_history_cases,
              check_scope),
    Invariant("adjustment-formula", "One issue moves each protected price exactly by the broad-based weighted average "
              "(the charter's base, consideration basis, strictness and rounding); others not at all.", "oracle",
              _dilution_cites("cite", "consideration_cite", "base_cite", "below_cite", "rounding_cite"), _has_dilution,
              one_issue_cases, check_adjustment_formula),
    Invariant("split-proportional", "A split by k divides each conversion price by k (within the charter's rounding) "
              "and scales each as-converted holding by k.", "oracle",
              lambda c: (c.dilution.split_cite if c.dilution else c.conversion.cite,), _pref, split_cases, check_split),
    Invariant("vote-rounding", "Each holder's preferred votes are its aggregated exact as-converted votes rounded "
              "once by the charter's rule; common has one vote per share.", "oracle",
              lambda c: (c.voting.cite,), everywhere("every charter counts votes"), vote_cases, check_votes),
    Invariant("authorized-cap", "Outstanding shares never exceed authorized and designated counts; converted preferred "
              "is retired where the charter says so.", "oracle",
              lambda c: (c.common.cite, c.preferred_cite, c.conversion.retire_cite),
              everywhere("every charter authorizes a number of shares"), authorized_cases, check_authorized),
    Invariant("dividend-priority", "A declared dividend follows the charter's order: senior ranks in full first, pro "
              "rata within a rank, common last.", "oracle", lambda c: (c.dividends.cite, *_series_cites("dividend")(c)),
              _and(_pref, lambda c: any(s.dividend for s in c.series), "the preferred has dividend preferences",
                   "no series has a dividend preference"), dividend_cases, check_dividends),
    Invariant("threshold-exactness", "Every stated fraction is compared exactly, with the stated strictness (2/3 is "
              "2/3; 'more than' is strict).", "oracle",
              lambda c: tuple(r.cite for r in c.consents) + tuple(e.cite for e in c.liquidation.deemed if e.threshold)
              + ((c.conversion.automatic_consent.cite,) if c.conversion.automatic_consent else ()),
              lambda c: ((True, "the charter states voting fractions") if c.consents or c.conversion.automatic_consent
                         or any(e.threshold for e in c.liquidation.deemed) else (False, "the charter states no fractions")),
              threshold_cases, check_thresholds),
    Invariant("automatic-conversion", "An offering triggers automatic conversion exactly when the price and the "
              "(gross or net) amount pass their stated tests.", "oracle",
              lambda c: (c.conversion.automatic_offering.cite,) if c.conversion.automatic_offering else (),
              lambda c: ((True, "the charter has an offering trigger") if c.conversion.automatic_offering
                         else (False, "no automatic conversion on an offering")), trigger_cases, check_triggers),
    Invariant("protective-consents", "Each protective provision is asked for on its actions, only while its series is "
              "outstanding, and is met exactly at its threshold.", "oracle",
              lambda c: tuple(r.cite for r in _rules(c, "protective")),
              lambda c: ((True, "the charter has protective provisions") if _rules(c, "protective")
                         else (False, "no protective provisions")), consent_cases("protective"), check_consents),
    Invariant("supermajority", "Supermajority votes (two thirds and the like) pass exactly at their fraction of the "
              "counted votes, never at a decimal approximation.", "oracle",
              lambda c: tuple(r.cite for r in _rules(c, "supermajority")),
              lambda c: ((True, "the charter requires supermajorities") if _rules(c, "supermajority")
                         else (False, "no supermajority requirement")), consent_cases("supermajority"), check_consents),
    Invariant("deemed-liquidation", "A transaction is a deemed liquidation exactly when its kind, measure and "
              "exceptions say so.", "oracle", lambda c: tuple(e.cite for e in c.liquidation.deemed),
              lambda c: ((True, "the charter defines deemed liquidations") if c.liquidation.deemed
                         else (False, "no deemed liquidation events")), deemed_cases, check_deemed),
    Invariant("cash-in-lieu", "Converting pays whole shares on the holder's aggregated conversion shares (after the "
              "charter's share rounding) and cash for the fraction.", "oracle",
              lambda c: (c.conversion.cash_in_lieu_cite, c.conversion.share_rounding_cite), _pref,
              conversion_cases, check_cash_in_lieu),
    Invariant("valuation-window", "Distributed listed securities are worth the mean close over the stated window "
              "ending the stated days before the distribution; closes outside it never matter.", "oracle",
              lambda c: (c.liquidation.valuation_cite,),
              lambda c: ((True, "the charter values distributed securities by a market window")
                         if c.liquidation.valuation_days else (False, "the charter states no market valuation window")),
              valuation_cases, check_valuation),
    Invariant("split-round-trip", "A split followed by the inverse combination restores every conversion price.",
              "charter-property",
              # without [dilution] a split moves prices through the conversion clause alone (value / price)
              lambda c: _dilution_cites("split_cite", "rounding_cite")(c) or (c.conversion.cite,), _pref, round_trip_cases,
              check_split_round_trip),
    Invariant("reservation-sufficient", "An issue that fits the reservation at the old prices still leaves enough "
              "authorized unissued common for full conversion at the adjusted prices.", "charter-property",
              lambda c: (c.conversion.reservation_cite, *_dilution_cites("cite")(c)), _has_dilution,
              reservation_cases, check_reservation),
    Invariant("broad-based-standard", "A dilutive issue moves the price no more than a standard broad-based weighted "
              "average counting every option would.", "charter-property", _dilution_cites("base_cite"),
              _and(_has_dilution, lambda c: c.dilution.options_in_base != "all", "the base counts only some options",
                   "the base counts every option"), big_issue_cases, check_options_base),
    Invariant("vote-tie-independence", "The votes do not depend on which way an unstated rounding tie goes.",
              "charter-property", lambda c: (c.voting.cite,),
              _and(_pref, lambda c: any(s.setting == "voting.tie" for s in c.interpretations),
                   "the vote tie rule is an interpretation", "the charter states its vote tie rule"),
              vote_cases, check_vote_tie),
)
from charter_oracle.invariants.fidelity_invariants import invariants as _fidelity_invariants  # noqa: E402
INVARIANTS += _fidelity_invariants()  # issue 10 (fidelity to the texts); to move into the domain modules

BY_ID: dict[str, Invariant] = {inv.id: inv for inv in INVARIANTS}
