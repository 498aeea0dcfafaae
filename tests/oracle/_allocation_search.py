"""The stable-outcome search as it was before ``oracle.level_stability``: every prefix allocated, each
candidate prefix tested with a waterfall per deviation (the two neighbouring prefixes first).

Kept here, verbatim but for its name, as the test oracle of ``oracle.conversion_choice``: the level
comparisons must find the same stable prefixes, in the same order, and pay the same outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import NoStableOutcome
from charter_oracle.oracle.positions import SeriesPosition
from charter_oracle.oracle.waterfall import Allocation, allocate


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


def allocation_search(
    charter: Charter, proceeds: Fraction, common_shares: int, positions: tuple[SeriesPosition, ...],
    equilibrium: str = "preferred-best",
) -> Choice:
    """The stable outcome to pay, and every stable outcome found (interpretation all.equilibrium)."""
    evaluate = _Evaluator(charter, proceeds, common_shares, positions)
    movable = [p for p in positions if p.shares > 0 and p.switch_level is not None]
    movable.sort(key=lambda p: (p.switch_level, p.id))
    candidates = [p.id for p in movable]
    stable: list[Allocation] = []
    prefixes = [evaluate(frozenset(candidates[:k])) for k in range(len(candidates) + 1)]
    for k, outcome in enumerate(prefixes):
        if _is_stable(evaluate, outcome, _neighbours_first(candidates, k)):
            stable.append(outcome)
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
