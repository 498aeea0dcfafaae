"""Valuation mutants: distributed securities valued over the wrong window."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any
from unittest import mock

import charter_oracle.oracle.valuation as _val
from charter_oracle.invariants.mutants.core import INF, Mutant
from charter_oracle.oracle.charter import Charter


_ORIGINAL_MARKET_VALUE = _val.market_value


def _valuation_without_lag(charter: Charter, closes: Any, distribution: Any, discount: Fraction = Fraction(0)) -> Any:
    """The valuation window ending on the distribution date: the "3 days prior" forgotten."""
    liquidation = dataclasses.replace(charter.liquidation, valuation_lag_days=0)
    return _ORIGINAL_MARKET_VALUE(dataclasses.replace(charter, liquidation=liquidation), closes, distribution, discount)


MUTANTS: tuple[Mutant, ...] = (
    Mutant("valuation-window-without-lag", "securities valued over the 30 days ending on the distribution date", (INF,),
           lambda: mock.patch("charter_oracle.oracle.valuation.market_value", _valuation_without_lag), ("valuation-window",)),
)
