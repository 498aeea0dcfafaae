"""Conversion-price adjustments from a ledger of events (issues, option grants, expiries, splits).

Clause concepts, per the charter file's ``[dilution]`` terms:

* ``is_dilutive`` -- only an issue whose price per additional share is strictly
  below the price in effect adjusts (infinity IV.4(d)(ii), nvidia IV.D.3(G)(I)).
* ``consideration`` -- gross cash (infinity IV.4(d)(v)) or net of underwriting
  commissions (nvidia IV.D.3(G)(II)).
* ``deemed_outstanding`` -- the broad base N: common + preferred as converted +
  options (all, or only those below a named series' price: infinity IV.4(d)(iv)).
* ``weighted_average`` -- CP' = CP * (N + consideration / CP) / (N + new shares).
* ``settle_price`` -- rounding to a unit (nearest cent) with changes under a
  threshold carried forward (infinity IV.4(h)); exact where no rule is stated.
* options are deemed issued at grant for their maximum shares at the minimum
  consideration; on expiry the price is readjusted to the one that would be in
  effect had the grant been only of the options not expired (nvidia IV.D.3(G)(III);
  infinity by interpretation infinity.option-expiry); a change of an option's
  price is recomputed from the grant's original terms (nvidia IV.D.3(G)(III)
  "again recalculated", infinity IV.4(d)(iii)(B)).
* units: the shares and prices of an event are in the units current at its date
  (after the splits before it); a grant's terms are kept in the units of its date.
* the shares issuable on conversion counted in a base are whole shares, a holder's
  series aggregated before the fraction is dropped (interpretation
  all.base-conversion-shares; "exact" selectable).
* replay: each repricing or expiry replays only the events since its grant, from a
  checkpoint in which every grant already has its terms as they stand now; replays
  never nest, so a ledger costs O(events x changes of terms), not exponential time.
* excluded issuances (employee plans, within infinity's 7,300,000 cap net of
  expirations) move nothing but still count in later bases.
* splits and combinations divide every price by the ratio (IV.4(d)(vi)(1), IV.D.3(D)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import read_toml
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import EventsError, InputError
from charter_oracle.oracle.exact import format_exact, parse_amount, parse_exact, parse_shares, round_by, round_down

EVENT_KINDS = ("issue", "grant", "expire", "reprice", "split")
# The dates an events file may use (docs/charter-format.md): wide enough for any charter the
# format describes, narrow enough that a typo such as 0998 or 9998 is caught, not replayed.
EVENT_DATES = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))


@dataclass(frozen=True)
class Event:
    kind: str
    date: dt.date
    shares: int = 0
    price: Fraction = Fraction(0)  # per share paid (issue), or paid per option at grant
    commissions: Fraction = Fraction(0)
    excluded: str | None = None  # None, "employee" (capped where the charter caps it) or "other"
    exercise_price: Fraction = Fraction(0)
    ratio: Fraction = Fraction(1)  # split: new shares per old share (1/2 is a 1-for-2 combination)
    grant: int | None = None  # expire: index of the grant event
    # Replay only: premium received for options of this grant that later expired, which
    # nvidia IV.D.3(G)(III) keeps in the consideration of the readjusted price.
    retained_premium: Fraction = Fraction(0)
    # ``shares`` of a grant's terms in a replay may be a fraction of a grant-date share: the
    # options left after an expiry following a split, expressed in grant-date units.


@dataclass(frozen=True)
class Grant:
    """An option grant outstanding in the ledger (deemed issued when granted)."""

    index: int | None  # event index; None for options already in the cap table
    shares: int | Fraction  # whole after any split; a fraction only inside a replay (see Event)
    exercise_price: Fraction
    employee_excluded: int | Fraction = 0  # shares of it counted against the employee cap


@dataclass(frozen=True)
class SeriesPrice:
    effective: Fraction  # the price in effect
    exact: Fraction  # the unrounded chain (for exact-cumulative carry-forward)
    pending: Fraction = Fraction(0)  # per-adjustment carry-forward not yet made


@dataclass(frozen=True)
class Note:
    event: int
    series: str
    before: Fraction
    after: Fraction
    cite: str
    what: str


@dataclass(frozen=True)
class LedgerState:
    common: int
    preferred: tuple[tuple[str, int], ...]
    grants: tuple[Grant, ...]
    prices: tuple[tuple[str, SeriesPrice], ...]
    employee_cap_used: int | Fraction
    # Each holder's preferred shares by series (constant in a ledger: no event issues preferred),
    # for the whole-share count of a base (IV.D.3(M), 4(g): a holder's series are aggregated).
    holdings: tuple[tuple[tuple[str, int], ...], ...]
    notes: tuple[Note, ...] = field(default=())

    def price(self, series_id: str) -> Fraction:
        return dict(self.prices)[series_id].effective

    @property
    def conversion_prices(self) -> dict[str, Fraction]:
        return {sid: p.effective for sid, p in self.prices}


@dataclass(frozen=True)
class LedgerResult:
    events: tuple[Event, ...]
    states: tuple[LedgerState, ...]  # states[i] is after event i
    initial: LedgerState

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(note for state in self.states for note in state.notes)


def initial_state(charter: Charter, table: CapTable) -> LedgerState:
    prices = tuple(
        (s.id, SeriesPrice(table.conversion_price(charter, s.id), table.conversion_price(charter, s.id)))
        for s in charter.series
    )
    return LedgerState(
        common=table.shares_of(charter.common.id),
        preferred=tuple((s.id, table.shares_of(s.id)) for s in charter.series),
        grants=tuple(Grant(None, o.shares, o.exercise_price) for o in table.options),
        prices=prices,
        employee_cap_used=charter.dilution.employee_cap_used if charter.dilution else 0,
        holdings=tuple(
            held for held in (
                tuple((s.id, table.holder_shares(h, s.id)) for s in charter.series if table.holder_shares(h, s.id))
                for h in table.holders
            ) if held
        ),
    )


BASE_CONVERSION_SHARES = "all.base-conversion-shares"


def conversion_shares_in_base(charter: Charter, state: LedgerState) -> Fraction:
    """Common issuable on conversion of the outstanding preferred, as a base counts it.

    Neither charter says whether the fraction of a share counts (nvidia IV.D.3(G)(I)(2),
    infinity IV.4(d)(iv)); no fraction can be issued on conversion (nvidia IV.D.3(M),
    infinity IV.4(g)), so by default each holder's conversion shares, aggregated over its
    series, count as whole shares (interpretation all.base-conversion-shares=whole). Exact
    counts put every series' price denominator into every other series' next price, so
    exact prices grow about four-fold in length per financing; whole counts keep the base
    an integer and the growth linear.
    """
    prices = state.conversion_prices
    per_share = {s.id: s.conversion.value / prices[s.id] for s in charter.series}
    if charter.interpretations_in_force.get(BASE_CONVERSION_SHARES, "whole") == "exact":
        return sum((count * per_share[sid] for sid, count in state.preferred), Fraction(0))
    total = 0
    for held in state.holdings:
        exact = sum((count * per_share[sid] for sid, count in held), Fraction(0))
        total += exact.numerator // exact.denominator
    return Fraction(total)


def deemed_outstanding(charter: Charter, state: LedgerState) -> Fraction:
    """The broad base N immediately before an issue (infinity IV.4(d)(iv), nvidia IV.D.3(G)(I))."""
    assert charter.dilution is not None
    base = Fraction(state.common) + conversion_shares_in_base(charter, state)
    prices = state.conversion_prices
    rule = charter.dilution.options_in_base
    limit = prices[rule.split(":", 1)[1]] if rule != "all" else None
    for grant in state.grants:
        if limit is None or grant.exercise_price < limit:
            base += grant.shares
    return base


def consideration(charter: Charter, event: Event) -> Fraction:
    """Aggregate consideration for an issue or a grant (deemed: minimum total on exercise)."""
    assert charter.dilution is not None
    if event.kind == "grant":
        return event.shares * (event.price + event.exercise_price) + event.retained_premium
    gross = event.shares * event.price
    if charter.dilution.consideration == "net-of-commissions":
        return max(gross - event.commissions, Fraction(0))
    return gross


def settle_price(charter: Charter, current: SeriesPrice, exact_new: Fraction, from_effective: Fraction) -> SeriesPrice:
    """Apply the charter's rounding and carry-forward to a newly computed price.

    ``exact_new`` is the formula applied to the exact chain; ``from_effective`` the
    formula applied to the price in effect (used by the per-adjustment reading).
    """
    terms = charter.dilution
    assert terms is not None
    if terms.price_unit is None:
        return SeriesPrice(exact_new, exact_new)
    threshold = terms.carry_forward_below or Fraction(0)
    if terms.carry_forward == "per-adjustment":
        pending = current.pending + (current.effective - from_effective)
        if abs(pending) >= threshold:
            target = round_by(terms.price_tie, current.effective - pending, terms.price_unit)
            return SeriesPrice(target, exact_new)
        return SeriesPrice(current.effective, exact_new, pending)
    # exact-cumulative (default): keep the unrounded chain; move the effective price only
    # when the cumulative change from it reaches the threshold (infinity.carry-forward).
    if abs(current.effective - exact_new) >= threshold:
        return SeriesPrice(round_by(terms.price_tie, exact_new, terms.price_unit), exact_new)
    return SeriesPrice(current.effective, exact_new)


def weighted_average(price: Fraction, base: Fraction, paid: Fraction, new_shares: int) -> Fraction:
    """CP * (N + consideration / CP) / (N + new shares)."""
    return price * (base + paid / price) / (base + new_shares)


def _employee_split(charter: Charter, state: LedgerState, event: Event) -> tuple[int, int]:
    """(excluded shares, additional shares) of an issue or grant."""
    if event.excluded is None:
        return 0, event.shares
    if event.excluded == "employee" and charter.dilution and charter.dilution.employee_cap is not None:
        room = max(charter.dilution.employee_cap - state.employee_cap_used, 0)
        excluded = min(event.shares, room)
        return excluded, event.shares - excluded
    return event.shares, 0


# Python refuses to print integers over 4,300 digits; a price longer than this could not be
# reported. Reasonable input never comes near it (whole-share bases keep growth linear); an
# exact-count base (all.base-conversion-shares=exact) over many financings can, and is refused.
_MAX_PRICE_BITS = 14_000


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


def is_dilutive(effective_price: Fraction, price_in_effect: Fraction) -> bool:
    """Only a price strictly below the price in effect adjusts (infinity IV.4(d)(ii), nvidia IV.D.3(G)(I))."""
    return effective_price < price_in_effect


def _dilute(charter: Charter, state: LedgerState, event: Event, index: int, additional: int | Fraction) -> LedgerState:
    """Adjust every protected series for ``additional`` shares issued or deemed issued."""
    terms = charter.dilution
    if terms is None or additional == 0:
        return state
    if terms.start_date is not None and event.date < terms.start_date:
        return state
    paid = consideration(charter, event) * additional / event.shares
    effective_price = paid / additional
    base = deemed_outstanding(charter, state)
    prices = dict(state.prices)
    notes = list(state.notes)
    for series in charter.series:
        current = prices[series.id]
        if series.dilution.method == "none":
            continue
        if not is_dilutive(effective_price, current.effective):
            notes.append(Note(index, series.id, current.effective, current.effective, terms.below_cite,
                              f"not below the price in effect ({format_exact(effective_price)} >= {format_exact(current.effective)}): no change"))
            continue
        exact_new = weighted_average(current.exact, base, paid, additional)
        from_effective = weighted_average(current.effective, base, paid, additional)
        settled = _checked(index, series.id, settle_price(charter, current, exact_new, from_effective), lambda: (
            f"issuing {format_exact(additional)} shares for {format_exact(paid)} with a base of {format_exact(base)}"))
        prices[series.id] = settled
        what = (f"weighted average: N={format_exact(base)}, consideration={format_exact(paid)}, "
                f"new shares={format_exact(additional)}")
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
        exact_new = current.exact / event.ratio
        if charter.dilution is not None:
            settled = settle_price(charter, current, exact_new, current.effective / event.ratio)
        else:
            settled = SeriesPrice(exact_new, exact_new)
        prices[series.id] = _checked(index, series.id, settled,
                                     lambda: f"a split of {format_exact(event.ratio)} new shares per old")
        notes.append(Note(index, series.id, current.effective, settled.effective, cite,
                          f"split/combination {event.ratio} new per old: price divided proportionally"))
    grants = tuple(
        replace(g, shares=int(round_down(g.shares * event.ratio)), exercise_price=g.exercise_price / event.ratio)
        for g in state.grants
    )
    # Whole shares only: fractions created by a combination are paid in cash, not kept.
    common = int(round_down(state.common * event.ratio))
    return replace(state, common=common, grants=grants, prices=tuple(prices.items()), notes=tuple(notes))


def _outstanding_grant(state: LedgerState, event: Event, index: int) -> Grant:
    matches = [g for g in state.grants if g.index == event.grant]
    if not matches:
        raise EventsError(f"events[{index}]: grant {event.grant} is not an outstanding option grant")
    return matches[0]


def _expire_books(state: LedgerState, event: Event, index: int) -> LedgerState:
    """Take expired options out of the grant (and out of the employee cap: net of expirations)."""
    grant = _outstanding_grant(state, event, index)
    if event.shares > grant.shares:
        raise EventsError(f"events[{index}]: {event.shares} shares expire but grant {event.grant} has {grant.shares}")
    left = replace(grant, shares=grant.shares - event.shares,
                   employee_excluded=max(grant.employee_excluded - event.shares, 0))
    grants = tuple(left if g is grant else g for g in state.grants)
    freed = grant.employee_excluded - left.employee_excluded
    return replace(state, grants=grants, employee_cap_used=state.employee_cap_used - freed)


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
        excluded, additional = _employee_split(charter, state, event)
        state = _dilute(charter, state, event, index, additional)
        return replace(state, common=state.common + event.shares,
                       employee_cap_used=state.employee_cap_used + (excluded if event.excluded == "employee" else 0))
    if event.kind == "grant":
        excluded, additional = _employee_split(charter, state, event)
        state = _dilute(charter, state, event, index, additional)
        grant = Grant(index, event.shares, event.exercise_price, excluded if event.excluded == "employee" else 0)
        return replace(state, grants=state.grants + (grant,),
                       employee_cap_used=state.employee_cap_used + grant.employee_excluded)
    if event.kind == "split":
        return _split(charter, state, event, index)
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
    return _expire_books(state, event, index)


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

    def before(self, index: int) -> LedgerState:
        return self.checkpoints[index - 1] if index else self.start

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
            elif event.kind == "expire" and event.shares and _readjusts_on_expiry(self.charter):
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
        assert terms is not None and event.grant is not None
        g = event.grant
        _outstanding_grant(self.before(index), event, index)
        scale = self.units(g, index)
        self.terms[g] = replace(self.terms[g], exercise_price=event.exercise_price * scale)
        state = replace(self.replay(g, index, self.terms), notes=())
        prices = dict(state.prices)
        if terms.reprice_ceiling:
            # Both bounds in today's units: the price before the grant divided by the splits since.
            original = self.history[g - 1] if g else self.start
            without = dict(self.terms)
            without[g] = replace(self.terms[g], shares=0)
            intervening = self.replay(g, index, without)
            for sid, price in list(prices.items()):
                before_grant = original.price(sid) / scale
                if terms.price_unit is not None:
                    before_grant = round_by(terms.price_tie, before_grant, terms.price_unit)
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
        assert terms is not None and event.grant is not None
        g = event.grant
        left = _expire_books(self.before(index), event, index)  # validates the count
        outstanding = next(x for x in left.grants if x.index == g).shares
        original = self.terms[g]
        shares = Fraction(outstanding) / self.units(g, index)  # today's options in grant-date units
        self.terms[g] = replace(original, shares=int(shares) if shares.denominator == 1 else shares,
                                retained_premium=original.retained_premium + (original.shares - shares) * original.price)
        state = replace(self.replay(g, index, self.terms), notes=())
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
    start = initial_state(charter, table)
    return LedgerResult(tuple(events), tuple(run_ledger_states(charter, start, events)), start)


def reservation_shortfall(charter: Charter, state: LedgerState) -> int:
    """Common needed for full conversion beyond authorized-but-unissued common (infinity 4(j), nvidia 3(L)).

    0 when the reservation is sufficient. The as-converted total over all series is
    rounded down once (fractions are paid in cash, not issued).
    """
    needed = Fraction(0)
    prices = state.conversion_prices
    for series in charter.series:
        needed += dict(state.preferred)[series.id] * series.conversion.value / prices[series.id]
    unissued = charter.common.authorized - state.common
    return max(int(round_down(needed)) - unissued, 0)


_EVENT_FIELDS = {
    "issue": {"kind", "date", "shares", "price", "commissions", "excluded"},
    "grant": {"kind", "date", "shares", "price", "exercise_price", "excluded"},
    "expire": {"kind", "date", "shares", "grant"},
    "reprice": {"kind", "date", "grant", "exercise_price"},
    "split": {"kind", "date", "ratio"},
}


def parse_events(raw: Mapping[str, Any], where: str, count_grants: bool = True) -> tuple[Event, ...]:
    """Validate an events file: ``[[events]]`` with a kind and the fields that kind needs."""
    if set(raw) - {"events"}:
        raise EventsError(f"{where}: unknown key {sorted(set(raw) - {'events'})[0]!r} (expected [[events]])")
    rows = raw.get("events")
    if not isinstance(rows, list) or not rows:
        raise EventsError(f"{where}: no [[events]]")
    events: list[Event] = []
    try:
        for i, row in enumerate(rows):
            at = f"{where}: events[{i}]"
            if not isinstance(row, dict):
                raise EventsError(f"{at}: expected a table")
            kind = row.get("kind")
            if kind not in EVENT_KINDS:
                raise EventsError(f"{at}.kind: {kind!r} is not one of {', '.join(EVENT_KINDS)}")
            extra = set(row) - _EVENT_FIELDS[kind]
            if extra:
                raise EventsError(f"{at}: {sorted(extra)[0]!r} is not a field of a {kind} event")
            if "date" not in row:
                raise EventsError(f"{at}.date: missing")
            date = parse_date(row["date"], f"{at}.date")
            if not EVENT_DATES[0] <= date <= EVENT_DATES[1]:
                raise EventsError(f"{at}.date: {date} is outside the supported range "
                                  f"{EVENT_DATES[0]} to {EVENT_DATES[1]}")
            excluded = row.get("excluded")
            if excluded is not None:
                if excluded is True:
                    excluded = "other"
                elif excluded is False:
                    excluded = None
                elif excluded not in ("employee", "other"):
                    raise EventsError(f"{at}.excluded: expected true, false, \"employee\" or \"other\", got {excluded!r}")
            if kind in ("issue", "grant"):
                shares = parse_shares(row.get("shares", 0), f"{at}.shares")
                if shares == 0:
                    raise EventsError(f"{at}.shares: an {kind} needs a positive number of shares")
                event = Event(kind, date, shares=shares,
                              price=parse_amount(row.get("price", "0"), f"{at}.price"),
                              commissions=parse_amount(row.get("commissions", "0"), f"{at}.commissions"),
                              excluded=excluded,
                              exercise_price=parse_amount(row.get("exercise_price", "0"), f"{at}.exercise_price"))
                if event.commissions > event.shares * event.price:
                    raise EventsError(f"{at}.commissions: {row.get('commissions')} exceed the gross price")
            elif kind == "split":
                ratio = parse_exact(row.get("ratio"), f"{at}.ratio") if "ratio" in row else None
                if ratio is None or ratio <= 0:
                    raise EventsError(f"{at}.ratio: a split needs a positive ratio (new shares per old)")
                event = Event(kind, date, ratio=ratio)
            elif kind == "reprice":
                grant = row.get("grant")
                if isinstance(grant, bool) or not isinstance(grant, int) or not 0 <= grant < i or rows[grant].get("kind") != "grant":
                    raise EventsError(f"{at}.grant: expected the index of an earlier grant event, got {grant!r}")
                event = Event(kind, date, grant=grant,
                              exercise_price=parse_amount(row.get("exercise_price"), f"{at}.exercise_price"))
            else:
                grant = row.get("grant")
                if isinstance(grant, bool) or not isinstance(grant, int) or not 0 <= grant < i or rows[grant].get("kind") != "grant":
                    raise EventsError(f"{at}.grant: expected the index of an earlier grant event, got {grant!r}")
                event = Event(kind, date, shares=parse_shares(row.get("shares", 0), f"{at}.shares"), grant=grant)
            if events and date < events[-1].date:
                raise EventsError(f"{at}.date: {date} is before the previous event's {events[-1].date}")
            events.append(event)
    except InputError as error:
        raise EventsError(str(error)) from None
    return tuple(events)


def load_events(path: str | Path) -> tuple[Event, ...]:
    path = Path(path)
    return parse_events(read_toml(path, "events file"), str(path))
