"""The mutant catalogue: realistic wrong oracles, to prove the suite has teeth.

Each mutant is a context manager that swaps one function of the oracle (or the
charter setting one engine sees) at run time, with ``unittest.mock.patch``; no
oracle file is touched. ``run_mutants`` runs the suite against each one and
reports which survived. A survivor means an invariant is missing or weak:
strengthen the suite, never weaken the mutant.

The mutants are defined by domain (``liquidation``, ``voting``, ``adjustments``,
``valuation``, ``compliance``, ``conversion``, ``dividends``); ``core`` holds the
``Mutant`` value. This module is the public face: ``MUTANTS`` in the report's order,
``BY_ID``, ``run_mutant``, ``run_mutants`` and ``applied``.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from charter_oracle.invariants.mutants import adjustments, compliance, conversion, dividends, liquidation, valuation
from charter_oracle.invariants.mutants import exit_options, redemption, voting
from charter_oracle.invariants.mutants.core import Mutant
from charter_oracle.oracle.loading import load_with_table

__all__ = ["BY_ID", "MUTANTS", "Mutant", "MutantResult", "applied", "run_mutant", "run_mutants", "summary"]

# The order the mutant report lists them in: a new mutant is appended, never inserted.
ORDER = (
    "shortfall-by-share-count",
    "pari-passu-in-sequence",
    "dividends-left-out-of-preference",
    "participation-excess-unpaid",
    "capped-never-converts",
    "conversion-as-if-alone",
    "participation-cap-fixed-leg-only",
    "floats-not-fractions",
    "votes-rounded-per-series",
    "votes-rounded-per-share",
    "votes-half-even",
    "weighted-average-on-infinity-series-a",
    "weighted-average-on-nvidia-series-c",
    "net-instead-of-gross",
    "gross-instead-of-net",
    "at-or-below-the-price",
    "all-options-in-infinity-base",
    "valuation-window-without-lag",
    "cent-tie-half-even",
    "two-thirds-as-0.6667",
    "at-least-for-more-than",
    "converted-preferred-not-retired",
    "cash-in-lieu-per-series",
    "dividends-all-pari-passu",
    "offering-amount-basis-flipped",
    "deemed-options-dropped-from-base",
    "corporate-sale-by-name",
    "reservation-floor-of-total",
    "preferred-issue-without-reservation",
    "start-date-counts-as-after",
    "cash-in-lieu-not-to-the-cent",
    "declared-dividends-not-paid-on-conversion",
    "accrual-from-wrong-date",
    "accrual-compounding-not-simple",
    "accrued-counted-twice",
    "ratchet-on-exempted-issue",
    "price-to-a-cent-not-hundredth",
    "votes-rounded-not-truncated",
    "consent-pair-one-suffices",
    "exercise-price-left-out",
    "unvested-options-exercise",
    "redemption-shortfall-first-come",
    "pay-to-play-converts-buyers",
)

_DEFINED = {m.id: m for domain in (liquidation, voting, adjustments, valuation, compliance, conversion, dividends,
                                   exit_options, redemption)
            for m in domain.MUTANTS}
MUTANTS: tuple[Mutant, ...] = tuple(_DEFINED[mutant_id] for mutant_id in ORDER)
if len(_DEFINED) != len(ORDER):  # a mutant defined in a domain but left out of ORDER would never run
    raise RuntimeError(f"mutants not in ORDER: {sorted(set(_DEFINED) - set(ORDER))}")

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
            charter, table = load_with_table(charter_id)
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
    return summary([run_mutant(m, profile) for m in mutants])


def summary(results: list[MutantResult]) -> dict[str, Any]:
    """The catalogue's results as ``run_mutants`` gives them (also for results computed one by one elsewhere)."""
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
