"""Boundary and rounding searches: concrete inputs that sit exactly on a charter's edges.

Each search computes its witness from the charter model's own data (thresholds,
prices, dates), with z3 where the question is a Diophantine one, and replays
it through the oracle engine that owns the computation (``oracle.compliance``,
``oracle.voting``, ``oracle.adjustments``, ``oracle.positions``,
``oracle.liquidation``). A search that does not apply to a charter (no offering
trigger, no cent rounding, no interest leg) yields nothing. The participation-cap searches are in
``cap_searches.py``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from fractions import Fraction

import z3

from charter_oracle.oracle.adjustments import Event, deemed_outstanding, initial_state, reservation_shortfall, run_ledger
from charter_oracle.oracle.as_converted import conversion_ratio
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter, ConsentRule
from charter_oracle.oracle.compliance import offering_triggers
from charter_oracle.oracle.exact import CENT, round_by, round_half_up
from charter_oracle.oracle.voting import consent_counts, holder_preferred_votes
from charter_oracle.solver.budget import poll, query
from charter_oracle.solver.cap_searches import cap_legs
from charter_oracle.solver.witness import Witness

RLIMIT = 5_000_000


def _smallest_passing_amount(minimum: Fraction, compare: str) -> Fraction:
    """The least amount in cents that passes "at least" / "more than" ``minimum``."""
    return minimum if compare == ">=" else minimum + CENT


def offering_at_threshold(charter: Charter) -> Iterator[Witness]:
    trigger = charter.conversion.automatic_offering
    if trigger is None:
        return
    price = _smallest_passing_amount(trigger.min_price, trigger.price_compare)
    amount = _smallest_passing_amount(trigger.min_amount, trigger.amount_compare)
    for label, p, a, expect in (
        ("exactly at both thresholds", price, amount, True),
        ("one cent short on price", price - CENT, amount, False),
        ("one cent short on amount", price, amount - CENT, False),
    ):
        check = offering_triggers(charter, p, a, a, True)  # gross = net: no discounts in the witness
        yield Witness(
            "offering-threshold", trigger.cite,
            f"public offering {label}: automatic conversion {'triggers' if expect else 'does not trigger'}",
            (("price", p), (f"{trigger.amount_basis}_amount", a), ("firm_commitment", True)),
            f"triggers={expect}", f"triggers={check.ok}: {check.what}", check.ok == expect,
        )


def _consent_rules(charter: Charter) -> list[ConsentRule]:
    return [r for r in charter.consents if r.basis in ("shares", "as-converted") and r.classes != ("*",)]


def consent_at_threshold(charter: Charter, table: CapTable) -> Iterator[Witness]:
    """A consent exactly at the rule's fraction, replayed on a two-holder cap table."""
    for rule in _consent_rules(charter):
        voting = [c for c in rule.classes if c != charter.common.id]
        if not voting:
            continue
        whole = sum(table.shares_of(c) for c in voting)
        # Round the class up to a multiple of the fraction's denominator so that "exactly" exists.
        whole = max(whole, rule.threshold.fraction.denominator)
        whole += (-whole) % rule.threshold.fraction.denominator
        exact = int(whole * rule.threshold.fraction)
        passes = rule.threshold.met(exact, whole)
        least = exact if passes else exact + 1
        for part, expect in dict.fromkeys(((exact, passes), (least, True), (least - 1, False))):
            synthetic = _two_holders(charter, table, voting[0], part, whole - part)
            result = consent_counts(charter, synthetic, rule, ["Consenting"])
            yield Witness(
                "consent-threshold", rule.cite,
                f"{rule.id}: {part} of {whole} {rule.basis} in favour (needs {rule.threshold.describe()})",
                (("in_favour", part), ("outstanding", whole), ("fraction", Fraction(part, whole))),
                f"met={expect}", f"met={result.met}: {result.in_favour} of {result.outstanding}",
                result.met == expect and result.in_favour == part and result.outstanding == whole,
            )


