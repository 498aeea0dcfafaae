"""The registry: every invariant a domain module defines is registered once, in the reports' order."""

from __future__ import annotations

import importlib
import pkgutil

import charter_oracle.invariants.domains as domains
from charter_oracle.invariants.domains.core import Invariant
from charter_oracle.invariants.registry import BY_ID, INVARIANTS

# The order the committed reports list the invariants in (written out, not read from the registry):
# a new invariant is appended here and there; moving one would reorder every report.
REPORT_ORDER = (
    "conservation", "preference-priority", "pro-rata-shortfall", "equal-treatment", "monotone-continuous",
    "conversion-rational", "participation-cap", "no-conversion-price-increase", "anti-dilution-scope",
    "adjustment-formula", "split-proportional", "vote-rounding", "authorized-cap", "dividend-priority",
    "threshold-exactness", "automatic-conversion", "protective-consents", "supermajority", "deemed-liquidation",
    "cash-in-lieu", "valuation-window", "split-round-trip", "reservation-sufficient", "broad-based-standard",
    "vote-tie-independence", "reservation-whole-shares", "consent-by-substance", "additional-shares-after-start",
    "deemed-options-outstanding", "declared-dividends-on-conversion", "accrued-dividends", "anti-dilution-method-order", "automatic-conversion-consents",
    "exempted-issues", "redemption-installments", "pay-to-play-non-buyers", "options-in-exit",
)


def _defined() -> list[tuple[str, Invariant]]:
    """(module, invariant) for every Invariant value at the top level of a domain module."""
    found = []
    for info in pkgutil.iter_modules(domains.__path__):
        module = importlib.import_module(f"{domains.__name__}.{info.name}")
        found += [(info.name, v) for v in vars(module).values() if isinstance(v, Invariant)]
    return found


def test_invariants_are_registered_in_the_report_order() -> None:
    assert tuple(inv.id for inv in INVARIANTS) == REPORT_ORDER
    assert list(BY_ID) == list(REPORT_ORDER)


def test_every_invariant_a_domain_defines_is_registered_exactly_once() -> None:
    defined = _defined()
    assert sorted(inv.id for _, inv in defined) == sorted(REPORT_ORDER)
    for module, inv in defined:
        assert BY_ID[inv.id] is inv, (module, inv.id)
    assert not [m for m, _ in defined if m == "core"]  # the core defines the value, no invariant
