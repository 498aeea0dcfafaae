"""Conversion mutants: retirement, cash in lieu and the automatic conversion trigger gone wrong."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any
from unittest import mock

import charter_oracle.oracle.conversion as _conv
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants.mutants.core import INF, NV, NVCA, PREF, Mutant, charter_patch
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import round_down


_real_convert = _conv.convert_holder


def _not_retired(*args: Any, **kwargs: Any) -> Any:
    result = _real_convert(*args, **kwargs)
    charter = args[0]
    return dataclasses.replace(result, designated_after=tuple((s.id, s.designated) for s in charter.series))


def _per_series_whole(charter: Charter, table: Any, holder: str, shares: Any = None, fair_market_value: Fraction = Fraction(0)) -> Any:
    """Whole shares and the fraction taken series by series, not on the holder's aggregate."""
    result = _real_convert(charter, table, holder, shares, fair_market_value)
    shares = shares if shares is not None else {s.id: table.holder_shares(holder, s.id) for s in charter.series}
    whole, fraction = 0, Fraction(0)
    for sid, count in shares.items():
        s = charter.series_by_id(sid)
        exact = count * ex.ratio(charter, table, s)
        if charter.conversion.share_rounding is not None:
            exact = _conv.round_half_up(exact, charter.conversion.share_rounding)
        whole += int(round_down(exact))
        fraction += exact - int(round_down(exact))
    return dataclasses.replace(result, whole_shares=whole, fraction=fraction, cash_in_lieu=fraction * fair_market_value)


def _offering_gross(charter: Charter) -> Charter:
    o = charter.conversion.automatic_offering
    flipped = "gross" if o is not None and o.amount_basis == "net" else "net"
    if o is None:
        return charter
    return dataclasses.replace(charter, conversion=dataclasses.replace(
        charter.conversion, automatic_offering=dataclasses.replace(o, amount_basis=flipped)))

_real_convert = _conv.convert_holder


def _no_declared_dividends(*args: Any, **kwargs: Any) -> Any:
    """Old: ``convert`` said nothing of the declared unpaid dividends paid in cash."""
    return dataclasses.replace(_real_convert(*args, **kwargs), declared_dividends=Fraction(0))


def _first_group_only(charter: Charter) -> Charter:
    """A consent pair read as if the first consent sufficed."""
    trigger = charter.conversion.automatic_consent
    if trigger is None:
        return charter
    return dataclasses.replace(charter, conversion=dataclasses.replace(
        charter.conversion, automatic_consent=dataclasses.replace(trigger, also=())))


MUTANTS: tuple[Mutant, ...] = (
    Mutant("converted-preferred-not-retired", "converted preferred left in the designated count", PREF,
           lambda: mock.patch("charter_oracle.oracle.conversion.convert_holder", _not_retired), ("authorized-cap",)),
    Mutant("cash-in-lieu-per-series", "whole shares taken per series, not on the holder's aggregate", PREF,
           lambda: mock.patch("charter_oracle.oracle.conversion.convert_holder", _per_series_whole), ("cash-in-lieu",)),
    Mutant("offering-amount-basis-flipped", "the offering trigger tested on gross where net is stated, or back", (NV, INF),
           charter_patch("charter_oracle.oracle.compliance.offering_triggers", _offering_gross), ("automatic-conversion",)),
    Mutant("cash-in-lieu-not-to-the-cent", "cash in lieu exact where infinity IV.4(h)(i) says the nearest cent",
               (INF,), lambda: mock.patch("charter_oracle.oracle.conversion.cash_to_unit", lambda charter, amount: amount),
               ("declared-dividends-on-conversion", "cash-in-lieu")),
    Mutant("declared-dividends-not-paid-on-conversion", "convert pays nothing for declared unpaid dividends "
               "(infinity IV.4(a))", (INF,),
               lambda: mock.patch("charter_oracle.oracle.conversion.convert_holder", _no_declared_dividends),
               ("declared-dividends-on-conversion",)),
    Mutant("consent-pair-one-suffices", "automatic conversion on the Requisite Holders' consent alone", (NVCA,),
           charter_patch("charter_oracle.oracle.consent_conversion.group_results", _first_group_only),
           ("automatic-conversion-consents",)),
)