def _two_holders(charter: Charter, table: CapTable, class_id: str, consenting: int, others: int) -> CapTable:
    holdings = [h for h in table.holdings if h.class_id == charter.common.id]
    holdings += [Holding("Consenting", class_id, consenting), Holding("Others", class_id, others)]
    # Every price equal to its conversion value, so that one share is one as-converted vote. (The
    # charter's initial price need not equal the value: a series issued at 0.95 converting on 1.00
    # gives 20/19 votes a share, and "exactly at the threshold" in shares would not be in votes.)
    at_par = tuple((s.id, s.conversion.value) for s in charter.series)
    return dataclasses.replace(table, holdings=tuple(h for h in holdings if h.shares), conversion_prices=at_par)


def vote_half(charter: Charter, table: CapTable) -> Iterator[Witness]:
    """A holder whose aggregated as-converted votes end in exactly one half (z3, linear integers).

    With unadjusted prices every ratio is 1 and no half can arise, so the search
    uses each protected series' price one cent lower, as after a small dilutive issue.
    """
    if not charter.voting.preferred_as_converted:
        return
    for series in charter.series:
        price = table.conversion_price(charter, series.id)
        if price == series.conversion.value and series.dilution.method != "none":
            # the first price a cent or more lower whose ratio can end in a half (even denominator)
            lower = [price - k * CENT for k in range(1, 100) if price - k * CENT > 0]
            price = next((p for p in lower if conversion_ratio(series, p).denominator % 2 == 0), price)
        ratio = conversion_ratio(series, price)
        if ratio.denominator % 2:
            continue
        shares, whole = z3.Ints("shares whole")
        answer = query([shares >= 1, whole >= 0, 2 * shares * ratio.numerator == (2 * whole + 1) * ratio.denominator],
                       RLIMIT, read=(shares,), minimize=shares)
        if answer.verdict != "sat":
            continue
        n = int(answer.values[0])
        exact = n * ratio
        expected = int(round_by(charter.voting.tie, exact))
        synthetic = dataclasses.replace(
            table, holdings=(Holding("Half Vote Holder", series.id, n),),
            conversion_prices=tuple((s, p) for s, p in table.conversion_prices if s != series.id) + ((series.id, price),),
        )
        got_exact, got = holder_preferred_votes(charter, synthetic, "Half Vote Holder", [s.id for s in charter.series])
        yield Witness(
            "vote-half", charter.voting.cite,
            f"{n} {series.id} shares at conversion price {price}: {exact} votes, an exact half, "
            f"rounded {charter.voting.tie}",
            (("series", series.id), ("shares", n), ("conversion_price", price), ("exact_votes", exact)),
            f"{exact} -> {expected}", f"{got_exact} -> {got}", (got_exact, got) == (exact, expected),
        )
        return


def _protected(charter: Charter) -> list[str]:
    return [s.id for s in charter.series if s.dilution.method == "broad-based-weighted-average"]


def half_cent_price(charter: Charter, table: CapTable) -> Iterator[Witness]:
    """An issue whose weighted-average price is exactly half a cent from two cents (4(h)(i) tie)."""
    terms = charter.dilution
    if terms is None or terms.price_unit is None or not _protected(charter):
        return
    sid = _protected(charter)[0]
    start = initial_state(charter, table)
    base = deemed_outstanding(charter, start)
    price = start.price(sid)
    unit = terms.price_unit
    room = charter.common.authorized - start.common
    # CP' = (CP*N + n*c) / (N + n) = t, solved for n: n = N (CP - t) / (t - c), a whole number.
    for steps in range(3, 200):
        target = price - (2 * steps - 1) * unit / 2
        if target <= 0:
            break
        for cents in range(int(target / unit - Fraction(1, 2)), 0, -1):
            paid = cents * unit
            n = base * (price - target) / (target - paid)
            if n.denominator != 1 or n <= 0 or n > room:  # the issue must fit in authorized common
                continue
            event = Event("issue", table.as_of, shares=int(n), price=paid)
            state = run_ledger(charter, table, [event]).states[0]
            expected = round_by(terms.price_tie, target, unit)
            got = state.price(sid)
            exact = dict(state.prices)[sid].exact
            yield Witness(
                "price-half-cent", terms.rounding_cite,
                f"issuing {n} shares at {paid} moves {sid} to exactly {target}, half a cent between two cents",
                (("series", sid), ("shares", int(n)), ("price_per_share", paid), ("exact_price", target)),
                f"exact {target} -> {expected} ({terms.price_tie})", f"exact {exact} -> {got}",
                exact == target and got == expected,
            )
            return


