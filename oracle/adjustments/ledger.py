"""The ledger replay: events applied in order, repricings and expiries recomputed by replay.

* options are deemed issued at grant for their maximum shares at the minimum consideration; on
  expiry the price is readjusted to the one that would be in effect had the grant been only of the
  options not expired (nvidia IV.D.3(G)(III); infinity by interpretation infinity.option-expiry);
  a change of an option's price is recomputed from the grant's original terms (nvidia
  IV.D.3(G)(III) "again recalculated", infinity IV.4(d)(iii)(B), capped by (C)).
* units: the shares and prices of an event are in the units current at its date; a grant's terms
  are kept in the units of its date, and expiries and repricings are converted into them.
* replay: each repricing or expiry replays only the events since its grant, from a checkpoint in
  which every grant already has its terms as they stand now; replays never nest, so a ledger
  costs O(events x changes of terms), not exponential time.
* excluded issuances (employee plans, within infinity's 7,300,000 cap net of expirations) move
  nothing but still count in later bases.
* splits and combinations divide every price by the ratio (IV.4(d)(vi)(1), IV.D.3(D)).

The formula's parts are called through ``formula.`` so that a mutant patching one of them there
reaches every use.

Over 300 lines on purpose: the replay, its checkpoints and the expiry/repricing recomputations share
the ledger's state and must change together; the formula, events and state already live apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction

from charter_oracle.oracle.adjustments import exempted, formula, methods
from charter_oracle.oracle.adjustments.events import Event
from charter_oracle.oracle.adjustments.state import Grant, LedgerResult, LedgerState, Note, SeriesPrice, initial_state
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import EventsError
from charter_oracle.oracle.exact import MAX_PRINT_BITS, format_exact, round_down
from charter_oracle.oracle.interpretations import EXPIRY_RELEASE, REPRICE_CEILING_BASE

# A price longer than this could not be printed (Python's int-to-str limit stays in force).
# Reasonable input never comes near it (whole-share bases keep the growth linear); an exact-count
# base (all.base-conversion-shares=exact) over many financings does, and is refused, not run for minutes.
_MAX_PRICE_BITS = MAX_PRINT_BITS


def _checked(index: int, series_id: str, price: SeriesPrice, why: Callable[[], str]) -> SeriesPrice:
    """Refuse a price that is zero (later divisions by it are meaningless) or unprintably long.

    ``why`` describes the event; called only on a refusal (the size is checked before any printing).
    """
    longest = max(abs(price.exact.numerator).bit_length(), price.exact.denominator.bit_length())
    if longest > _MAX_PRICE_BITS:
        raise EventsError(f"events[{index}]: {series_id}'s exact conversion price would have over 4,000 digits "
                          f"(choose whole-share bases, all.base-conversion-shares=whole, or rounded prices)")
    if price.effective <= 0:
        raise EventsError(f"events[{index}]: {why()} takes {series_id}'s conversion price to "
                          f"{format_exact(price.effective)}; a conversion price must stay positive")
    return price


def _dilute(charter: Charter, state: LedgerState, event: Event, index: int, additional: int | Fraction) -> LedgerState:
    """Adjust every protected series for ``additional`` shares issued or deemed issued."""
    terms = charter.dilution
    if terms is None or additional == 0:
        return state
    if not formula.governs(charter, event.date):
        return state
    paid = formula.consideration(charter, event) * additional / event.shares
    effective_price = paid / additional
    base = formula.deemed_outstanding(charter, state)
    prices = dict(state.prices)
    notes = list(state.notes)
    for series in charter.series:
        current = prices[series.id]
        if series.dilution.method == "none":
            continue
        if not formula.is_dilutive(effective_price, current.effective):
            notes.append(Note(index, series.id, current.effective, current.effective, terms.below_cite,
                              f"not below the price in effect ({format_exact(effective_price)} >= {format_exact(current.effective)}): no change"))
            continue
        # The method by name (broad or narrow weighted average, full ratchet): oracle/adjustments/methods.py.
        exact_new = methods.adjusted_price(charter, series, state, current.start, base, paid, additional)
        from_effective = methods.adjusted_price(charter, series, state, current.effective, base, paid, additional)
        settled = _checked(index, series.id, formula.settle_price(charter, current, exact_new, from_effective), lambda: (
            f"issuing {format_exact(additional)} shares for {format_exact(paid)} with a base of {format_exact(base)}"))
        prices[series.id] = settled
        what = methods.describe(charter, series, state, base, paid, additional)
        if settled.effective == current.effective:
            what += "; change under the threshold, carried forward"
        notes.append(Note(index, series.id, current.effective, settled.effective, series.dilution.cite, what))
    return replace(state, prices=tuple(prices.items()), notes=tuple(notes))


def _split(charter: Charter, state: LedgerState, event: Event, index: int) -> LedgerState:
    prices = dict(state.prices)
    notes = list(state.notes)
    cite = charter.dilution.split_cite if charter.dilution else charter.conversion.cite
    for series in charter.series:
        current = prices[series.id]
        exact_new = current.start / event.ratio
        if charter.dilution is not None:
            settled = formula.settle_price(charter, current, exact_new, current.effective / event.ratio)
        else:
            settled = SeriesPrice(exact_new, exact_new)
        prices[series.id] = _checked(index, series.id, settled,
                                     lambda: f"a split of {format_exact(event.ratio)} new shares per old")
        notes.append(Note(index, series.id, current.effective, settled.effective, cite,
                          f"split/combination {event.ratio} new per old: price divided proportionally"))
    grants = tuple(
        replace(g, shares=int(round_down(g.shares * event.ratio)), exercise_price=g.exercise_price / event.ratio,
                deemed=int(round_down(g.deemed * event.ratio)), exercised=g.exercised * event.ratio)
        for g in state.grants
    )
    # Whole shares only: fractions created by a combination are paid in cash, not kept.
    common = int(round_down(state.common * event.ratio))
    return replace(state, common=common, grants=grants, prices=tuple(prices.items()), notes=tuple(notes))


def _outstanding_grant(state: LedgerState, event: Event, index: int) -> Grant:
    # an event's negative grant -1 - k names the cap table's options row k (events file: ``option = k``)
    matches = [g for g in state.grants if (g.index == event.grant if event.grant is None or event.grant >= 0
                                           else g.row == -1 - event.grant)]
    if not matches:
        raise EventsError(f"events[{index}]: grant {event.grant} is not an outstanding option grant")
    return matches[0]


def _expire_books(charter: Charter, state: LedgerState, event: Event, index: int) -> LedgerState:
    """Take expired options out of the grant (and out of the employee cap: net of expirations, infinity
    IV.4(d)(i)(3)(B)). Which part of a partly capped grant expires first is all.expiry-release."""
    grant = _outstanding_grant(state, event, index)
    if event.shares > grant.shares:
        raise EventsError(f"events[{index}]: {event.shares} shares expire but grant {event.grant} has {grant.shares}")
    if charter.interpretations_in_force.get(EXPIRY_RELEASE, "excluded-first") == "additional-first":
        freed = max(event.shares - (grant.shares - grant.employee_excluded), 0)
        deemed = max(grant.deemed - event.shares, 0)
    else:
        freed = min(event.shares, grant.employee_excluded)
        deemed = grant.deemed
    shares, excluded = grant.shares - event.shares, grant.employee_excluded - freed
    left = replace(grant, shares=shares, employee_excluded=excluded, deemed=min(deemed, shares - excluded))
    grants = tuple(left if g is grant else g for g in state.grants)
    return replace(state, grants=grants, employee_cap_used=state.employee_cap_used - freed)


def _exercise_books(charter: Charter, state: LedgerState, event: Event, index: int) -> LedgerState:
    """Options exercised: common issued, the options gone, no adjustment (infinity IV.4(d)(iii)(A); nvidia
    IV.D.3(G)(III) "no further adjustment", IV.D.3(G)(IV)(C)-(D)). The employee cap is net of expirations,
    not of exercises: what was inside it stays inside it, now as shares (infinity IV.4(d)(i)(3)(B))."""
    grant = _outstanding_grant(state, event, index)
    if event.shares > grant.shares:
        raise EventsError(f"events[{index}]: {event.shares} options exercised but the grant has {grant.shares}")
    if state.common + event.shares > charter.common.authorized:
        raise EventsError(f"events[{index}]: exercising {event.shares} options takes common outstanding beyond the "
                          f"{charter.common.authorized} authorized ({charter.common.cite})")
    shares = grant.shares - event.shares
    excluded = grant.employee_excluded - min(event.shares, grant.employee_excluded)
    left = replace(grant, shares=shares, employee_excluded=excluded, deemed=min(grant.deemed, shares - excluded),
                   exercised=grant.exercised + event.shares)
    return replace(state, common=state.common + event.shares,
                   grants=tuple(left if g is grant else g for g in state.grants))


def _step(charter: Charter, state: LedgerState, event: Event, index: int, replay: bool) -> LedgerState:
    """One event on the state before it. In a replay every grant event already carries its terms
    as they stand now (``event`` is those terms), so repricings are no-ops and, where expiry
    readjusts, so are expiries; where it does not, an expiry only leaves the books."""
    state = replace(state, notes=())
    if event.kind == "issue":
        if state.common + event.shares > charter.common.authorized:
            raise EventsError(
                f"events[{index}]: issuing {event.shares} shares takes common outstanding to "
                f"{state.common + event.shares}, beyond the {charter.common.authorized} authorized ({charter.common.cite})"
            )
        excluded, additional = formula.employee_split(charter, state, event)
        state = _dilute(charter, state, event, index, additional)
        return replace(state, common=state.common + event.shares,
                       employee_cap_used=state.employee_cap_used + (excluded if event.excluded == "employee" else 0))
    if event.kind == "grant":
        excluded, additional = formula.employee_split(charter, state, event)
        deemed = formula.deemed_issued(charter, state, event, additional)  # judged on the prices before it
        state = _dilute(charter, state, event, index, additional)
        grant = Grant(index, event.shares, event.exercise_price, excluded if event.excluded == "employee" else 0, deemed)
        return replace(state, grants=state.grants + (grant,),
                       employee_cap_used=state.employee_cap_used + grant.employee_excluded)
    if event.kind == "split":
        return _split(charter, state, event, index)
    if event.kind == "exercise":
        return _exercise_books(charter, state, event, index)
    if event.kind == "reprice":
        if replay:
            return state
        grant = _outstanding_grant(state, event, index)
        changed = replace(grant, exercise_price=event.exercise_price)
        return replace(state, grants=tuple(changed if g is grant else g for g in state.grants))
    if replay and _readjusts_on_expiry(charter):
        return state
    if event.shares == 0:
        return state
    return _expire_books(charter, state, event, index)


def _readjusts_on_expiry(charter: Charter) -> bool:
    return charter.dilution is not None and charter.dilution.option_expiry != "none"


class _Ledger:
    """The replay of one events list (a working object: it lives inside ``run_ledger_states``).

    ``terms[g]`` is grant g's event with its terms as they stand now, in the units of its date;
    ``checkpoints[i]`` the state after event i as if every grant had always had those terms;
    ``history[i]`` the state reported after event i (what was in effect then).
    """

    def __init__(self, charter: Charter, start: LedgerState, events: Sequence[Event]) -> None:
        self.charter, self.start, self.events = charter, start, events
        self.terms: dict[int, Event] = {}
        self.checkpoints: list[LedgerState] = []
        self.history: list[LedgerState] = []
        # scale[i]: shares after event i per share before the first event (splits multiply it),
        # to turn quantities and prices of a later date into the units of a grant's date.
        self.scale: list[Fraction] = []
        self.book_only: set[int] = set()  # expiries of options that never adjusted a price

    def book_only_expiry(self, index: int, event: Event) -> bool:
        """Under ``readjust-if-adjusted`` (NVCA 2020 §4.4.3): expired options of a grant that moved no
        price on its own date leave the books only; later adjustments that counted them stand."""
        if self.charter.dilution is None or self.charter.dilution.option_expiry != "readjust-if-adjusted":
            return False
        g = self.grant_of(index, event)
        return not any(n.event == g and n.before != n.after for n in self.checkpoints[g].notes)

    def before(self, index: int) -> LedgerState:
        return self.checkpoints[index - 1] if index else self.start

    def grant_of(self, index: int, event: Event) -> int:
        """The grant an expiry or repricing names: an earlier grant event (events files are checked
        when parsed; lists built in code are checked here)."""
        if event.grant not in self.terms or event.grant >= index:
            raise EventsError(f"events[{index}]: grant {event.grant} is not an earlier option grant event")
        return event.grant

    def units(self, grant: int, index: int) -> Fraction:
        """Shares at event ``index`` per share at the grant's date (splits in between)."""
        return self.scale[index] / self.scale[grant]

    def run(self) -> list[LedgerState]:
        for index, event in enumerate(self.events):
            self.scale.append((self.scale[-1] if self.scale else Fraction(1)) * (event.ratio if event.kind == "split" else 1))
            if event.kind == "grant":
                self.terms[index] = event
            if event.kind == "reprice" and self.charter.dilution is not None:
                state = self.reprice(index, event)
            elif event.kind == "expire" and event.shares and _readjusts_on_expiry(self.charter) and event.grant >= 0:
                # (the cap table's options were outstanding at the start: never Additional Shares, nothing to undo)
                if self.book_only_expiry(index, event):  # option_expiry = "readjust-if-adjusted"
                    self.book_only.add(index)
                    state = _expire_books(self.charter, self.before(index), event, index)
                else:
                    state = self.expire(index, event)
            else:
                state = _step(self.charter, self.before(index), self.terms.get(index, event), index, replay=False)
            self.checkpoints.append(state)
            self.history.append(state)
        return self.history

    def replay(self, grant: int, index: int, terms: dict[int, Event]) -> LedgerState:
        """The state before event ``index`` had the events since ``grant`` had ``terms``."""
        state = self.before(grant)
        states = []
        for j in range(grant, index):
            if j in self.book_only:  # an expiry that only left the books does so in every replay too
                state = _expire_books(self.charter, replace(state, notes=()), self.events[j], j)
            else:
                state = _step(self.charter, state, terms.get(j, self.events[j]), j, replay=True)
            states.append(state)
        if terms is self.terms:
            self.checkpoints[grant:index] = states
        return state

    def reprice(self, index: int, event: Event) -> LedgerState:
        """A change of a grant's exercise price: recomputed as if granted on the new terms, from its
        original terms (a second change is again recalculated from them, nvidia IV.D.3(G)(III));
        infinity IV.4(d)(iii)(C) caps the result at the lower of the price before the original
        adjustment and the price the intervening issues alone would give."""
        terms = self.charter.dilution
        assert terms is not None
        g = self.grant_of(index, event)
        _outstanding_grant(self.before(index), event, index)
        scale = self.units(g, index)
        self.terms[g] = replace(self.terms[g], exercise_price=event.exercise_price * scale)
        state = replace(self.replay(g, index, self.terms), notes=())
        prices = dict(state.prices)
        if terms.reprice_ceiling:
            # Both bounds in today's units: the price before the grant divided by the splits since.
            # The cap is applied here, at the repricing; a later replay through this event (for an
            # earlier grant's change) does not re-apply it. Whether it can bind at all is doubtful:
            # the recomputed price already contains the intervening issues; none was found that does.
            # all.reprice-ceiling-base: "the Conversion Price on the original adjustment date" is the price
            # just before the grant's adjustment (default) or the price that adjustment produced.
            if self.charter.interpretations_in_force.get(REPRICE_CEILING_BASE, "before-original") == "after-original":
                original = self.history[g]
            else:
                original = self.history[g - 1] if g else self.start
            without = dict(self.terms)
            without[g] = replace(self.terms[g], shares=0)
            for j in range(g + 1, index):  # and none of it can expire: the grant never was
                if self.events[j].kind == "expire" and self.events[j].grant == g:
                    without[j] = replace(self.events[j], shares=0)
            intervening = self.replay(g, index, without)
            for sid, price in list(prices.items()):
                before_grant = original.price(sid) / scale
                if terms.price_unit is not None:
                    before_grant = formula.round_by(terms.price_tie, before_grant, terms.price_unit)
                ceiling = min(before_grant, intervening.price(sid))
                if price.effective > ceiling:
                    prices[sid] = SeriesPrice(ceiling, ceiling)
        notes = []
        for sid, before in self.history[index - 1].prices:
            if prices[sid].effective != before.effective:
                notes.append(Note(index, sid, before.effective, prices[sid].effective, terms.cite,
                                  f"grant {g} repriced to {format_exact(event.exercise_price)}: recomputed from its original terms"))
        return replace(state, prices=tuple(prices.items()), notes=tuple(notes))

    def expire(self, index: int, event: Event) -> LedgerState:
        """Options expired: readjusted to the price had the grant been only of the options left,
        with the premium paid for all of them kept in the consideration (nvidia IV.D.3(G)(III))."""
        terms = self.charter.dilution
        assert terms is not None
        g = self.grant_of(index, event)
        left = _expire_books(self.charter, self.before(index), event, index)  # validates the count
        book = next(x for x in left.grants if x.index == g)
        outstanding = book.shares
        original = self.terms[g]
        # today's options not expired (still open, or exercised: those were issued) in grant-date units
        shares = Fraction(outstanding + book.exercised) / self.units(g, index)
        self.terms[g] = replace(original, shares=int(shares) if shares.denominator == 1 else shares,
                                retained_premium=original.retained_premium + (original.shares - shares) * original.price)
        state = self.replay(g, index, self.terms)
        # The books keep today's count: a grant-date fraction of an option taken through several
        # uneven splits (3-for-2 twice) may round to one option fewer in the replay.
        state = replace(state, notes=(), grants=tuple(
            replace(x, shares=outstanding) if x.index == g else x for x in state.grants))
        notes = []
        for sid, before in self.history[index - 1].prices:
            after = state.price(sid)
            if after != before.effective:
                notes.append(Note(index, sid, before.effective, after, terms.option_expiry_cite,
                                  f"{event.shares} options of grant {g} expired: readjusted as if granted only for those left"))
        return replace(state, notes=tuple(notes))


def run_ledger_states(charter: Charter, start: LedgerState, events: Sequence[Event]) -> list[LedgerState]:
    """The state after each event (see ``_Ledger``)."""
    return _Ledger(charter, start, events).run()


def run_ledger(charter: Charter, table: CapTable, events: Sequence[Event]) -> LedgerResult:
    """Apply the events in order; the prices of every series after each one."""
    exempted.check_categories(charter, events)  # NVCA 2020 §4.4.1: only the charter's exempted categories
    start = initial_state(charter, table)
    return LedgerResult(tuple(events), tuple(run_ledger_states(charter, start, events)), start)
