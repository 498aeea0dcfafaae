"""Mutants for the readings issue 10 found wrong: each is the oracle as it read the text before, and the
suite must kill it (registered at the end of ``mutants.MUTANTS`` by one line).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any
from unittest import mock

import charter_oracle.oracle.compliance as _comp
import charter_oracle.oracle.conversion as _conv
from charter_oracle.oracle.adjustments import formula as _formula
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import round_down

_real_deemed_outstanding = _formula.deemed_outstanding
_real_consents = _comp._consents
_real_issue = _comp._issue
_real_convert = _conv.convert_holder


def _deemed_dropped(charter: Charter, state: Any) -> Fraction:
    """Old: options deemed issued leave the base again when the option condition excludes them."""
    return _real_deemed_outstanding(charter, dataclasses.replace(
        state, grants=tuple(dataclasses.replace(g, deemed=0) for g in state.grants)))


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


def _on_the_start_date(charter: Charter, day: Any) -> bool:
    """Old: an issue dated on the start date itself counted as after it."""
    terms = charter.dilution
    return terms is not None and (terms.start_date is None or day >= terms.start_date)


def _no_declared_dividends(*args: Any, **kwargs: Any) -> Any:
    """Old: ``convert`` said nothing of the declared unpaid dividends paid in cash."""
    return dataclasses.replace(_real_convert(*args, **kwargs), declared_dividends=Fraction(0))


def mutants() -> tuple[Any, ...]:
    """The mutants above as catalogue entries (called by ``mutants.py`` once ``Mutant`` is defined)."""
    from charter_oracle.invariants.mutants import INF, NV, PREF, Mutant

    return (
        Mutant("deemed-options-dropped-from-base", "options deemed issued left out of later bases by the option "
               "condition (infinity IV.4(d)(iv), last sentence)", (INF,),
               lambda: mock.patch("charter_oracle.oracle.adjustments.formula.deemed_outstanding", _deemed_dropped),
               ("deemed-options-outstanding",)),
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
        Mutant("start-date-counts-as-after", "an issue dated on the original issue / effective date adjusts",
               (INF, NV), lambda: mock.patch("charter_oracle.oracle.adjustments.formula.governs", _on_the_start_date),
               ("additional-shares-after-start",)),
        Mutant("cash-in-lieu-not-to-the-cent", "cash in lieu exact where infinity IV.4(h)(i) says the nearest cent",
               (INF,), lambda: mock.patch("charter_oracle.oracle.conversion.cash_to_unit", lambda charter, amount: amount),
               ("declared-dividends-on-conversion", "cash-in-lieu")),
        Mutant("declared-dividends-not-paid-on-conversion", "convert pays nothing for declared unpaid dividends "
               "(infinity IV.4(a))", (INF,),
               lambda: mock.patch("charter_oracle.oracle.conversion.convert_holder", _no_declared_dividends),
               ("declared-dividends-on-conversion",)),
    )
