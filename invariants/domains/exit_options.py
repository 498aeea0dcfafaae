"""Options and warrants in an exit (interpretation all.options-in-exit = cash-exercise): proceeds conserved with
the exercise price added; only vested grants in the money exercise, for their vested shares."""

from __future__ import annotations

import dataclasses
from collections import Counter
from fractions import Fraction

from hypothesis import strategies as st

from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, everywhere, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.warrants import Warrant

CASH = "cash-exercise"


def with_cash_exercise(charter: Charter) -> Charter:
    """The charter read with all.options-in-exit = cash-exercise, whatever the run chose."""
    return dataclasses.replace(charter, chosen=tuple(sorted({**dict(charter.chosen), "all.options-in-exit": CASH}.items())))


def exit_option_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def case(draw: st.DrawFn) -> Case:
        table = draw(tables(charter, base))
        options = tuple(dataclasses.replace(o, vested=draw(st.one_of(st.none(), st.integers(0, o.shares))))
                        for o in table.options)
        warrants = list(table.warrants)
        for i in range(draw(st.integers(1, 2))):  # at least one, often cheap, so that exercises happen
            shares = draw(st.integers(1, 500000))
            warrants.append(Warrant(f"Warrant Holder {i}", draw(st.sampled_from(charter.class_ids)), shares,
                                    draw(st.one_of(st.just(gen.CENT), gen.cents(Fraction(0), Fraction(10)))),
                                    draw(st.one_of(st.none(), st.integers(0, shares)))))
        table = dataclasses.replace(table, options=options, warrants=tuple(warrants))
        # Besides the liquidation's own interesting exits, a value per share of stock up to $20 (where grants
        # are in the money or not).
        stock = sum(h.shares for h in table.holdings)
        values = st.one_of(st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(3), Fraction(10)]),
                           gen.cents(Fraction(0), Fraction(20)))
        per_share = values.map(lambda v: v * stock)
        return Case(table, proceeds=draw(st.one_of(gen.proceeds_for(charter, table), per_share, per_share, per_share)))
    return case()


def check_exit_options(charter: Charter, case: Case) -> None:
    table, proceeds = case.table, case.proceeds
    assert proceeds is not None
    if charter.interpretations_in_force.get("all.payout-cents") == "cents":
        return  # cents are a presentation of the exact answer; this invariant is about the exact one
    d = distribute(with_cash_exercise(charter), table, proceeds)
    # The grants as a multiset (two identical grants are two): each exercise uses up one, for its vested count.
    grants = Counter(("option", o.holder, charter.common.id, o.exercise_price, o.shares if o.vested is None else o.vested)
                     for o in table.options)
    grants.update(("warrant", w.holder, w.class_id, w.exercise_price, w.shares if w.vested is None else w.vested)
                  for w in table.warrants)
    paid_in = Fraction(0)
    extra: dict[str, int] = {}
    for e in d.exercised:
        key = (e.kind, e.holder, e.class_id, e.exercise_price, e.shares)
        if not grants[key]:
            raise Violation(f"{e.holder} exercised {e.shares} {e.class_id} at {e.exercise_price}: no vested grant "
                            "of that many shares is left to exercise", case)
        grants[key] -= 1
        paid_in += e.shares * e.exercise_price
        extra[e.class_id] = extra.get(e.class_id, 0) + e.shares
    total = sum((a for _, a in d.holders), Fraction(0))
    if total != proceeds + paid_in or sum((a for _, a in d.classes), Fraction(0)) != proceeds + paid_in:
        raise Violation(f"payouts sum to {total}; proceeds {proceeds} + exercise prices {paid_in} = "
                        f"{proceeds + paid_in}", case)
    for e in d.exercised:
        shares = table.shares_of(e.class_id) + extra[e.class_id]
        value = d.class_amount(e.class_id) / shares
        if not value > e.exercise_price:
            raise Violation(f"{e.holder} exercised at {e.exercise_price} but {e.class_id} is paid {value} a share", case)
    if d.exercised:
        reached()


OPTIONS_IN_EXIT = Invariant(
    "options-in-exit",
    "Read with options and warrants exercised in the exit (all.options-in-exit = cash-exercise), payouts sum to "
    "the proceeds plus the exercise prices paid, and only vested grants in the money exercise, for their vested "
    "shares.",
    "oracle", lambda c: (c.liquidation.cite, c.liquidation.residual_cite),
    everywhere("every cap table may hold options or warrants"), exit_option_cases, check_exit_options)
