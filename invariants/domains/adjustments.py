"""Anti-dilution invariants: what an issue or option grant does to the conversion prices.

No increase, the scope of protection, the weighted-average formula, the reservation after an
adjustment, and the broad-based standard (infinity IV.4(d), nvidia IV.D.3(G)). Splits and
combinations are in ``splits`` (the same clauses' other half, kept apart for size).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import charter_oracle.oracle.adjustments as _adj
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, dilution_cites, has_dilution, needs_preferred, requires, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.adjustments import Event
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter


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
        (ex.as_converted(s, n, prices[s.id]) for s, (_, n) in zip(charter.series, state.preferred)), Fraction(0))
    paid = _paid_per_share(charter, event)
    return any(event.shares * (prices[s.id] - paid) / (base + event.shares) >= max(least, Fraction(1, 10**6))
               for s in charter.series if s.dilution.method == "none" and paid < prices[s.id])


def case_ledger(charter: Charter, case: Case) -> Any:
    return _adj.run_ledger(charter, case.table, case.events)


def history_cases(charter: Charter, base: CapTable | None, **kw: Any) -> st.SearchStrategy[Case]:
    return tables(charter, base).flatmap(lambda t: gen.event_histories(charter, t, **kw).map(lambda e: Case(t, events=e)))


def check_no_increase(charter: Charter, case: Case) -> None:
    result = case_ledger(charter, case)
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


NO_CONVERSION_PRICE_INCREASE = Invariant(
    "no-conversion-price-increase", "An issue or option grant never raises a conversion price.", "oracle",
    dilution_cites("cite", "below_cite"), has_dilution, history_cases, check_no_increase)


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


def check_scope(charter: Charter, case: Case) -> None:
    result = case_ledger(charter, case)
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


ANTI_DILUTION_SCOPE = Invariant(
    "anti-dilution-scope", "A series without dilution protection moves only on splits and combinations.",
    "oracle", lambda c: tuple(s.dilution.cite for s in c.series if s.dilution.method == "none"),
    requires(needs_preferred, lambda c: any(s.dilution.method == "none" for s in c.series),
             "a series has no dilution protection", "every series is protected"), scope_history_cases,
    check_scope)


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


def check_adjustment_formula(charter: Charter, case: Case) -> None:
    (event,) = case.events
    state = case_ledger(charter, case).states[0]
    terms = charter.dilution
    if terms is not None and terms.start_date is not None and event.date < terms.start_date:
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


ADJUSTMENT_FORMULA = Invariant(
    "adjustment-formula", "One issue moves each protected price exactly by the broad-based weighted average "
    "(the charter's base, consideration basis, strictness and rounding); others not at all.", "oracle",
    dilution_cites("cite", "consideration_cite", "base_cite", "below_cite", "rounding_cite"), has_dilution,
    one_issue_cases, check_adjustment_formula)


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
    result = case_ledger(charter, case)
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


RESERVATION_SUFFICIENT = Invariant(
    "reservation-sufficient", "An issue that fits the reservation at the old prices still leaves enough "
    "authorized unissued common for full conversion at the adjusted prices.", "charter-property",
    lambda c: (c.conversion.reservation_cite, *dilution_cites("cite")(c)), has_dilution,
    reservation_cases, check_reservation)


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
    got = case_ledger(charter, case).states[0].conversion_prices
    standard = ex.one_issue_prices(charter, case.table, event.shares, event.price, event.commissions, all_options=True)
    for sid, price in got.items():
        if price < standard[sid]:
            raise Violation(f"{sid}: {price} after the issue; a standard broad-based base (all options) gives "
                            f"{standard[sid]}", case)
    if _below(charter, event, {s.id: case.table.conversion_price(charter, s.id) for s in charter.series}):
        reached()


BROAD_BASED_STANDARD = Invariant(
    "broad-based-standard", "A dilutive issue moves the price no more than a standard broad-based weighted "
    "average counting every option would.", "charter-property", dilution_cites("base_cite"),
    requires(has_dilution, lambda c: c.dilution.options_in_base != "all", "the base counts only some options",
             "the base counts every option"), big_issue_cases, check_options_base)

