"""The mutant catalogue: realistic wrong oracles, to prove the suite has teeth.

Each mutant is a context manager that swaps one function of the oracle (or the
charter setting one engine sees) at run time, with ``unittest.mock.patch``; no
oracle file is touched. ``run_mutants`` runs the suite against each one and
reports which survived. A survivor means an invariant is missing or weak:
strengthen the suite, never weaken the mutant.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from unittest import mock

import charter_oracle.oracle.adjustments as _adj
import charter_oracle.oracle.conversion as _conv
import charter_oracle.oracle.conversion_choice as _choice
import charter_oracle.oracle.positions as _pos
import charter_oracle.oracle.valuation as _val
import charter_oracle.oracle.voting as _vote
import charter_oracle.oracle.waterfall as _wf
from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import load_cap_table
from charter_oracle.oracle.charter import Charter, Threshold
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.exact import round_down

Patch = Callable[[], contextlib.AbstractContextManager[Any]]


@dataclass(frozen=True)
class Mutant:
    id: str
    bug: str  # the realistic mistake it models
    charters: tuple[str, ...]  # bundled charters where the mistake changes an answer
    patch: Patch
    hints: tuple[str, ...] = ()  # invariants expected to catch it, tried first (all are tried)


def _charter_patch(target: str, change: Callable[[Charter], Charter], arg: int = 0) -> Patch:
    """Call the original ``target`` with a modified charter (the engine sees a wrong setting)."""
    module_name, name = target.rsplit(".", 1)
    original = getattr(__import__(module_name, fromlist=[name]), name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        args = list(args)
        args[arg] = change(args[arg])
        return original(*args, **kwargs)
    return lambda: mock.patch(target, wrapper)


def _voting(**changes: Any) -> Callable[[Charter], Charter]:
    return lambda c: dataclasses.replace(c, voting=dataclasses.replace(c.voting, **changes))


def _series(series_id: str, **dilution: Any) -> Callable[[Charter], Charter]:
    def change(c: Charter) -> Charter:
        return dataclasses.replace(c, series=tuple(
            dataclasses.replace(s, dilution=dataclasses.replace(s.dilution, **dilution)) if s.id == series_id else s
            for s in c.series))
    return change


# --- liquidation mutants ------------------------------------------------------------------

def _tiers(by_shares: bool = False, sequential: bool = False) -> Callable[..., Any]:
    def pay(proceeds: Fraction, positions: Any, converting: frozenset[str], charter: Charter) -> Any:
        positions = list(positions)
        remaining, paid = proceeds, {}
        groups: dict[Any, list[Any]] = {}
        for i, p in enumerate(positions):
            groups.setdefault(i if sequential else p.rank, []).append(p)
        for key in sorted(groups):
            claims = {p.id: (p.dividends if p.id in converting else p.preference + p.dividends) for p in groups[key]}
            total = sum(claims.values(), Fraction(0))
            if total == 0:
                continue
            tier = min(remaining, total)
            weights = {p.id: (Fraction(p.shares) if claims[p.id] else Fraction(0)) for p in groups[key]} if by_shares \
                else claims
            wsum = sum(weights.values(), Fraction(0))
            for p in groups[key]:
                paid[p.id] = paid.get(p.id, Fraction(0)) + (tier * weights[p.id] / wsum if wsum else Fraction(0))
            remaining -= tier
        return remaining, paid, []
    return pay


def _no_dividends(charter: Charter, table: Any) -> Any:
    return tuple(dataclasses.replace(p, dividends=Fraction(0)) for p in _pos.series_positions(charter, table))


def _residual_without_redistribution(residual: Fraction, common_shares: int, positions: Any, converting: Any) -> Any:
    """Everyone takes the same level; what a capped series cannot take is simply left over."""
    weight = Fraction(common_shares)
    participants = []
    for p in positions:
        if p.id in converting:
            weight += p.as_converted
        elif p.series.participation.kind != "none" and p.as_converted > 0:
            weight += p.as_converted
            participants.append(p)
    level = residual / weight if weight else Fraction(0)
    shares = {}
    for p in participants:
        full = p.as_converted * level
        shares[p.id] = full if p.participation_cap is None else min(full, p.participation_cap)
    return level, shares


_real_share_residual = _wf.share_residual


def _float_residual(residual: Fraction, common_shares: int, positions: Any, converting: Any) -> Any:
    level, shares = _real_share_residual(residual, common_shares, positions, converting)
    return Fraction(float(level)), {k: Fraction(float(v)) for k, v in shares.items()}


_real_switch_level = _pos.SeriesPosition.switch_level


def _never_convert_participating(self: Any) -> Any:
    return None if self.series.participation.kind == "capped" else _real_switch_level.fget(self)


def _as_if_alone(charter: Charter, proceeds: Fraction, common: int, positions: Any, equilibrium: str = "") -> Any:
    """Each series converts when converting alone beats nobody converting; stability never checked."""
    nobody = _wf.allocate(charter, proceeds, common, positions, frozenset())
    chosen = frozenset(p.id for p in positions if p.shares and
                       _wf.allocate(charter, proceeds, common, positions, frozenset({p.id})).amount(p.id) > nobody.amount(p.id))
    outcome = _wf.allocate(charter, proceeds, common, positions, chosen)
    return _choice.Choice(outcome, (outcome,), len(positions) + 2)


def _fixed_leg_cap(series: Any, table: Any) -> Any:
    terms = series.participation
    if terms.kind == "capped" and terms.cap_per_share is not None:
        return terms.cap_per_share
    return _real_cap(series, table)


_real_cap = _pos.participation_cap_per_share

def _per_share_votes(charter: Charter, table: Any, holder: str, classes: Any) -> tuple[Fraction, int]:
    """Each share's as-converted vote rounded on its own (count x rounded ratio: same result, no huge lists)."""
    classes = tuple(classes)
    exact = _vote.as_converted_votes(charter, table, holder, classes)
    votes = 0
    for s in charter.series:
        if s.id in classes:
            ratio = s.conversion.value / table.conversion_price(charter, s.id)
            votes += table.holder_shares(holder, s.id) * _vote.round_votes(charter, ratio)
    return exact, votes


