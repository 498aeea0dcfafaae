"""A liquidation (or deemed liquidation) end to end: conversion choice, class totals, holders.

``distribute`` is the oracle's answer to "what does this charter pay each holder
at this exit?": exact amounts per class and per holder, the clause behind each
step, which series converted, and every stable outcome when there are several.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable, split_among_holders
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.conversion_choice import choose_conversions
from charter_oracle.oracle.errors import InputError, NoStableOutcome
from charter_oracle.oracle.exact import CENT, round_down
from charter_oracle.oracle.exercise_in_exit import Exercise, exercise_in_exit, paid_in
from charter_oracle.oracle.positions import series_positions
from charter_oracle.oracle.waterfall import Allocation, Step


@dataclass(frozen=True)
class Distribution:
    charter_id: str
    proceeds: Fraction
    classes: tuple[tuple[str, Fraction], ...]
    converted: frozenset[str]
    holders: tuple[tuple[str, Fraction], ...]
    steps: tuple[Step, ...]
    stable_outcomes: tuple[frozenset[str], ...]
    interpretations: tuple[tuple[str, str], ...]
    # Options and warrants exercised in the exit (all.options-in-exit = cash-exercise, oracle/exercise_in_exit.py):
    # their exercise price joins the proceeds, so classes and holders then sum to proceeds + paid_in.
    exercised: tuple[Exercise, ...] = ()

    @property
    def paid_in(self) -> Fraction:
        return paid_in(self.exercised)

    def class_amount(self, class_id: str) -> Fraction:
        return dict(self.classes)[class_id]

    def holder_amount(self, holder: str) -> Fraction:
        return dict(self.holders)[holder]


def holder_amounts(charter: Charter, table: CapTable, outcome: Allocation) -> dict[str, Fraction]:
    """Each holder's payout: its classes' totals split by shares."""
    return split_among_holders(table, dict(outcome.classes))


def in_cents(amounts: dict[str, Fraction], total: Fraction) -> dict[str, Fraction]:
    """Cents by largest remainder (interpretation all.payout-cents=cents): sums to the total's cents.

    Ties in the remainders go to holders in cap-table order, so the result is deterministic.
    """
    cent = CENT
    floors = {holder: round_down(amount, cent) for holder, amount in amounts.items()}
    left = round_down(total, cent) - sum(floors.values(), Fraction(0))
    order = sorted(amounts, key=lambda h: -(amounts[h] - floors[h]))  # stable sort keeps cap-table order
    for holder in order[: int(left / cent)]:
        floors[holder] += cent
    return floors


def distribute(charter: Charter, table: CapTable, proceeds: Fraction) -> Distribution:
    """Pay ``proceeds`` out under the charter's liquidation clauses, exactly."""
    if charter.interpretations_in_force.get("all.options-in-exit") == "cash-exercise":
        return exercise_in_exit(charter, table, proceeds, distribute_shares)
    return distribute_shares(charter, table, proceeds)


def distribute_shares(charter: Charter, table: CapTable, proceeds: Fraction) -> Distribution:
    """``distribute`` for the capital stock of the cap table only (no option or warrant exercised)."""
    if proceeds < 0:
        raise InputError(f"proceeds: {proceeds} is negative")
    if sum(h.shares for h in table.holdings) == 0:
        raise InputError("cap table: no shares outstanding, nobody to pay")
    chosen = charter.interpretations_in_force
    positions = series_positions(charter, table)
    choice = choose_conversions(
        charter, proceeds, table.shares_of(charter.common.id), positions, chosen.get("all.equilibrium", "preferred-best")
    )
    outcome = choice.chosen
    paid = sum((amount for _, amount in outcome.classes), Fraction(0))
    if paid != proceeds:
        # Only possible when no share can absorb the residual (no common, nobody converting,
        # every participant capped) and no switch helps: say so rather than lose money.
        raise NoStableOutcome(f"proceeds {proceeds}: the chosen outcome pays {paid}, not the proceeds")
    holders = holder_amounts(charter, table, outcome)
    classes = outcome.classes
    if chosen.get("all.payout-cents") == "cents":
        if (proceeds / CENT).denominator != 1:
            raise InputError(f"proceeds {proceeds}: all.payout-cents=cents needs proceeds in whole cents")
        holders = in_cents(holders, proceeds)
        # Class totals in the cents view are rounded the same way, independently of the holders.
        classes = tuple((cid, amount) for cid, amount in in_cents(dict(classes), proceeds).items())
    return Distribution(
        charter_id=charter.id,
        proceeds=proceeds,
        classes=classes,
        converted=outcome.converting,
        holders=tuple(holders.items()),
        steps=outcome.steps,
        stable_outcomes=tuple(o.converting for o in choice.stable),
        interpretations=charter.chosen,
    )
