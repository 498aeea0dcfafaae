"""Liquidation invariants: who is paid what on an exit, in which order, and exactly.

Conservation, preference priority, the pro rata shortfall, equal treatment within a class,
monotonicity, rational conversion choices and participation beside common (infinity IV.3,
nvidia IV.D.2). Checks reach the oracle through its modules (``_liq.distribute``) so that a
mutant swapped in at run time is the one checked.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import charter_oracle.oracle.liquidation as _liq
import charter_oracle.oracle.positions as _pos
import charter_oracle.oracle.waterfall as _wf
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, everywhere, needs_preferred, requires, series_cites, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter


def exit_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    return tables(charter, base).flatmap(
        lambda t: gen.proceeds_for(charter, t).map(lambda p: Case(t, p)))


def participation_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """Mostly exits where an unconverted participating series shares the residual (its clause), some anywhere."""
    return tables(charter, base).flatmap(lambda t: st.one_of(
        gen.proceeds_for(charter, t), gen.participating_proceeds(charter, t), gen.participating_proceeds(charter, t)
    ).map(lambda p: Case(t, p)))


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


CONSERVATION = Invariant(
    "conservation", "Payouts are exact, non-negative and sum to the proceeds.", "oracle",
    lambda c: (c.liquidation.cite, c.liquidation.residual_cite), everywhere("every charter pays out an exit"),
    exit_cases, check_conservation)


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


PREFERENCE_PRIORITY = Invariant(
    "preference-priority", "No residual dollar is paid, and no junior tier is paid, while a non-converting "
    "preferred holder senior to it is short of its full preference.", "oracle",
    lambda c: (c.liquidation.cite, *(s.liquidation.cite for s in c.series)), needs_preferred, exit_cases,
    check_preference_priority)


def shortfall_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    def for_table(t: CapTable) -> st.SearchStrategy[Case]:
        total = sum((ex.claim(t, s) for s in charter.series), Fraction(0))
        return st.one_of(st.just(total), st.just(max(total - gen.CENT, Fraction(0))),
                         st.fractions(0, max(total, Fraction(1)), max_denominator=10**6)).map(lambda p: Case(t, min(p, total)))
    return tables(charter, base).flatmap(for_table)


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


PRO_RATA_SHORTFALL = Invariant(
    "pro-rata-shortfall", "When the proceeds do not cover the preferences, each holder gets its tier's "
    "amount in proportion to its full preferential amount.", "oracle",
    lambda c: (c.liquidation.shortfall_cite,), needs_preferred, shortfall_cases, check_pro_rata_shortfall)


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


EQUAL_TREATMENT = Invariant(
    "equal-treatment", "Holders of one class get the same amount per share, whatever the row order.",
    "oracle", lambda c: (c.liquidation.residual_cite, *(s.liquidation.cite for s in c.series)),
    everywhere("every class shares ratably"), exit_cases, check_equal_treatment)


def pair_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    deltas = st.one_of(st.just(gen.CENT), st.just(Fraction(1, 1000)), gen.cents(gen.CENT, Fraction(1_000_000)))
    return tables(charter, base).flatmap(lambda t: st.tuples(gen.proceeds_for(charter, t), deltas).map(
        lambda pd: Case(t, pd[0], params=(("delta", pd[1]),))))


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


MONOTONE_CONTINUOUS = Invariant(
    "monotone-continuous", "Every class's payout is non-decreasing in the proceeds and rises by at most the "
    "rise in proceeds.", "oracle", lambda c: (c.liquidation.cite,), everywhere("every charter pays out an exit"),
    pair_cases, check_monotone)


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


CONVERSION_RATIONAL = Invariant(
    "conversion-rational", "No series could gain by switching its conversion choice, the others' fixed; the "
    "payout is the waterfall of the reported conversions.", "oracle",
    series_cites("conversion"), needs_preferred, exit_cases, check_conversion_rational)


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
        # Each cap leg is its own bound here, tested on its own; the oracle takes the lesser leg
        # (oracle/positions.py) and fills capped series by water level (oracle/waterfall.py). Taking
        # min() here too would copy the oracle, not check it.
        legs = ex.participation_legs(s, t)
        bounds = [leg * shares for leg in legs] if legs is not None else []
        if any(extra > bound for bound in bounds):
            raise Violation(f"{s.id} participates {extra / shares} per share beyond its preference; cap {min(legs)}", case)
        if level is not None:
            full = shares * ex.ratio(charter, t, s) * level  # as if converted, at common's level
            # Within every bound (checked above) and at most the full share, the amount must *be* one of
            # them: the lesser of them all, by definition, with no min() taken.
            if extra > full or extra not in (full, *bounds):
                want = min((full, *bounds))  # only to say what was expected
                raise Violation(f"{s.id} participates {extra}; with common at {level} per share it should get {want}", case)
            if level > 0:
                reached()  # a participating series shared a positive residual


PARTICIPATION_CAP = Invariant(
    "participation-cap", "A participating series shares the residual beside common as if converted, and a "
    "capped one never beyond the lesser of its cap legs (interest accrued on the day-count basis).", "oracle",
    series_cites("participation"),
    requires(needs_preferred, lambda c: any(s.participation.kind != "none" for s in c.series),
             "a series participates beside common", "no series participates"), participation_cases, check_participation)
