"""Compliance mutants: stated thresholds compared inexactly or with the wrong strictness; consents by name,
the reserve as a floor of the total, preferred issued without checking the reservation (old readings)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any
from unittest import mock

import charter_oracle.oracle.compliance as _comp
from charter_oracle.invariants.mutants.core import EX, INF, NV, PREF, Mutant
from charter_oracle.oracle.charter import Charter, Threshold
from charter_oracle.oracle.exact import round_down

_real_met = Threshold.met


def _met_decimal_two_thirds(self: Threshold, part: Any, whole: Any) -> bool:
    fraction = Fraction("0.6667") if self.fraction == Fraction(2, 3) else self.fraction
    return _real_met(dataclasses.replace(self, fraction=fraction), part, whole)


def _met_at_least(self: Threshold, part: Any, whole: Any) -> bool:
    compare = ">=" if self.compare == ">" else self.compare
    return _real_met(dataclasses.replace(self, compare=compare), part, whole)

_real_consents = _comp._consents
_real_issue = _comp._issue


def _consents_by_name(charter: Charter, table: Any, action: str, approving: Any, deemed: bool = False,
                      flags: frozenset[str] = frozenset()) -> Any:
    """Old: the Corporate Sale consent asked for by the action's name only, whatever the deal is."""
    return _real_consents(charter, table, action, approving, action == "corporate-sale", flags)


def _floor_of_total(charter: Charter, holdings: Any, prices: Any) -> int:
    """Old: the reserve as the floor of the combined as-converted total."""
    total = sum((n * charter.series_by_id(sid).conversion.value / prices[sid] for held in holdings for sid, n in held),
                Fraction(0))
    return int(round_down(total))


def _issue_without_preferred_reservation(charter: Charter, table: Any, class_id: str, shares: int) -> Any:
    """Old: issuing preferred checked only the designated and authorized counts."""
    checks = _real_issue(charter, table, class_id, shares)
    return checks if class_id == charter.common.id else [c for c in checks if c.name != "reservation"]


MUTANTS: tuple[Mutant, ...] = (
    Mutant("two-thirds-as-0.6667", "two thirds compared as 0.6667", (NV, INF),
           lambda: mock.patch.object(Threshold, "met", _met_decimal_two_thirds), ("threshold-exactness",)),
    Mutant("at-least-for-more-than", "'more than 50%' read as 'at least 50%'", (NV, INF, EX),
           lambda: mock.patch.object(Threshold, "met", _met_at_least), ("threshold-exactness",)),
    Mutant("corporate-sale-by-name", "the Series C consent asked for by the action's name, not the deal's "
               "substance (infinity IV.8(f))", (INF,),
               lambda: mock.patch("charter_oracle.oracle.compliance._consents", _consents_by_name),
               ("consent-by-substance",)),
    Mutant("reservation-floor-of-total", "the reserve taken as the floor of the combined total, not each "
               "holder's whole shares", PREF,
               lambda: mock.patch("charter_oracle.oracle.reservation.reserve_needed", _floor_of_total),
               ("reservation-whole-shares",)),
    Mutant("preferred-issue-without-reservation", "issuing preferred checks only designated and authorized "
               "counts, not the reservation for its conversion", PREF,
               lambda: mock.patch("charter_oracle.oracle.compliance._issue", _issue_without_preferred_reservation),
               ("reservation-whole-shares",)),
)
