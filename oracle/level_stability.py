"""Which prefixes are stable, from each prefix's residual level and the series' switch levels.

The stable-outcome search (``oracle.conversion_choice``) tests prefixes of the series sorted by
switch level; a prefix is stable when no series strictly gains by switching, the others' choices
fixed (infinity IV.4(a), nvidia IV.D.3(A): each series may convert; interpretation
nvidia.conversion-choice). Testing that with waterfalls costs one allocation per deviation. This
module decides it with one comparison per series instead, wherever the comparison is proved equal to
the waterfall's own verdict, and says "not decided" (``None``) everywhere else, where the search
runs the allocations as before.

Notation, for a set ``C`` of converting series paid by ``oracle.waterfall``:

- series ``j`` claims ``stay_j`` (preference with accrued dividends, plus declared dividends) in its
  tier when it stays, ``conv_j`` (its declared dividends if they are paid with the preferences,
  interpretation all.declared-dividends-on-conversion, else nothing) when it converts; it gives up
  ``d_j = stay_j - conv_j >= 0`` by converting;
- ``a_j > 0`` its as-converted shares, ``cap_j >= 0`` its whole-class participation cap (0 when it
  does not participate); its switch level is ``s_j = (d_j + cap_j) / a_j``;
- when every tier is paid in full (``P >= K(C)``, the sum of the claims), the residual
  ``R = P - K(C)`` is water-filled: the level ``L(C)`` is the unique solution of
  ``U L + sum over capped participants m of min(cap_m, a_m L) = R``, where ``U`` (common, every
  converting series, every uncapped participant) is positive. A staying series takes
  ``stay_j + min(cap_j, a_j L)``, a converting one ``conv_j + a_j L``.

**Joining.** Series ``j`` outside ``C`` strictly gains by converting iff ``L(C) > s_j``, provided
every tier of ``C`` is paid in full and the others' uncapped weight ``U'`` in ``C`` is positive.
Proof: let ``G(L) = U' L + sum over the other capped m of min(cap_m, a_m L)``, strictly increasing,
and ``T`` what ``j``'s claim and the residual share (the other claims are paid in full either
way, and ``C + j`` claims less). Converting, ``j``'s level ``L_c`` solves
``G(L_c) + a_j L_c = T - conv_j``; the left side is strictly increasing, so ``L_c > s_j`` iff
``T - conv_j - d_j > G(s_j) + cap_j``. Staying, the level ``L`` of ``C`` solves
``G(L) + min(cap_j, a_j L) = T - conv_j - d_j``. If ``L > s_j`` then ``a_j L > cap_j`` and the
right side is ``G(L) + cap_j > G(s_j) + cap_j``; if ``L <= s_j`` it is at most ``G(s_j) + cap_j``.
So ``L_c > s_j`` iff ``L > s_j``; and ``j`` gains iff ``a_j L_c > d_j + cap_j`` (if so, staying
pays at most ``conv_j + d_j + cap_j``; if not and ``j``'s cap binds when staying, staying pays
``conv_j + d_j + cap_j >= conv_j + a_j L_c``; if not and it does not bind, the two levels satisfy
``G(L_c) - G(L_s) + a_j (L_c - L_s) = d_j`` with ``G`` increasing, so
``a_j L_c <= d_j + a_j L_s``, what staying pays above ``conv_j``).

**Leaving.** Series ``i`` in ``C`` strictly gains by staying iff ``d_i > 0`` and ``L(C) < s_i``,
provided the tiers of ``C - i`` are paid in full too (``R >= d_i``) and the others' uncapped weight
in ``C - i`` is positive. Proof: apply the above to ``j = i`` joining ``C - i``, where ``L_c`` is
now ``L(C)``. If ``L(C) >= s_i``, converting pays at least ``conv_i + d_i + cap_i``, all that
staying can. If ``L(C) < s_i`` and ``i``'s cap binds when staying, staying pays
``conv_i + d_i + cap_i``, more. If it does not bind, ``a_i (L(C) - L_s) = d_i - (G(L(C)) - G(L_s))``:
with ``d_i > 0`` the levels differ, ``G`` strictly increasing makes it less than ``d_i`` and staying
pays more; with ``d_i = 0`` the two waterfalls are the same and nobody gains.

**A short tier** on either side of a switch (``P < K``) leaves no residual: the level is 0 and each
series takes its claim times its tier's paid fraction (all of it above the short tier, what remains
for the tier over the tier's total in it, nothing below: infinity IV.3(a), nvidia IV.D.2(A)). A
switch changes one claim in one tier and leaves what remains for that tier unchanged, so the
switching series' two amounts are computed directly, in O(1) (plus one water level when the other
side is paid in full), exactly as the waterfall computes them.

Where a proviso fails (nobody else to absorb the residual, a negative amount), the prefix is left
undecided. The search in ``conversion_choice`` is tested against the allocation search it replaces
and the exhaustive one (tests/oracle/test_stable_search.py).
"""


