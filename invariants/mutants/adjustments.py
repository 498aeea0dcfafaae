"""Anti-dilution mutants: the weighted average applied where it should not be, or computed wrong."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction
from typing import Any
from unittest import mock

import charter_oracle.oracle.adjustments as _adj
from charter_oracle.oracle.adjustments import formula as _formula
from charter_oracle.invariants.mutants.core import EX, INF, NV, NVCA, Mutant, charter_patch
from charter_oracle.oracle.charter import Charter


def _series(series_id: str, **dilution: Any) -> Callable[[Charter], Charter]:
    def change(c: Charter) -> Charter:
        return dataclasses.replace(c, series=tuple(
            dataclasses.replace(s, dilution=dataclasses.replace(s.dilution, **dilution)) if s.id == series_id else s
            for s in c.series))
    return change


def _net_always(charter: Charter, event: Any) -> Fraction:
    if event.kind == "grant":
        return event.shares * (event.price + event.exercise_price)
    return event.shares * event.price - event.commissions


def _gross_always(charter: Charter, event: Any) -> Fraction:
    if event.kind == "grant":
        return event.shares * (event.price + event.exercise_price)
    return event.shares * event.price


def _at_or_below(effective_price: Fraction, price_in_effect: Fraction) -> bool:
    """The dilution test with "at or below" where the charter says "below"."""
    return effective_price <= price_in_effect


def _all_options(charter: Charter) -> Charter:
    return dataclasses.replace(charter, dilution=dataclasses.replace(charter.dilution, options_in_base="all"))


_ORIGINAL_ROUND_BY = _adj.formula.round_by


def _cents_half_even(rule: str, value: Fraction, unit: Fraction = Fraction(1)) -> Fraction:
    """Prices rounded half-even where the charter (or its interpretation) says half up."""
    return _ORIGINAL_ROUND_BY("half-even", value, unit)

_real_deemed_outstanding = _formula.deemed_outstanding


def _deemed_dropped(charter: Charter, state: Any) -> Fraction:
    """Old: options deemed issued leave the base again when the option condition excludes them."""
    return _real_deemed_outstanding(charter, dataclasses.replace(
        state, grants=tuple(dataclasses.replace(g, deemed=0) for g in state.grants)))


def _on_the_start_date(charter: Charter, day: Any) -> bool:
    """Old: an issue dated on the start date itself counted as after it."""
    terms = charter.dilution
    return terms is not None and (terms.start_date is None or day >= terms.start_date)


_real_employee_split = _adj.formula.employee_split


def _ratchet_ignores_exemption(charter: Charter, state: Any, event: Any) -> tuple[Any, Any]:
    """An exempted issue still counted as additional shares where a series has a full ratchet."""
    if any(s.dilution.method == "full-ratchet" for s in charter.series):
        return 0, event.shares
    return _real_employee_split(charter, state, event)


def _unit_of_a_cent(charter: Charter) -> Charter:
    """Prices rounded to 1/100 of a dollar where the charter says 1/100 of a cent."""
    return dataclasses.replace(charter, dilution=dataclasses.replace(charter.dilution, price_unit=Fraction(1, 100)))


MUTANTS: tuple[Mutant, ...] = (
    Mutant("weighted-average-on-infinity-series-a", "infinity Series A adjusted for dilutive issues", (INF,),
           charter_patch("charter_oracle.oracle.adjustments.ledger._dilute", _series("series_a", method="broad-based-weighted-average")),
           ("anti-dilution-scope",)),
    Mutant("weighted-average-on-nvidia-series-c", "nvidia Series C adjusted for dilutive issues", (NV,),
           charter_patch("charter_oracle.oracle.adjustments.ledger._dilute", _series("series_c", method="broad-based-weighted-average")),
           ("anti-dilution-scope",)),
    Mutant("net-instead-of-gross", "consideration net of commissions where the charter says gross (infinity)", (INF,),
           lambda: mock.patch("charter_oracle.oracle.adjustments.formula.consideration", _net_always), ("adjustment-formula",)),
    Mutant("gross-instead-of-net", "commissions not deducted where the charter says net (nvidia)", (NV,),
           lambda: mock.patch("charter_oracle.oracle.adjustments.formula.consideration", _gross_always), ("adjustment-formula",)),
    Mutant("at-or-below-the-price", "an issue at the price in effect treated as dilutive", (NV, INF, EX),
           lambda: mock.patch("charter_oracle.oracle.adjustments.formula.is_dilutive", _at_or_below), ("adjustment-formula",)),
    Mutant("all-options-in-infinity-base", "infinity's option condition ignored: every option in the base", (INF,),
           charter_patch("charter_oracle.oracle.adjustments.formula.deemed_outstanding", _all_options), ("adjustment-formula",)),
    Mutant("cent-tie-half-even", "adjusted prices rounded half-even where the charter says half up", (INF,),
           lambda: mock.patch("charter_oracle.oracle.adjustments.formula.round_by", _cents_half_even), ("split-proportional", "adjustment-formula")),
    Mutant("deemed-options-dropped-from-base", "options deemed issued left out of later bases by the option "
               "condition (infinity IV.4(d)(iv), last sentence)", (INF,),
               lambda: mock.patch("charter_oracle.oracle.adjustments.formula.deemed_outstanding", _deemed_dropped),
               ("deemed-options-outstanding",)),
    Mutant("start-date-counts-as-after", "an issue dated on the original issue / effective date adjusts",
               (INF, NV), lambda: mock.patch("charter_oracle.oracle.adjustments.formula.governs", _on_the_start_date),
               ("additional-shares-after-start",)),
    Mutant("ratchet-on-exempted-issue", "an exempted issue ratchets the full-ratchet series", (NVCA,),
           lambda: mock.patch("charter_oracle.oracle.adjustments.formula.employee_split", _ratchet_ignores_exemption),
           ("exempted-issues",)),
    Mutant("price-to-a-cent-not-hundredth", "prices rounded to 1/100 of a dollar instead of 1/100 of a cent", (NVCA,),
           charter_patch("charter_oracle.oracle.adjustments.formula.settle_price", _unit_of_a_cent), ("adjustment-formula",)),
)
