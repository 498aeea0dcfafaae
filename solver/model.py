"""The liquidation waterfall as a piecewise-linear function of the proceeds, over a ``Backend``.

This mirrors the oracle's rules (``oracle.waterfall``, ``oracle.conversion_choice``)
term by term, but as a formula rather than a computation, so that z3 can reason
about every exit value at once and the sweep can find where each piece ends:

* ``allocation``: class totals for one *fixed* set of converting series. The
  seniority tiers (infinity IV.3(a), nvidia IV.D.2(A)) become ``min(remaining,
  tier total)`` terms; the capped participation of IV.3(b) becomes a chain of
  "is the next cap reached?" tests in cap-level order. Every divisor is a share
  total of that fixed set, a constant, so everything stays linear.
* ``outcome``: which set is paid. Each series takes the better of preference and
  conversion (interpretation nvidia.conversion-choice); stable sets are prefixes
  of the series ordered by switch level (see ``oracle.conversion_choice``), so the
  model enumerates the k+1 prefixes, states each one's stability, and selects
  by the all.equilibrium rule, exactly as the oracle does.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.positions import SeriesPosition, series_positions
from charter_oracle.solver.budget import poll
from charter_oracle.solver.symbolic import Backend, LineBackend

Amounts = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """The paid outcome as terms: class totals, who converts, each series' gain from converting."""

    classes: Amounts
    converting: dict[str, Any]  # series id -> condition "this series converts"
    gain_from_converting: Amounts  # series id -> (paid if it converts) - (paid if it stays), others fixed
    prefixes: tuple[frozenset[str], ...]
    selected: tuple[Any, ...]  # per prefix: "this prefix is the one paid"
    no_stable_prefix: Any  # condition: no prefix is stable (the oracle then tries best response)


@dataclass(frozen=True)
class _Tier:
    """One seniority tier with a non-zero claim, for one conversion set."""

    why: str
    cite: str
    total: Fraction  # the tier's claims together
    parts: tuple[tuple[str, Fraction], ...]  # each series' share of what the tier is paid


