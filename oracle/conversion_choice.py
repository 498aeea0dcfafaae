"""Which series convert in a liquidation: a stable outcome, found in polynomial time.

Each series may convert at any time (infinity IV.4(a), nvidia IV.D.3(A)), so in a
liquidation it takes the better of its preference (with any participation) and
its as-converted share (interpretation nvidia.conversion-choice). An outcome is
*stable* when no series could strictly gain by switching, the others' choices
fixed.

Why prefixes suffice: converting series ``i`` returns its preference to the
residual and adds its shares to the common count, so the new value per common
share is a mediant of the old value and ``i``'s switch level (preference plus
participation cap per as-converted share). Hence ``i`` wants to convert exactly
when the common value exceeds its switch level, and every stable set is a
prefix of the series sorted by switch level. We therefore test the k+1
prefixes. Whether a prefix is stable is decided by comparing its residual level
with the series' switch levels (``oracle.level_stability``, which proves when that
comparison is the waterfall's own verdict): O(k) comparisons per prefix and a
waterfall only for the stable prefixes. Where the comparison is not proved (a
short tier, nobody left to take the residual), the prefix is tested against its k
unilateral deviations with the waterfall itself, the two neighbouring prefixes
first (at most O(k^2) waterfalls instead of 2^k).
If no prefix is stable (possible only for unusual structures), best-response
dynamics are tried; if they fail too, ``NoStableOutcome`` is raised rather than
returning an unstable answer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle import waterfall
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import NoStableOutcome
from charter_oracle.oracle.level_stability import prefix_verdicts
from charter_oracle.oracle.positions import SeriesPosition
from charter_oracle.oracle.waterfall import Allocation, allocate

# The waterfall's rules as this module was loaded with. ``level_stability`` is derived from them; when
# they are substituted (the mutant catalogue patches them to plant a bug), the search tests stability
# with allocations only, by the rules actually in force.
_RULES = (waterfall.pay_preference_tiers, waterfall.share_residual)


@dataclass(frozen=True)
class Choice:
    chosen: Allocation
    stable: tuple[Allocation, ...]  # every stable outcome found, chosen one included (these without steps)
    evaluations: int


class _Evaluator:
    def __init__(self, charter: Charter, proceeds: Fraction, common: int, positions: tuple[SeriesPosition, ...]):
        self.args = (charter, proceeds, common, positions)
        self.cache: dict[frozenset[str], Allocation] = {}

    def __call__(self, converting: frozenset[str]) -> Allocation:
        if converting not in self.cache:
            self.cache[converting] = allocate(*self.args, converting, with_steps=False)
        return self.cache[converting]

    def with_steps(self, outcome: Allocation) -> Allocation:
        """The chosen outcome again, with its steps (the search builds none for the sets it rejects)."""
        return allocate(*self.args, outcome.converting)

    def gain_from_switching(self, outcome: Allocation, series_id: str) -> Fraction:
        other = self(outcome.converting ^ {series_id})
        return other.amount(series_id) - outcome.amount(series_id)


def _is_stable(evaluate: _Evaluator, outcome: Allocation, candidates: list[str]) -> bool:
    return all(evaluate.gain_from_switching(outcome, sid) <= 0 for sid in candidates)


def _neighbours_first(candidates: list[str], k: int) -> list[str]:
    """The candidates in the order to test prefix ``k``'s stability: first the next series to convert
    and the last one converted, whose switches are the prefixes k+1 and k-1 (already computed), then
    the rest. Whether a prefix is stable does not depend on the order; an unstable one is almost
    always caught by a neighbour, so the search costs about k + 1 waterfalls plus k per stable
    prefix, instead of up to k per prefix."""
    first = [candidates[i] for i in (k, k - 1) if 0 <= i < len(candidates)]
    return first + [sid for sid in candidates if sid not in first]


def _best_response(evaluate: _Evaluator, candidates: list[str]) -> Allocation | None:
    """Switch the series with the largest strict gain until none gains; give up on a cycle."""
    current = evaluate(frozenset())
    seen = {current.converting}
    for _ in range(4 * len(candidates) ** 2 + 4):
        best_gain, best = Fraction(0), None
        for sid in candidates:  # the largest strict gain; the first in order on a tie
            gain = evaluate.gain_from_switching(current, sid)
            if gain > best_gain:
                best_gain, best = gain, sid
        if best is None:
            return current
        current = evaluate(current.converting ^ {best})
        if current.converting in seen:
            return None
        seen.add(current.converting)
    return None


def choose_conversions(
    charter: Charter, proceeds: Fraction, common_shares: int, positions: tuple[SeriesPosition, ...],
    equilibrium: str = "preferred-best",
) -> Choice:
    """The stable outcome to pay, and every stable outcome found (interpretation all.equilibrium)."""
    evaluate = _Evaluator(charter, proceeds, common_shares, positions)
    # Sorted by (switch level, id), each level computed once (ids are unique: positions are never compared).
    keyed = sorted((level, p.id, p) for p in positions if p.shares > 0 and (level := p.switch_level) is not None)
    movable = [p for _, _, p in keyed]
    candidates = [p.id for p in movable]
    stable_sets: list[frozenset[str]] = []
    if (waterfall.pay_preference_tiers, waterfall.share_residual) == _RULES:
        verdicts = prefix_verdicts(charter, proceeds, common_shares, positions, movable)
    else:
        verdicts = [None] * (len(candidates) + 1)
    undecided = [k for k, verdict in enumerate(verdicts) if verdict is None]
    prefixes = {k: evaluate(frozenset(candidates[:k])) for k in undecided}  # all before any deviation, as always
    for k, verdict in enumerate(verdicts):
        if verdict is None:
            verdict = _is_stable(evaluate, prefixes[k], _neighbours_first(candidates, k))
        if verdict:
            stable_sets.append(frozenset(candidates[:k]))
    if len(stable_sets) == 1 and stable_sets[0] not in evaluate.cache:
        # One stable outcome, not allocated yet: allocated once, with its steps (``stable`` holds it
        # without them, as it holds the search's own allocations).
        chosen = allocate(charter, proceeds, common_shares, positions, stable_sets[0])
        return Choice(chosen, (dataclasses.replace(chosen, steps=()),), len(evaluate.cache) + 1)
    stable = [evaluate(converting) for converting in stable_sets]
    if not stable:
        found = _best_response(evaluate, candidates)
        if found is not None and _is_stable(evaluate, found, candidates):
            stable.append(found)
    if not stable:
        raise NoStableOutcome(
            f"no stable conversion outcome found at proceeds {proceeds} for {charter.id}: "
            "every candidate leaves some series better off switching"
        )
    series_ids = {p.id for p in positions}

    def preferred_total(outcome: Allocation) -> Fraction:
        return sum((amount for cid, amount in outcome.classes if cid in series_ids), Fraction(0))

    def key(outcome: Allocation) -> tuple:
        order = sorted(outcome.converting)
        if equilibrium == "fewest-conversions":
            return (len(order), -preferred_total(outcome), order)
        return (-preferred_total(outcome), len(order), order)

    stable.sort(key=key)
    return Choice(evaluate.with_steps(stable[0]), tuple(stable), len(evaluate.cache))