# --- conversion-price mutants -------------------------------------------------------------


def _net_always(charter: Charter, event: Any) -> Fraction:
    if event.kind == "grant":
        return event.shares * (event.price + event.exercise_price)
    return event.shares * event.price - event.commissions


_ORIGINAL_MARKET_VALUE = _val.market_value
_ORIGINAL_ROUND_BY = _adj.formula.round_by


def _valuation_without_lag(charter: Charter, closes: Any, distribution: Any, discount: Fraction = Fraction(0)) -> Any:
    """The valuation window ending on the distribution date: the "3 days prior" forgotten."""
    liquidation = dataclasses.replace(charter.liquidation, valuation_lag_days=0)
    return _ORIGINAL_MARKET_VALUE(dataclasses.replace(charter, liquidation=liquidation), closes, distribution, discount)


def _cents_half_even(rule: str, value: Fraction, unit: Fraction = Fraction(1)) -> Fraction:
    """Prices rounded half-even where the charter (or its interpretation) says half up."""
    return _ORIGINAL_ROUND_BY("half-even", value, unit)


def _gross_always(charter: Charter, event: Any) -> Fraction:
    if event.kind == "grant":
        return event.shares * (event.price + event.exercise_price)
    return event.shares * event.price


def _at_or_below(effective_price: Fraction, price_in_effect: Fraction) -> bool:
    """The dilution test with "at or below" where the charter says "below"."""
    return effective_price <= price_in_effect


def _all_options(charter: Charter) -> Charter:
    return dataclasses.replace(charter, dilution=dataclasses.replace(charter.dilution, options_in_base="all"))


# --- thresholds, conversion, dividends ----------------------------------------------------

_real_met = Threshold.met


def _met_decimal_two_thirds(self: Threshold, part: Any, whole: Any) -> bool:
    fraction = Fraction("0.6667") if self.fraction == Fraction(2, 3) else self.fraction
    return _real_met(dataclasses.replace(self, fraction=fraction), part, whole)


def _met_at_least(self: Threshold, part: Any, whole: Any) -> bool:
    compare = ">=" if self.compare == ">" else self.compare
    return _real_met(dataclasses.replace(self, compare=compare), part, whole)


_real_convert = _conv.convert_holder


def _not_retired(*args: Any, **kwargs: Any) -> Any:
    result = _real_convert(*args, **kwargs)
    charter = args[0]
    return dataclasses.replace(result, designated_after=tuple((s.id, s.designated) for s in charter.series))


def _per_series_whole(charter: Charter, table: Any, holder: str, shares: Any = None, fair_market_value: Fraction = Fraction(0)) -> Any:
    """Whole shares and the fraction taken series by series, not on the holder's aggregate."""
    result = _real_convert(charter, table, holder, shares, fair_market_value)
    shares = shares if shares is not None else {s.id: table.holder_shares(holder, s.id) for s in charter.series}
    whole, fraction = 0, Fraction(0)
    for sid, count in shares.items():
        s = charter.series_by_id(sid)
        exact = count * s.conversion.value / table.conversion_price(charter, sid)
        if charter.conversion.share_rounding is not None:
            exact = _conv.round_half_up(exact, charter.conversion.share_rounding)
        whole += int(round_down(exact))
        fraction += exact - int(round_down(exact))
    return dataclasses.replace(result, whole_shares=whole, fraction=fraction, cash_in_lieu=fraction * fair_market_value)