def carry_forward(charter: Charter, table: CapTable) -> Iterator[Witness]:
    """A sub-cent change held back, then released by a later issue (4(h)(iii))."""
    terms = charter.dilution
    if terms is None or terms.carry_forward_below is None or not _protected(charter):
        return
    sid = _protected(charter)[0]
    start = initial_state(charter, table)
    price = start.price(sid)
    paid = (price / 2 // CENT) * CENT

    def exact_after(shares: list[int]) -> Fraction:
        state = start
        current = price
        for n in shares:
            base = deemed_outstanding(charter, state)
            current = current * (base + n * paid / current) / (base + n)
            state = dataclasses.replace(state, common=state.common + n)
        return current

    limit = terms.carry_forward_below
    first = _largest(lambda n: price - exact_after([n]) < limit, 1, 10**9)  # largest held-back first issue
    second = _largest(lambda n: price - exact_after([first, n]) < limit, 1, 10**9) + 1
    events = [Event("issue", table.as_of, shares=first, price=paid), Event("issue", table.as_of, shares=second, price=paid)]
    states = run_ledger(charter, table, events).states
    held, released = states[0].price(sid), states[1].price(sid)
    expected_release = round_by(terms.price_tie, exact_after([first, second]), terms.price_unit or CENT)
    yield Witness(
        "carry-forward", terms.rounding_cite,
        f"{first} shares at {paid} move {sid} by less than {limit} (held back); {second} more release it",
        (("series", sid), ("first_shares", first), ("second_shares", second), ("price_per_share", paid)),
        f"{price} then {expected_release}", f"{held} then {released}",
        held == price and released == expected_release,
    )


def _largest(ok: Callable[[int], bool], lo: int, hi: int) -> int:
    """Largest n in [lo, hi] with ok(n), for a predicate true up to some point (binary search)."""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def reservation(charter: Charter, table: CapTable) -> Iterator[Witness]:
    """The smallest dilutive issue (at one cent) after which authorized common cannot cover conversion."""
    if charter.dilution is None or not charter.series:
        return
    start = initial_state(charter, table)
    room = charter.common.authorized - start.common

    def short(n: int) -> bool:
        state = run_ledger(charter, table, [Event("issue", table.as_of, shares=n, price=CENT)]).states[0]
        return reservation_shortfall(charter, state) > 0

    if room <= 0 or not short(room):
        return
    n = _largest(lambda k: not short(k), 0, room) + 1
    state = run_ledger(charter, table, [Event("issue", table.as_of, shares=n, price=CENT)]).states[0]
    # Conversion delivers each holder's whole shares (its series aggregated, infinity's 1/100 first), summed.
    # Written out here on purpose, not through oracle/reservation.py: this is the independent expectation
    # the ledger's reservation_shortfall is compared with.
    need = 0
    for held in state.holdings:
        exact = sum((count * charter.series_by_id(sid).conversion.value / state.price(sid) for sid, count in held), Fraction(0))
        if charter.conversion.share_rounding is not None:
            exact = round_half_up(exact, charter.conversion.share_rounding)
        need += math.floor(exact)
    unissued = charter.common.authorized - state.common
    expected_short = max(need - unissued, 0)
    got = reservation_shortfall(charter, state)
    yield Witness(
        "reservation-insufficient", charter.conversion.reservation_cite,
        f"issuing {n} common at $0.01: full conversion needs {need} but only {unissued} remain",
        (("shares", n), ("price_per_share", CENT), ("conversion_need", need), ("unissued", unissued)),
        f"shortfall {expected_short} > 0", f"shortfall {got}", got == expected_short and got > 0,
    )


def all_searches(charter: Charter, table: CapTable, found: list[Witness] | None = None) -> tuple[Witness, ...]:
    """Every boundary search; witnesses are appended to ``found`` as they come, so that a run
    stopped by the solver's budget keeps (and reports) those found before it ran out."""
    found = [] if found is None else found
    runs: list[Callable[[], Iterator[Witness]]] = [lambda: iter(offering_at_threshold(charter))]
    runs += [lambda search=search: iter(search(charter, table)) for search in
             (consent_at_threshold, vote_half, half_cent_price, carry_forward, reservation, cap_legs)]
    for run in runs:
        for witness in run():
            found.append(witness)
            poll("the boundary searches")
    return tuple(found)
