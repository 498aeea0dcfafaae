"""Options and warrants in an exit (interpretation ``all.options-in-exit = cash-exercise``).

A charter's liquidation clause pays holders of capital stock; options and warrants are not stock
and take nothing unless exercised before the exit. Whether they are is the company's option plan
and the warrants' terms, not the charter: ``excluded`` (the default) leaves them out; ``cash-exercise``
exercises every vested option and warrant that is in the money -- its class is paid more per share
in the exit than its exercise price --, adds the exercise price to the proceeds, and lets the new
shares share as their class (a warrant for a series takes that series' preference too).

Exercising dilutes, so the exercising set is found by shrinking: first every grant in the money
without any exercise, then, until nothing changes, the ones still in the money once the current set
has exercised (leaving out the grants above the new per-share value only raises it, so no grant
left out is in the money at the end in the common-only case). Deterministic: cap-table order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter

if TYPE_CHECKING:
    from charter_oracle.oracle.liquidation import Distribution


@dataclass(frozen=True)
class Exercise:
    """One grant exercised in the exit: ``shares`` (its vested count) of ``class_id`` at ``exercise_price``."""

    kind: Literal["option", "warrant"]
    holder: str
    class_id: str
    shares: int
    exercise_price: Fraction

    @property
    def paid_in(self) -> Fraction:
        return self.shares * self.exercise_price


def exercisable(charter: Charter, table: CapTable) -> tuple[Exercise, ...]:
    """Every vested option (for common) and warrant, in cap-table order; unvested shares lapse."""
    found = [Exercise("option", o.holder, charter.common.id, o.shares if o.vested is None else o.vested, o.exercise_price)
             for o in table.options]
    found += [Exercise("warrant", w.holder, w.class_id, w.shares if w.vested is None else w.vested, w.exercise_price)
              for w in table.warrants]
    return tuple(e for e in found if e.shares)


def with_exercised(table: CapTable, exercised: tuple[Exercise, ...]) -> CapTable:
    return dataclasses.replace(table, holdings=table.holdings + tuple(Holding(e.holder, e.class_id, e.shares)
                                                                      for e in exercised))


def per_share(d: Distribution, table: CapTable, class_id: str) -> Fraction:
    outstanding = table.shares_of(class_id)
    return d.class_amount(class_id) / outstanding if outstanding else Fraction(0)


def paid_in(exercised: tuple[Exercise, ...]) -> Fraction:
    """What the exercising holders pay the company: it joins the proceeds."""
    return sum((e.paid_in for e in exercised), Fraction(0))


def exercise_in_exit(charter: Charter, table: CapTable, proceeds: Fraction,
                     plain: Callable[[Charter, CapTable, Fraction], Distribution]) -> Distribution:
    """The exit with in-the-money grants exercised; ``plain`` is the waterfall without any exercise."""
    base = plain(charter, table, proceeds)
    chosen = tuple(e for e in exercisable(charter, table) if per_share(base, table, e.class_id) > e.exercise_price)
    while chosen:
        after = with_exercised(table, chosen)
        d = plain(charter, after, proceeds + paid_in(chosen))
        keep = tuple(e for e in chosen if per_share(d, after, e.class_id) > e.exercise_price)
        if keep == chosen:
            return dataclasses.replace(d, proceeds=proceeds, exercised=chosen)
        chosen = keep
    return base
