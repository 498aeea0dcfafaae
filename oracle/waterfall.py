"""The liquidation waterfall (also for a deemed liquidation), for a given set of converting series.

Steps, each named after the clause concept it implements:

1. ``pay_preference_tiers`` -- seniority tiers, most senior first; within a tier
   pari passu, a shortfall shared in proportion to each holder's full
   preferential amount (infinity IV.3(a), nvidia IV.D.2(A)). Declared unpaid
   dividends rank with the preferences (interpretation
   all.declared-dividends-on-conversion decides whether a converting series keeps them).
2. ``share_residual`` -- what is left goes to common as-converted, with
   participating series sharing beside common until their caps are reached
   (infinity IV.3(b)); everything beyond the caps to common only (IV.3(c)).

Which series convert is decided by ``oracle.conversion_choice``; this module only
computes the allocation for one choice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.positions import SeriesPosition

_ZERO = Fraction(0)  # immutable, shared: the amount of a class owed nothing


@dataclass(frozen=True)
class Step:
    """One line of the waterfall: which class got how much under which clause."""

    class_id: str
    amount: Fraction
    cite: str
    what: str


@dataclass(frozen=True)
class Allocation:
    """Class totals for one set of converting series."""

    converting: frozenset[str]
    classes: tuple[tuple[str, Fraction], ...]
    steps: tuple[Step, ...]
    residual_per_common_share: Fraction  # the "level" the residual reached (0 when none)

    def amount(self, class_id: str) -> Fraction:
        return self._by_class[class_id]

    @cached_property
    def _by_class(self) -> dict[str, Fraction]:
        # Built once: the stable-outcome search asks each candidate for amounts k times.
        return dict(self.classes)


def keeps_declared_dividends(charter: Charter) -> bool:
    """Does a converting series keep its declared unpaid dividends (all.declared-dividends-on-conversion)?"""
    return charter.liquidation.declared_dividends_on_conversion == "paid-with-preferences"


def pay_preference_tiers(
    proceeds: Fraction, positions: Iterable[SeriesPosition], converting: frozenset[str], charter: Charter
) -> tuple[Fraction, dict[str, Fraction], list[Step]]:
    """Pay each seniority tier in turn; a short tier is shared by preferential amount."""
    keep_dividends = keeps_declared_dividends(charter)
    paid: dict[str, Fraction] = {}
    steps: list[Step] = []
    remaining = proceeds
    by_rank: dict[int, list[SeriesPosition]] = {}
    for position in positions:
        by_rank.setdefault(position.rank, []).append(position)
    for rank in sorted(by_rank):
        claims = {}
        for position in by_rank[rank]:
            if position.id in converting:
                # A converting series gives up its preference proper; its declared
                # dividends are a debt that stays in the tier (all.declared-dividends-on-conversion).
                claims[position.id] = position.dividends if keep_dividends else Fraction(0)
            else:
                claims[position.id] = position.preference + position.dividends
        total = sum(claims.values(), Fraction(0))
        if total == 0:
            continue
        tier_paid = min(remaining, total)
        shortfall = tier_paid < total
        for position in by_rank[rank]:
            # A tier paid in full pays each claim as it is: the value the pro-rata formula gives, without
            # its two Fraction operations per series (most tiers in most exits are paid in full).
            share = tier_paid * claims[position.id] / total if shortfall else claims[position.id]
            before = paid.get(position.id)  # None: the series' first share (the sum is for a repeated id)
            paid[position.id] = share if before is None else before + share
            if share:
                short = " (shortfall: shared by preferential amount)" if shortfall else ""
                what = "declared unpaid dividends" if position.id in converting else "liquidation preference"
                dividend = position.series.dividend
                if position.id not in converting and dividend is not None and dividend.cumulative:
                    what += f" with accrued dividends ({dividend.cite})"
                steps.append(Step(position.id, share, position.series.liquidation.cite, f"{what}, rank {rank}{short}"))
        remaining -= tier_paid
    return remaining, paid, steps


def share_residual(
    residual: Fraction, common_shares: int, positions: Iterable[SeriesPosition], converting: frozenset[str]
) -> tuple[Fraction, dict[str, Fraction]]:
    """Water-fill the residual: every common-equivalent share gets the same level until caps bind.

    Returns the level reached (per common-equivalent share) and the amount of
    each participant: ``"common"`` for the common holders and each converting
    series' as-converted shares, the series id for a participating series.
    """
    uncapped_weight = Fraction(common_shares)
    capped: list[tuple[Fraction, SeriesPosition]] = []
    for position in positions:
        if position.id in converting:
            uncapped_weight += position.as_converted
        elif position.series.participation.kind != "none" and position.as_converted > 0:
            if position.participation_cap is None:
                uncapped_weight += position.as_converted
            else:
                capped.append((position.participation_cap / position.as_converted, position))
    capped.sort(key=lambda pair: (pair[0], pair[1].id))
    active = uncapped_weight + sum((p.as_converted for _, p in capped), Fraction(0))
    saturated_total = Fraction(0)
    saturated: set[str] = set()
    for level, position in capped:
        if active == 0 or residual - saturated_total <= level * active:
            break
        saturated.add(position.id)
        saturated_total += position.participation_cap or 0
        active -= position.as_converted
    level = (residual - saturated_total) / active if active > 0 else Fraction(0)
    level = max(level, Fraction(0))
    shares: dict[str, Fraction] = {}
    for _, position in capped:
        cap = position.participation_cap or Fraction(0)
        shares[position.id] = cap if position.id in saturated else position.as_converted * level
    for position in positions:
        if position.id not in converting and position.series.participation.kind != "none" and position.id not in shares:
            shares[position.id] = position.as_converted * level
    return level, shares


def allocate(
    charter: Charter, proceeds: Fraction, common_shares: int, positions: tuple[SeriesPosition, ...],
    converting: frozenset[str], *, with_steps: bool = True,
) -> Allocation:
    """Class totals when exactly the series in ``converting`` take common instead of their preference.

    ``with_steps=False``: no steps (an empty tuple), for the candidate sets the stable-outcome search
    tries and rejects; the totals are the same."""
    residual, paid, steps = pay_preference_tiers(proceeds, positions, converting, charter)
    level, participation = share_residual(residual, common_shares, positions, converting)
    totals = {charter.common.id: level * common_shares}
    if not with_steps:
        for position in positions:
            extra = position.as_converted * level if position.id in converting else participation.get(position.id)
            amount = paid.get(position.id, _ZERO)
            totals[position.id] = amount + extra if extra else amount
        return Allocation(converting, tuple((c, totals[c]) for c in charter.class_ids), (), level)
    if common_shares and level:
        steps.append(Step(charter.common.id, totals[charter.common.id], charter.liquidation.residual_cite,
                          "residual, ratably per common share"))
    for position in positions:
        # Nothing is added where nothing is due (the same totals, one Fraction operation fewer each).
        amount = paid.get(position.id, _ZERO)
        if position.id in converting:
            as_common = position.as_converted * level
            if as_common:
                amount += as_common
                steps.append(Step(position.id, as_common, position.series.conversion.cite,
                                  "converted: shares the residual as common"))
        else:
            extra = participation.get(position.id)
            if extra:
                amount += extra
                steps.append(Step(position.id, extra, position.series.participation.cite,
                                  "participation beside common (capped)" if position.participation_cap is not None
                                  else "participation beside common"))
        totals[position.id] = amount
    ordered = tuple((class_id, totals[class_id]) for class_id in charter.class_ids)
    return Allocation(converting, ordered, tuple(steps), level)