@dataclass(frozen=True)
class WaterfallModel:
    charter: Charter
    positions: tuple[SeriesPosition, ...]
    common_shares: int
    equilibrium: str = "preferred-best"

    @classmethod
    def of(cls, charter: Charter, table: CapTable) -> WaterfallModel:
        return cls(
            charter, series_positions(charter, table), table.shares_of(charter.common.id),
            charter.interpretations_in_force.get("all.equilibrium", "preferred-best"),
        )

    # The three below are read on every reading of the model (over a thousand per sweep at 20
    # series, each sorting by switch level); the model is immutable, so each is computed once.
    @functools.cached_property
    def series_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.positions)

    @functools.cached_property
    def candidates(self) -> tuple[str, ...]:
        """Series that may convert, in switch-level order (the oracle's candidate order)."""
        movable = [p for p in self.positions if p.shares > 0 and p.switch_level is not None]
        movable.sort(key=lambda p: (p.switch_level, p.id))
        return tuple(p.id for p in movable)

    @functools.cached_property
    def prefixes(self) -> tuple[frozenset[str], ...]:
        order = self.candidates
        return tuple(frozenset(order[:k]) for k in range(len(order) + 1))

    @functools.cached_property
    def _neighbours(self) -> tuple[tuple[dict[str, frozenset[str]], ...], ...]:
        """Per prefix and series: the prefix with the series switched, added, removed. Made once, so
        each is one object whose hash is computed once, however often the sweep looks it up."""
        return tuple(tuple({sid: make(prefix, sid) for sid in self.series_ids} for prefix in self.prefixes)
                     for make in (lambda s, x: s ^ {x}, lambda s, x: s | {x}, lambda s, x: s - {x}))

    # --- one fixed conversion set -------------------------------------------------

    def claims(self, converting: frozenset[str]) -> dict[str, Fraction]:
        """Each series' claim in its tier: preference plus declared dividends, or dividends alone
        when it converts (all.declared-dividends-on-conversion=paid-with-preferences)."""
        keep = self.charter.liquidation.declared_dividends_on_conversion == "paid-with-preferences"
        return {
            p.id: ((p.dividends if keep else Fraction(0)) if p.id in converting else p.preference + p.dividends)
            for p in self.positions
        }

    @functools.cached_property
    def _plans(self) -> dict[frozenset[str], tuple[_Tier, ...]]:
        """Per conversion set, its seniority tiers: the sweep builds each set's allocation once per
        linear piece (thousands of times at 20 series), and the tiers do not depend on the proceeds."""
        return {}

    def _tiers(self, converting: frozenset[str]) -> tuple[_Tier, ...]:
        found = self._plans.get(converting)
        if found is None:
            claims = self.claims(converting)
            by_rank: dict[int, list[SeriesPosition]] = {}
            for position in self.positions:
                by_rank.setdefault(position.rank, []).append(position)
            tiers = []
            for rank in sorted(by_rank):
                tier = by_rank[rank]
                total = sum((claims[p.id] for p in tier), Fraction(0))
                if total == 0:
                    continue
                tiers.append(_Tier(f"rank {rank} preferences filled", tier[0].series.liquidation.cite, total,
                                   tuple((p.id, claims[p.id] / total) for p in tier)))
            found = self._plans[converting] = tuple(tiers)
        return found

    @functools.cached_property
    def _positions_by_id(self) -> dict[str, SeriesPosition]:
        return {p.id: p for p in self.positions}

    def allocation(self, bk: Backend, converting: frozenset[str]) -> Amounts:
        poll("building the waterfall model")  # 20 series build over a thousand allocations
        tier_of: dict[str, tuple[Any, Fraction]] = {}  # series -> (what its tier is paid, its share of it)
        remaining = bk.proceeds
        for tier in self._tiers(converting):
            short = bk.le(remaining, bk.const(tier.total), tier.why, tier.cite, converting)
            tier_paid = bk.ite(short, remaining, bk.const(tier.total))
            for sid, part in tier.parts:
                # A short tier is shared by preferential amount, not by shares (IV.3(a), IV.D.2(A)).
                tier_of[sid] = (tier_paid, part)
            remaining = bk.sub(remaining, tier_paid)
        level, participation = self._share_residual(bk, remaining, converting)
        common = self.charter.common.id
        positions = self._positions_by_id

        def total(class_id: str) -> Any:
            if class_id == common:
                return bk.scale(level, Fraction(self.common_shares))
            position = positions[class_id]
            paid = bk.const(Fraction(0))
            if class_id in tier_of:
                tier_paid, part = tier_of[class_id]
                paid = bk.add(paid, bk.scale(tier_paid, part))
            if class_id in converting:
                extra = bk.scale(level, position.as_converted)
            else:
                extra = participation.get(class_id, bk.const(Fraction(0)))
            return bk.add(paid, extra)

        # Every comparison the allocation depends on is made above; a class's amount is built only
        # when asked for (a stability test reads one series of a set whose other 20 amounts go unread).
        return _OnDemand(total)

    def _share_residual(self, bk: Backend, residual: Any, converting: frozenset[str]) -> tuple[Any, Amounts]:
        """Water-filling of IV.3(b)/(c): one level per common-equivalent share until caps bind."""
        uncapped = Fraction(self.common_shares)
        capped: list[tuple[Fraction, SeriesPosition]] = []
        full: list[SeriesPosition] = []
        for position in self.positions:
            if position.id in converting:
                uncapped += position.as_converted
            elif position.series.participation.kind != "none" and position.as_converted > 0:
                if position.participation_cap is None:
                    uncapped += position.as_converted
                    full.append(position)
                else:
                    capped.append((position.participation_cap / position.as_converted, position))
        capped.sort(key=lambda pair: (pair[0], pair[1].id))

        def stop(index: int, saturated_total: Fraction, active: Fraction) -> tuple[Any, Amounts]:
            # The residual is never below what the saturated caps took (that is why they
            # saturated), so the level needs no max(., 0) here.
            level = (bk.scale(bk.sub(residual, bk.const(saturated_total)), 1 / active)
                     if active > 0 else bk.const(Fraction(0)))
            shares: Amounts = {}
            for i, (_, position) in enumerate(capped):
                cap = position.participation_cap or Fraction(0)
                shares[position.id] = bk.const(cap) if i < index else bk.scale(level, position.as_converted)
            for position in full:
                shares[position.id] = bk.scale(level, position.as_converted)
            return level, shares

        def fill(index: int, saturated_total: Fraction, active: Fraction) -> tuple[Any, Amounts]:
            if index == len(capped) or active == 0:
                return stop(index, saturated_total, active)
            cap_level, position = capped[index]
            below = bk.le(bk.sub(residual, bk.const(saturated_total)), bk.const(cap_level * active),
                          f"{position.id} participation cap reached", position.series.participation.cite,
                          converting)
            if isinstance(below, bool):  # decided at a point: follow one branch only
                if below:
                    return stop(index, saturated_total, active)
                return fill(index + 1, saturated_total + (position.participation_cap or 0),
                            active - position.as_converted)
            here = stop(index, saturated_total, active)
            later = fill(index + 1, saturated_total + (position.participation_cap or 0), active - position.as_converted)
            return (bk.ite(below, here[0], later[0]),
                    {key: bk.ite(below, here[1][key], later[1][key]) for key in here[1]})

        active = uncapped + sum((p.as_converted for _, p in capped), Fraction(0))
        return fill(0, Fraction(0), active)

    # --- the paid outcome -------------------------------------------------------

    def outcome(self, bk: Backend, allocation_of: Callable[[frozenset[str]], Amounts] | None = None) -> Outcome:
        """The paid outcome. Everything is built lazily and memoized so that, read at a point,
        only the comparisons on the decision path are evaluated (and bound the region)."""
        allocation_of = allocation_of or _memo(lambda s: self.allocation(bk, s))
        candidates = self.candidates
        prefixes = self.prefixes
        series_ids = self.series_ids

        switched, added, removed = self._neighbours
        labels = {sid: (f"{sid} indifferent between preference and conversion",
                        self.charter.series_by_id(sid).conversion.cite) for sid in candidates}

        def compare(j: int, sid: str) -> Any:
            prefix = prefixes[j]
            why, cite = labels[sid]
            return bk.le(allocation_of(switched[j][sid])[sid], allocation_of(prefix)[sid], why, cite, None)

        # Read at a point, every comparison is a bool: the choice layer below is then written as
        # plain short-circuiting Python, in the same order as the backend-neutral form (so the
        # same comparisons are made, and bound the region), without a closure per comparison.
        decided = isinstance(bk, LineBackend)

        def stable_at(j: int) -> bool:
            return all(compare(j, sid) for sid in candidates)

        stable = _lazy(stable_at if decided else
                       lambda j: bk.all_of(lambda sid=sid: compare(j, sid) for sid in candidates))
        total = _lazy(lambda j: _sum(bk, [allocation_of(prefixes[j])[sid] for sid in series_ids]))

        def wins(j: int, m: int) -> Any:
            if self.equilibrium == "fewest-conversions":
                return bk.and_() if j < m else bk.or_()  # key (size, -total): size decides
            if j < m:  # key (-total, size): a tie goes to the smaller prefix
                return bk.le(total(m), total(j), "stable outcomes swap", "all.equilibrium", None)
            return bk.lt(total(m), total(j), "stable outcomes swap", "all.equilibrium", None)

        def select(j: int) -> Any:
            if decided:
                return stable(j) and all(not stable(m) or wins(j, m) for m in range(len(prefixes)) if m != j)
            beats = (lambda m=m: bk.any_of((lambda: bk.not_(stable(m)), lambda: wins(j, m)))
                     for m in range(len(prefixes)) if m != j)
            return bk.all_of(itertools.chain((lambda: stable(j),), beats))

        selected = _lazy(select)
        chosen: list[int] = []

        def pick(value: Callable[[int], Any]) -> Any:
            if decided:  # decided at a point: the first selected prefix only
                if not chosen:
                    chosen.append(next((j for j in range(len(prefixes) - 1) if selected(j)), len(prefixes) - 1))
                return value(chosen[0])
            result = value(len(prefixes) - 1)
            for j in range(len(prefixes) - 2, -1, -1):
                result = bk.ite(selected(j), value(j), result)
            return result

        classes = {cid: pick(lambda j, cid=cid: allocation_of(prefixes[j])[cid]) for cid in self.charter.class_ids}
        if decided:
            converting = {sid: any(selected(j) for j, prefix in enumerate(prefixes) if sid in prefix)
                          for sid in series_ids}
        else:
            converting = {sid: bk.any_of(lambda j=j: selected(j) for j, prefix in enumerate(prefixes) if sid in prefix)
                          for sid in series_ids}
        gains: Amounts = {}
        for position in self.positions:
            if position.shares == 0:
                continue
            sid = position.id
            gains[sid] = pick(lambda j, sid=sid: bk.sub(allocation_of(added[j][sid])[sid],
                                                        allocation_of(removed[j][sid])[sid]))
        no_stable = (not any(stable(j) for j in range(len(prefixes))) if decided else
                     bk.not_(bk.any_of(lambda j=j: stable(j) for j in range(len(prefixes)))))
        return Outcome(classes, converting, gains, prefixes, tuple(selected(j) for j in range(len(prefixes)))
                       if not isinstance(bk, LineBackend) else (), no_stable)


class _OnDemand(dict[str, Any]):
    """Class amounts built on first access and kept (so each is one object, as the sweep's memo needs)."""

    def __init__(self, build: Callable[[str], Any]) -> None:
        super().__init__()
        self.build = build

    def __missing__(self, class_id: str) -> Any:
        value = self[class_id] = self.build(class_id)
        return value


def _sum(bk: Backend, values: list[Any]) -> Any:
    total = bk.const(Fraction(0))
    for value in values:
        total = bk.add(total, value)
    return total


def _lazy(function: Callable[[int], Any]) -> Callable[[int], Any]:
    cache: dict[int, Any] = {}

    def cached(key: int) -> Any:
        if key not in cache:
            cache[key] = function(key)
        return cache[key]
    return cached


def _memo(function: Callable[[frozenset[str]], Amounts]) -> Callable[[frozenset[str]], Amounts]:
    cache: dict[frozenset[str], Amounts] = {}

    def cached(key: frozenset[str]) -> Amounts:
        if key not in cache:
            cache[key] = function(key)
        return cache[key]
    return cached
