"""Conversion invariants: cash in lieu of fractional shares, and the automatic conversion trigger."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import charter_oracle.oracle.compliance as _comp
import charter_oracle.oracle.conversion as _conv
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.domains.core import Invariant, needs_preferred, requires, tables
from charter_oracle.invariants.reach import reached
from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import round_half_even, round_half_up


def conversion_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        holder = draw(st.sampled_from(t.holders))
        shares = {s.id: draw(st.integers(0, t.holder_shares(holder, s.id))) for s in charter.series}
        fmv = draw(gen.cents(Fraction(0), Fraction(20)))
        return Case(t, params=(("holder", holder), ("shares", tuple(sorted(shares.items()))), ("fmv", fmv)))

    @st.composite
    def fractions_add_up(draw: Any) -> Case:
        """One share of two series converting into 2/3 common each: the fractions make a whole share together."""
        a, b = charter.series[0], charter.series[1]
        n = draw(st.integers(1, 3))
        t = CapTable(charter.date, (Holding("Both", a.id, n), Holding("Both", b.id, n)), (),
                     tuple(sorted(((a.id, a.conversion.value * 3 / 2), (b.id, b.conversion.value * 3 / 2)))), (),
                     tuple((s.id, gen.years_after(charter.date, -2)) for s in charter.series if s.participation.interest_rate))
        return Case(t, params=(("holder", "Both"), ("shares", ((a.id, n), (b.id, n))), ("fmv", Fraction(3))))
    random = tables(charter, base).flatmap(lambda t: build(t))
    return st.one_of(random, fractions_add_up()) if len(charter.series) >= 2 else random


def check_cash_in_lieu(charter: Charter, case: Case) -> None:
    holder, shares, fmv = case.param("holder"), dict(case.param("shares")), case.param("fmv")
    r = _conv.convert_holder(charter, case.table, holder, shares, fmv)
    exact = sum((n * ex.ratio(charter, case.table, charter.series_by_id(sid)) for sid, n in shares.items()), Fraction(0))
    if charter.conversion.share_rounding is not None:
        exact = ex.round_half_up(exact, charter.conversion.share_rounding)
    whole = int(exact)
    cash = (exact - whole) * fmv
    if charter.conversion.cash_unit is not None:  # infinity IV.4(h)(i): to the nearest cent
        tie = charter.dilution.price_tie if charter.dilution else "half-up"
        cash = (round_half_even if tie == "half-even" else round_half_up)(cash, charter.conversion.cash_unit)
    if (r.whole_shares, r.fraction, r.cash_in_lieu) != (whole, exact - whole, cash):
        raise Violation(f"{holder} converting {shares}: {r.whole_shares} shares + {r.fraction} in cash "
                        f"({r.cash_in_lieu}); aggregated, it is {whole} + {exact - whole} ({cash})", case)
    if any(shares.values()):
        reached()  # some preferred was converted


CASH_IN_LIEU = Invariant(
    "cash-in-lieu", "Converting pays whole shares on the holder's aggregated conversion shares (after the "
    "charter's share rounding) and cash for the fraction.", "oracle",
    lambda c: (c.conversion.cash_in_lieu_cite, c.conversion.share_rounding_cite), needs_preferred,
    conversion_cases, check_cash_in_lieu)


def trigger_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    o = charter.conversion.automatic_offering
    if o is None:
        return st.nothing()
    near = lambda v: st.sampled_from([v - gen.CENT, v, v + gen.CENT, v * 2, Fraction(0)])  # noqa: E731
    offering = st.tuples(near(o.min_price), near(o.min_amount), near(o.min_amount), st.booleans()).map(
        lambda x: Case(CapTable(charter.date, (Holding("X", charter.common.id, 1),)),
                       params=(("price", x[0]), ("gross", x[1]), ("net", x[2]), ("firm", x[3]))))
    return offering


def check_triggers(charter: Charter, case: Case) -> None:
    o = charter.conversion.automatic_offering
    assert o is not None
    price, gross, net, firm = (case.param(k) for k in ("price", "gross", "net", "firm"))
    got = _comp.offering_triggers(charter, price, gross, net, firm).ok
    amount = gross if o.amount_basis == "gross" else net
    want = (ex.compare(price, 1, o.min_price, o.price_compare) and ex.compare(amount, 1, o.min_amount, o.amount_compare)
            and (firm or not o.firm_commitment_required))
    if got != want:
        raise Violation(f"offering at {price}, gross {gross}, net {net}, firm {firm}: triggers {got}, "
                        f"{o.cite} says {want}", case)
    reached()


AUTOMATIC_CONVERSION = Invariant(
    "automatic-conversion", "An offering triggers automatic conversion exactly when the price and the "
    "(gross or net) amount pass their stated tests.", "oracle",
    lambda c: (c.conversion.automatic_offering.cite,) if c.conversion.automatic_offering else (),
    lambda c: ((True, "the charter has an offering trigger") if c.conversion.automatic_offering
               else (False, "no automatic conversion on an offering")), trigger_cases, check_triggers)


# --- declared-dividends-on-conversion ---------------------------------------------------------------

def dividend_conversion_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        holder = draw(st.sampled_from(t.holders))
        dividends = tuple((s.id, draw(gen.cents(Fraction(0), Fraction(1)) | st.just(Fraction(1352, 10000))))
                          for s in charter.series)
        table = CapTable(t.as_of, t.holdings, t.options, t.conversion_prices, dividends, t.issue_dates)
        return Case(table, params=(("holder", holder),))
    return tables(charter, base).flatmap(lambda t: build(t))


def check_dividends_on_conversion(charter: Charter, case: Case) -> None:
    t, holder = case.table, case.param("holder")
    r = _conv.convert_holder(charter, t, holder, None, Fraction(0))
    want = sum((t.holder_shares(holder, s.id) * t.dividend_per_share(s.id) for s in charter.series), Fraction(0))
    unit = charter.conversion.cash_unit
    if unit is not None:
        tie = charter.dilution.price_tie if charter.dilution else "half-up"
        want = (round_half_even if tie == "half-even" else round_half_up)(want, unit)
    if r.declared_dividends != want:
        raise Violation(f"{holder} converting all its preferred is paid {r.declared_dividends} of declared dividends, "
                        f"not {want} ({charter.conversion.declared_dividends_cite})", case)
    if want:
        reached()


DECLARED_DIVIDENDS_ON_CONVERSION = Invariant(
    "declared-dividends-on-conversion", "Converting pays the declared unpaid dividends on the converted "
    "shares in cash (to the charter's cash unit).", "oracle",
    lambda c: (c.conversion.declared_dividends_cite,),
    requires(needs_preferred, lambda c: c.conversion.pays_declared_dividends,
             "the charter pays declared dividends on conversion", "the charter says nothing of them"),
    dividend_conversion_cases, check_dividends_on_conversion)


def _groups(charter: Charter) -> tuple[Any, ...]:
    trigger = charter.conversion.automatic_consent
    return () if trigger is None else (trigger, *trigger.also)


def _weights(charter: Charter, t: CapTable, group: Any) -> dict[str, Fraction]:
    """Each holder's consent weight in a group: shares of its classes, or whole votes as converted."""
    if group.basis == "shares":
        return {h: Fraction(sum(t.holder_shares(h, c) for c in group.classes)) for h in t.holders}
    votes = ex.holder_votes(charter, t, group.classes)
    return {h: Fraction(v[1] + v[2]) for h, v in votes.items()}