def _one_dividend_rank(charter: Charter) -> Charter:
    return dataclasses.replace(charter, series=tuple(
        dataclasses.replace(s, dividend=dataclasses.replace(s.dividend, rank=1)) if s.dividend else s
        for s in charter.series))


def _offering_gross(charter: Charter) -> Charter:
    o = charter.conversion.automatic_offering
    flipped = "gross" if o is not None and o.amount_basis == "net" else "net"
    if o is None:
        return charter
    return dataclasses.replace(charter, conversion=dataclasses.replace(
        charter.conversion, automatic_offering=dataclasses.replace(o, amount_basis=flipped)))


INF, NV, EX = "infinity-1996", "nvidia-1998", "example-modern"
PREF = (INF, NV, EX)

MUTANTS: tuple[Mutant, ...] = (
    Mutant("shortfall-by-share-count", "a short tier shared by share count instead of preferential amount", PREF,
           lambda: mock.patch("charter_oracle.oracle.waterfall.pay_preference_tiers", _tiers(by_shares=True)), ("pro-rata-shortfall",)),
    Mutant("pari-passu-in-sequence", "a pari passu tier paid series by series, in file order", PREF,
           lambda: mock.patch("charter_oracle.oracle.waterfall.pay_preference_tiers", _tiers(sequential=True)), ("pro-rata-shortfall",)),
    Mutant("dividends-left-out-of-preference", "declared unpaid dividends not added to the preference", PREF,
           lambda: mock.patch("charter_oracle.oracle.liquidation.series_positions", _no_dividends), ("pro-rata-shortfall",)),
    Mutant("participation-excess-unpaid", "what a capped series cannot take is left unpaid, not given to common", (INF, EX),
           lambda: mock.patch("charter_oracle.oracle.waterfall.share_residual", _residual_without_redistribution), ("conservation",)),
    Mutant("capped-never-converts", "a capped participating series is never allowed to convert", (INF, EX),
           lambda: mock.patch.object(_pos.SeriesPosition, "switch_level", property(_never_convert_participating)),
           ("conversion-rational",)),
    Mutant("conversion-as-if-alone", "each series decides to convert as if alone; stability never checked", PREF,
           lambda: mock.patch("charter_oracle.oracle.liquidation.choose_conversions", _as_if_alone), ("conversion-rational",)),
    Mutant("participation-cap-fixed-leg-only", "the participation cap ignores the interest leg", (INF,),
           lambda: mock.patch("charter_oracle.oracle.positions.participation_cap_per_share", _fixed_leg_cap), ("participation-cap",)),
    Mutant("floats-not-fractions", "the residual computed in binary floats", PREF + ("byzantine-1999",),
           lambda: mock.patch("charter_oracle.oracle.waterfall.share_residual", _float_residual), ("conservation",)),
    Mutant("votes-rounded-per-series", "preferred votes rounded per series, not per holder", (INF, NV, EX),
           _charter_patch("charter_oracle.oracle.voting.holder_preferred_votes", _voting(aggregate="series")), ("vote-rounding",)),
    Mutant("votes-rounded-per-share", "preferred votes rounded per share", (INF, NV, EX),
           lambda: mock.patch("charter_oracle.oracle.voting.holder_preferred_votes", _per_share_votes), ("vote-rounding",)),
    Mutant("votes-half-even", "half-even where the charter says half up", (NV, INF),
           _charter_patch("charter_oracle.oracle.voting.round_votes", _voting(tie="half-even")), ("vote-rounding",)),
    Mutant("weighted-average-on-infinity-series-a", "infinity Series A adjusted for dilutive issues", (INF,),
           _charter_patch("charter_oracle.oracle.adjustments.ledger._dilute", _series("series_a", method="broad-based-weighted-average")),
           ("anti-dilution-scope",)),
    Mutant("weighted-average-on-nvidia-series-c", "nvidia Series C adjusted for dilutive issues", (NV,),
           _charter_patch("charter_oracle.oracle.adjustments.ledger._dilute", _series("series_c", method="broad-based-weighted-average")),
           ("anti-dilution-scope",)),
    Mutant("net-instead-of-gross", "consideration net of commissions where the charter says gross (infinity)", (INF,),
           lambda: mock.patch("charter_oracle.oracle.adjustments.formula.consideration", _net_always), ("adjustment-formula",)),
    Mutant("gross-instead-of-net", "commissions not deducted where the charter says net (nvidia)", (NV,),
           lambda: mock.patch("charter_oracle.oracle.adjustments.formula.consideration", _gross_always), ("adjustment-formula",)),
    Mutant("at-or-below-the-price", "an issue at the price in effect treated as dilutive", (NV, INF, EX),
           lambda: mock.patch("charter_oracle.oracle.adjustments.formula.is_dilutive", _at_or_below), ("adjustment-formula",)),
    Mutant("all-options-in-infinity-base", "infinity's option condition ignored: every option in the base", (INF,),
           _charter_patch("charter_oracle.oracle.adjustments.formula.deemed_outstanding", _all_options), ("adjustment-formula",)),
    Mutant("valuation-window-without-lag", "securities valued over the 30 days ending on the distribution date", (INF,),
           lambda: mock.patch("charter_oracle.oracle.valuation.market_value", _valuation_without_lag), ("valuation-window",)),
    Mutant("cent-tie-half-even", "adjusted prices rounded half-even where the charter says half up", (INF,),
           lambda: mock.patch("charter_oracle.oracle.adjustments.formula.round_by", _cents_half_even), ("split-proportional", "adjustment-formula")),
    Mutant("two-thirds-as-0.6667", "two thirds compared as 0.6667", (NV, INF),
           lambda: mock.patch.object(Threshold, "met", _met_decimal_two_thirds), ("threshold-exactness",)),
    Mutant("at-least-for-more-than", "'more than 50%' read as 'at least 50%'", (NV, INF, EX),
           lambda: mock.patch.object(Threshold, "met", _met_at_least), ("threshold-exactness",)),
    Mutant("converted-preferred-not-retired", "converted preferred left in the designated count", PREF,
           lambda: mock.patch("charter_oracle.oracle.conversion.convert_holder", _not_retired), ("authorized-cap",)),
    Mutant("cash-in-lieu-per-series", "whole shares taken per series, not on the holder's aggregate", PREF,
           lambda: mock.patch("charter_oracle.oracle.conversion.convert_holder", _per_series_whole), ("cash-in-lieu",)),
    Mutant("dividends-all-pari-passu", "infinity's Series C dividend priority ignored", (INF,),
           _charter_patch("charter_oracle.oracle.dividends.allocate_dividend", _one_dividend_rank), ("dividend-priority",)),
    Mutant("offering-amount-basis-flipped", "the offering trigger tested on gross where net is stated, or back", (NV, INF),
           _charter_patch("charter_oracle.oracle.compliance.offering_triggers", _offering_gross), ("automatic-conversion",)),
)
from charter_oracle.invariants.fidelity_mutants import mutants as _fidelity_mutants  # noqa: E402
MUTANTS += _fidelity_mutants()  # issue 10: the old wrong readings; to move into the domain modules