from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from gmpy2 import mpq

from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.positions import SeriesPosition
from charter_oracle.oracle.waterfall import keeps_declared_dividends

# Inside, numbers are gmpy2 rationals: exact like ``Fraction`` (the same rationals, so the same
# comparisons) and far cheaper per operation. Only verdicts leave this module, never a number.
Exact = mpq
exact = mpq
_ZERO = mpq(0)


@dataclass(frozen=True)
class _Capped:
    """A capped participant of the residual: where it saturates, its cap and its weight."""

    saturation: Exact  # cap / as-converted shares
    cap: Exact
    weight: Exact
    candidate: int  # its index among the candidates (it converts in the prefixes past it), or -1: never


@dataclass(frozen=True)
class _Mover:
    """A candidate series: its tier, its two claims, what it gives up, its weight and switch level."""

    tier: int
    stay: Exact
    conv: Exact
    gives_up: Exact
    weight: Exact
    switch: Exact


def prefix_verdicts(
    charter: Charter, proceeds: Fraction, common_shares: int, positions: tuple[SeriesPosition, ...],
    candidates: list[SeriesPosition],
) -> list[bool | None]:
    """For k = 0 .. len(candidates): is the prefix ``candidates[:k]`` stable (None: not decided here)?"""
    prefixes = waterfalls_of_prefixes(charter, proceeds, common_shares, positions, candidates)
    return [None] * (len(candidates) + 1) if prefixes is None else prefixes.verdicts()


def waterfalls_of_prefixes(
    charter: Charter, proceeds: Fraction, common_shares: int, positions: tuple[SeriesPosition, ...],
    candidates: list[SeriesPosition],
) -> _Prefixes | None:
    """What the comparisons need of the prefixes' waterfalls (None: outside the proofs' provisos)."""
    if proceeds < 0:
        return None
    keep = keeps_declared_dividends(charter)
    ranks = sorted({p.rank for p in positions})
    tier_of = {rank: t for t, rank in enumerate(ranks)}
    order = {p.id: i for i, p in enumerate(candidates)}
    totals: list[Exact] = [_ZERO] * len(ranks)  # each tier's claims, nobody converting
    uncapped = exact(common_shares)
    capped: list[tuple[Exact, str, _Capped]] = []
    mover: dict[str, _Mover] = {}
    for p in positions:
        preference, dividends, weight = exact(p.preference), exact(p.dividends), exact(p.as_converted)
        cap = None if p.participation_cap is None else exact(p.participation_cap)
        totals[tier_of[p.rank]] += preference + dividends
        if p.series.participation.kind != "none" and weight > 0:
            if cap is None:
                uncapped += weight
            else:
                capped.append((cap / weight, p.id, _Capped(cap / weight, cap, weight, order.get(p.id, -1))))
        if p.id in order:
            if weight <= 0 or cap is None or cap < 0 or preference < 0 or dividends < 0:
                return None  # outside the proofs' provisos: the allocations decide
            conv = dividends if keep else _ZERO
            gives_up = preference + dividends - conv
            mover[p.id] = _Mover(tier_of[p.rank], preference + dividends, conv, gives_up, weight, (gives_up + cap) / weight)
    capped.sort(key=lambda entry: (entry[0], entry[1]))
    movers = [mover[p.id] for p in candidates]
    return _Prefixes(exact(proceeds), totals, uncapped, [entry[2] for entry in capped], movers)


