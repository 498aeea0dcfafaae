"""The weighted-average formula and its parts, each a named clause concept.

* ``is_dilutive`` -- only an issue whose price per additional share is strictly below the price
  in effect adjusts (infinity IV.4(d)(ii), nvidia IV.D.3(G)(I)).
* ``consideration`` -- gross cash (infinity IV.4(d)(v)) or net of underwriting commissions
  (nvidia IV.D.3(G)(II)).
* ``deemed_outstanding`` -- the broad base N: common + preferred as converted (whole shares by
  default, ``conversion_shares_in_base``) + options (all, or only those below a named series'
  price: infinity IV.4(d)(iv)).
* ``weighted_average`` -- CP' = CP * (N + consideration / CP) / (N + new shares).
* ``settle_price`` -- rounding to a unit (nearest cent) with changes under a threshold carried
  forward (infinity IV.4(h)); exact where no rule is stated.
* ``employee_split`` -- excluded employee issues, within a cap net of expirations.
* ``reservation_shortfall`` -- common needed for full conversion beyond what is unissued.

The mutants of ``invariants/mutants.py`` patch these names on this module.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from charter_oracle.oracle.adjustments.events import Event
from charter_oracle.oracle.adjustments.state import LedgerState, SeriesPrice
from charter_oracle.oracle.as_converted import conversion_ratio
from charter_oracle.oracle import reservation
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import round_by, round_down, round_half_up

BASE_CONVERSION_SHARES = "all.base-conversion-shares"


def conversion_shares_in_base(charter: Charter, state: LedgerState) -> Fraction:
    """Common issuable on conversion of the outstanding preferred, as a base counts it.

    Neither charter says whether the fraction of a share counts (nvidia IV.D.3(G)(I)(2),
    infinity IV.4(d)(iv)); no fraction can be issued on conversion (nvidia IV.D.3(M),
    infinity IV.4(g)), so by default each holder's conversion shares, aggregated over its
    series, count as whole shares (interpretation all.base-conversion-shares=whole). Exact
    counts put every series' price denominator into every other series' next price, so
    exact prices grow about four-fold in length per financing; whole counts keep the base
    an integer and the growth linear. ``hundredths`` reads infinity IV.4(h)(i) ("to the nearest
    1/100 of a share") as applying to these counts: each holder's count to the nearest 1/100,
    halves up.
    """
    prices = state.conversion_prices
    per_share = {s.id: conversion_ratio(s, prices[s.id]) for s in charter.series}
    reading = charter.interpretations_in_force.get(BASE_CONVERSION_SHARES, "whole")
    if reading == "exact":
        return sum((count * per_share[sid] for sid, count in state.preferred), Fraction(0))
    total = Fraction(0)
    for held in state.holdings:
        exact = sum((count * per_share[sid] for sid, count in held), Fraction(0))
        total += round_half_up(exact, Fraction(1, 100)) if reading == "hundredths" else round_down(exact)
    return total


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
        else:
            # infinity IV.4(d)(iv), last sentence: Additional Shares deemed issued under 4(d)(iii) are deemed
            # outstanding from then on, even where the option condition would leave the options out.
            base += min(grant.shares, grant.deemed)
    return base


def deemed_issued(charter: Charter, state: LedgerState, event: Event, additional: int | Fraction) -> int | Fraction:
    """How many of a grant's options are Additional Shares deemed issued (infinity IV.4(d)(iii)(1),
    nvidia IV.D.3(G)(III)): its additional (not excluded) shares when the grant is after the start date and
    its price per share is below a protected series' price in effect; else none."""
    if additional == 0 or not governs(charter, event.date):
        return 0
    per_share = consideration(charter, event) / event.shares
    prices = state.conversion_prices
    if any(s.dilution.method != "none" and is_dilutive(per_share, prices[s.id]) for s in charter.series):
        return additional
    return 0


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

    ``exact_new`` is the formula applied to the price the formula starts from (``current.start``);
    ``from_effective`` the formula applied to the price in effect (used by the per-adjustment reading).
    Three readings are named (infinity IV.4(d)(iv), IV.4(h)(i), IV.4(h)(iii)):
    * carry-forward: what a change not made carries (the exact chain, or the sum of changes not made);
    * minimum-change-test: the $0.01 is measured on the exact change, or on the change of the rounded price;
    * rounding-remainder: once a change is made and rounded, the next formula starts from the unrounded
      price (remainder carried) or from the rounded price in effect (remainder dropped).
    """
    terms = charter.dilution
    assert terms is not None
    if terms.price_unit is None:
        return SeriesPrice(exact_new, exact_new)
    threshold = terms.carry_forward_below or Fraction(0)
    carried = terms.rounding_remainder == "carried"

    def made(target: Fraction) -> tuple[bool, Fraction]:
        rounded = round_by(terms.price_tie, target, terms.price_unit)
        measured = rounded if terms.minimum_change_test == "rounded-price" else target
        return abs(current.effective - measured) >= threshold, rounded

    if terms.carry_forward == "per-adjustment":
        pending = current.pending + (current.effective - from_effective)
        target = current.effective - pending
        moved, rounded = made(target)
        if moved:
            # what rounding left unmade is carried into the next change, or dropped
            return SeriesPrice(rounded, exact_new, rounded - target if carried else Fraction(0))
        return SeriesPrice(current.effective, exact_new, pending)
    # exact-cumulative (default): the chain goes on from the exact price; the effective price moves only
    # when the change from it passes the test (infinity.carry-forward).
    moved, rounded = made(exact_new)
    if moved:
        return SeriesPrice(rounded, exact_new, base=None if carried else rounded)
    return SeriesPrice(current.effective, exact_new)


def weighted_average(price: Fraction, base: Fraction, paid: Fraction, new_shares: int | Fraction) -> Fraction:
    """CP * (N + consideration / CP) / (N + new shares)."""
    return price * (base + paid / price) / (base + new_shares)


def employee_split(charter: Charter, state: LedgerState, event: Event) -> tuple[int | Fraction, int | Fraction]:
    """(excluded shares, additional shares) of an issue or grant."""
    if event.excluded is None:
        return 0, event.shares
    if event.excluded == "employee" and charter.dilution and charter.dilution.employee_cap is not None:
        room = max(charter.dilution.employee_cap - state.employee_cap_used, 0)
        excluded = min(event.shares, room)
        return excluded, event.shares - excluded
    return event.shares, 0


def governs(charter: Charter, day: dt.date) -> bool:
    """Whether an issue on ``day`` can be of Additional Shares: only one *after* the start date
    (infinity IV.4(d)(i)(3) "after the Original Issue Date", nvidia IV.D.3(G)(I) "after the
    effective date"); an issue dated on the start date itself is not after it and adjusts nothing."""
    terms = charter.dilution
    return terms is not None and (terms.start_date is None or day > terms.start_date)


def is_dilutive(effective_price: Fraction, price_in_effect: Fraction) -> bool:
    """Only a price strictly below the price in effect adjusts (infinity IV.4(d)(ii), nvidia IV.D.3(G)(I))."""
    return effective_price < price_in_effect


def reservation_shortfall(charter: Charter, state: LedgerState) -> int:
    """Common needed for full conversion beyond authorized-but-unissued common (infinity 4(j), nvidia 3(L)).

    0 when the reservation is sufficient. What conversion must deliver is each holder's whole shares
    (infinity IV.4(g), nvidia IV.D.3(M): fractions are paid in cash), summed over holders.
    """
    needed = reservation.reserve_needed(charter, state.holdings, state.conversion_prices)
    unissued = charter.common.authorized - state.common
    return max(needed - unissued, 0)