BY_ID: dict[str, Mutant] = {m.id: m for m in MUTANTS}


@dataclass(frozen=True)
class MutantResult:
    id: str
    killed: bool
    charter: str | None
    invariant: str | None
    message: str


def run_mutant(mutant: Mutant, profile: str = "ci") -> MutantResult:
    """Run the suite on the mutant's charters until an oracle invariant is violated (killed) or none is."""
    from charter_oracle.invariants.registry import INVARIANTS  # late: the registry imports the oracle modules we patch
    from charter_oracle.invariants.suite import run_invariant

    ordered = sorted(INVARIANTS, key=lambda inv: (inv.id not in mutant.hints, mutant.hints.index(inv.id)
                                                  if inv.id in mutant.hints else 0))
    with mutant.patch():
        for charter_id in mutant.charters:
            charter = load_charter(charter_id)
            table = load_cap_table(bundled.reference_cap_table(charter_id), charter)
            for invariant in ordered:
                if invariant.kind != "oracle":
                    continue
                verdict = run_invariant(invariant, charter, table, profile)
                # A crash the mutant causes is caught too (an error verdict fails every gate).
                if verdict.verdict in ("violated", "error"):
                    return MutantResult(mutant.id, True, charter_id, invariant.id, verdict.message)
    return MutantResult(mutant.id, False, None, None, "survived every invariant")


def run_mutants(profile: str = "ci", mutants: tuple[Mutant, ...] = MUTANTS) -> dict[str, Any]:
    """``{"total": N, "killed": K, "survivors": [ids], "results": [...]}``; the project requires K == N."""
    results = [run_mutant(m, profile) for m in mutants]
    return {
        "total": len(results),
        "killed": sum(r.killed for r in results),
        "survivors": [r.id for r in results if not r.killed],
        "results": [dataclasses.asdict(r) for r in results],
    }


@contextlib.contextmanager
def applied(mutant_id: str) -> Iterator[Mutant]:
    """Use a mutant in your own tests: ``with applied("votes-half-even"): ...``."""
    mutant = BY_ID[mutant_id]
    with mutant.patch():
        yield mutant
