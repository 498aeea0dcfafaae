"""Liquidation mutants: tiers, the residual, participation caps and conversion choices gone wrong."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction
from typing import Any
from unittest import mock

import charter_oracle.oracle.conversion_choice as _choice
import charter_oracle.oracle.positions as _pos
import charter_oracle.oracle.waterfall as _wf
from charter_oracle.invariants.mutants.core import EX, INF, PREF, Mutant
from charter_oracle.oracle.charter import Charter


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


_real_cap = _pos.participation_cap_per_share


def _fixed_leg_cap(series: Any, table: Any) -> Any:
    terms = series.participation
    if terms.kind == "capped" and terms.cap_per_share is not None:
        return terms.cap_per_share
    return _real_cap(series, table)


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
)