def consent_trigger_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    """Random consenting holders, and for one group the fewest largest holders that meet it alone
    (the other groups then often not: the case where only the pair decides)."""
    @st.composite
    def build(draw: Any, t: CapTable) -> Case:
        if draw(st.booleans()):
            return Case(t, params=(("approving", tuple(draw(st.lists(st.sampled_from(t.holders), unique=True)))),))
        group = draw(st.sampled_from(_groups(charter)))
        weights = _weights(charter, t, group)
        total, approving, yes = sum(weights.values(), Fraction(0)), [], Fraction(0)
        for holder in sorted(t.holders, key=lambda h: -weights[h]):
            if ex.compare(yes, total, group.threshold.fraction, group.threshold.compare):
                break
            approving.append(holder)
            yes += weights[holder]
        return Case(t, params=(("approving", tuple(approving)),))
    return tables(charter, base).flatmap(lambda t: build(t))


def check_consent_trigger(charter: Charter, case: Case) -> None:
    """Automatic conversion by consent exactly when every group (the trigger and each ``also``) consents."""
    t, approving = case.table, set(case.param("approving"))
    met = []
    for group in _groups(charter):
        weights = _weights(charter, t, group)
        yes = sum((w for h, w in weights.items() if h in approving), Fraction(0))
        met.append(ex.compare(yes, sum(weights.values(), Fraction(0)), group.threshold.fraction, group.threshold.compare))
    checks = [c for c in _comp.check_action(charter, t, {"action": "automatic-conversion-consent",
                                                         "approving": sorted(approving)}) if c.name == "automatic-conversion"]
    if len(checks) != 1 or checks[0].ok != all(met):
        raise Violation(f"consent of {sorted(approving)}: groups met {met}; expected converting = {all(met)}, "
                        f"got {[c.ok for c in checks]}", case)
    if any(met):
        reached()  # a group consented: the answer turns on the threshold (and, with a pair, on the other group)


CONSENT_TRIGGER = Invariant(
    "automatic-conversion-consents", "Automatic conversion by consent happens exactly when every named group "
    "consents at its threshold, each counted on its own basis.", "oracle",
    lambda c: tuple(g.cite for g in _groups(c)),
    lambda c: (True, "the charter converts on a consent") if _groups(c) else (False, "no conversion by consent"),
    consent_trigger_cases, check_consent_trigger)