class _Prefixes:
    """The prefixes' waterfalls, one after the other: each adds one converting series to the last."""

    def __init__(self, proceeds: Exact, totals: list[Exact], uncapped: Exact, fill: list[_Capped],
                 movers: list[_Mover]):
        self.proceeds, self.totals, self.uncapped, self.fill, self.movers = proceeds, totals, uncapped, fill, movers
        count = len(movers)
        # lowest[k]: the least switch level among movers[k:], who may join prefix k.
        self.lowest: list[Exact | None] = [None] * (count + 1)
        for k in range(count - 1, -1, -1):
            later = self.lowest[k + 1]
            self.lowest[k] = movers[k].switch if later is None or movers[k].switch < later else later

    def verdicts(self) -> list[bool | None]:
        """Each prefix's verdict in turn (once: the tier totals move from one prefix to the next)."""
        claims = sum(self.totals, _ZERO)
        weight = self.uncapped  # common, uncapped participants and the converting series' as-converted shares
        largest_give = largest_weight = _ZERO
        highest: Exact | None = None  # the greatest switch level among converting series that give something up
        out: list[bool | None] = []
        for k in range(len(self.movers) + 1):
            if k:
                m = self.movers[k - 1]
                self.totals[m.tier] -= m.gives_up
                claims -= m.gives_up
                weight += m.weight
                largest_give, largest_weight = max(largest_give, m.gives_up), max(largest_weight, m.weight)
                if m.gives_up > 0 and (highest is None or m.switch > highest):
                    highest = m.switch
            residual = self.proceeds - claims
            if residual < 0:
                out.append(self._short(k, residual, weight))
            elif weight <= 0:
                out.append(None)  # nobody to absorb the residual
            elif residual >= largest_give:  # every tier paid in full, also when any series leaves
                level = self.level(residual, weight, k)
                if k and weight - largest_weight <= 0:
                    out.append(None)  # nobody else to absorb the residual when one leaves
                else:
                    out.append(not (self._joins(k, level) or (highest is not None and level < highest)))
            else:
                out.append(self._paid_in_full(k, residual, weight))
        return out

    def _joins(self, k: int, level: Exact) -> bool:
        """Some series outside a prefix paid in full gains by converting (the joining lemma)."""
        lowest = self.lowest[k]
        return lowest is not None and level > lowest

    def _paid_in_full(self, k: int, residual: Exact, weight: Exact) -> bool | None:
        """Prefix k pays every tier in full, but some series' leaving would leave a tier short."""
        level = self.level(residual, weight, k)
        if self._joins(k, level):
            return False
        before = self._before_each_tier()
        for i in range(k - 1, -1, -1):
            m = self.movers[i]
            if m.gives_up <= residual:  # the leaving lemma (its proviso holds: the series whose leaving
                # would leave a tier short converts too, and absorbs the residual with the others)
                if m.gives_up > 0 and level < m.switch:
                    return False
            else:  # staying, its tier is short or some tier below is: no residual, its claim paid in part or whole
                staying = _paid(m.stay, before[m.tier], self.totals[m.tier] + m.gives_up)
                if staying > m.conv + m.weight * level:
                    return False
        return True

    def _short(self, k: int, residual: Exact, weight: Exact) -> bool:
        """Prefix k leaves a tier short: no residual, every series paid its tier's fraction of its claim."""
        before = self._before_each_tier()
        for i in range(k - 1, -1, -1):  # leaving: the last to convert first, the likeliest to gain
            m = self.movers[i]
            if m.gives_up > 0:
                total = self.totals[m.tier]
                staying = _paid(m.stay, before[m.tier], total + m.gives_up)
                if staying > _paid(m.conv, before[m.tier], total):
                    return False
        for j in range(k, len(self.movers)):
            m = self.movers[j]
            total = self.totals[m.tier]
            staying = _paid(m.stay, before[m.tier], total)
            if residual + m.gives_up < 0:  # converting leaves a tier short too
                converting = _paid(m.conv, before[m.tier], total - m.gives_up)
            else:
                converting = m.conv + m.weight * self.level(residual + m.gives_up, weight + m.weight, k, also=j)
            if converting > staying:
                return False
        return True

    def _before_each_tier(self) -> list[Exact]:
        """What remains for each tier once the tiers senior to it are paid (0 after a short one)."""
        remaining, before = self.proceeds, []
        for total in self.totals:
            before.append(remaining)
            remaining -= min(remaining, total)
        return before

    def level(self, residual: Exact, weight: Exact, converted: int, also: int = -1) -> Exact:
        """The level ``oracle.waterfall.share_residual`` reaches when the first ``converted`` candidates (and
        candidate ``also``) convert: the capped participants that stay saturate in order. ``weight`` > 0."""
        staying = [c for c in self.fill if c.candidate < 0 or (c.candidate >= converted and c.candidate != also)]
        active = weight + sum((c.weight for c in staying), _ZERO)
        saturated = _ZERO
        for c in staying:
            if residual - saturated <= c.saturation * active:
                break
            saturated += c.cap
            active -= c.weight
        return (residual - saturated) / active


def _paid(claim: Exact, remaining: Exact, total: Exact) -> Exact:
    """A claim in a tier of ``total`` claims with ``remaining`` left for it: in full, or its pro-rata part."""
    if remaining >= total:
        return claim
    return remaining * claim / total if claim else _ZERO
