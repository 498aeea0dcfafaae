"""The mutant catalogue: every mutant a domain module defines is listed once, in the report's order."""

from __future__ import annotations

import importlib
import pkgutil

import charter_oracle.invariants.mutants as mutants
from charter_oracle.invariants.mutants.core import Mutant

# The order the committed mutant report lists them in (written out, not read from the catalogue).
REPORT_ORDER = (
    "shortfall-by-share-count", "pari-passu-in-sequence", "dividends-left-out-of-preference",
    "participation-excess-unpaid", "capped-never-converts", "conversion-as-if-alone",
    "participation-cap-fixed-leg-only", "floats-not-fractions", "votes-rounded-per-series", "votes-rounded-per-share",
    "votes-half-even", "weighted-average-on-infinity-series-a", "weighted-average-on-nvidia-series-c",
    "net-instead-of-gross", "gross-instead-of-net", "at-or-below-the-price", "all-options-in-infinity-base",
    "valuation-window-without-lag", "cent-tie-half-even", "two-thirds-as-0.6667", "at-least-for-more-than",
    "converted-preferred-not-retired", "cash-in-lieu-per-series", "dividends-all-pari-passu",
    "offering-amount-basis-flipped", "deemed-options-dropped-from-base", "corporate-sale-by-name",
    "reservation-floor-of-total", "preferred-issue-without-reservation", "start-date-counts-as-after",
    "cash-in-lieu-not-to-the-cent", "declared-dividends-not-paid-on-conversion", "accrual-from-wrong-date", "accrual-compounding-not-simple",
    "accrued-counted-twice", "ratchet-on-exempted-issue", "price-to-a-cent-not-hundredth",
    "votes-rounded-not-truncated", "consent-pair-one-suffices", "exercise-price-left-out", "unvested-options-exercise",
    "redemption-shortfall-first-come", "pay-to-play-converts-buyers",
)


def test_mutants_are_listed_in_the_report_order() -> None:
    assert tuple(m.id for m in mutants.MUTANTS) == REPORT_ORDER
    assert list(mutants.BY_ID) == list(REPORT_ORDER)


def test_every_mutant_a_domain_defines_is_in_the_catalogue_once() -> None:
    defined: list[tuple[str, Mutant]] = []
    for info in pkgutil.iter_modules(mutants.__path__):
        module = importlib.import_module(f"{mutants.__name__}.{info.name}")
        defined += [(info.name, m) for m in getattr(module, "MUTANTS", ()) if info.name != "core"]
    assert sorted(m.id for _, m in defined) == sorted(REPORT_ORDER)
    for module, m in defined:
        assert mutants.BY_ID[m.id] is m, (module, m.id)
