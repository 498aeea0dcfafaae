"""Anti-dilution methods other than the broad-based weighted average, dispatched by the series' method name.

* ``broad-based-weighted-average`` -- ``formula.weighted_average`` on the broad base
  (``formula.deemed_outstanding``: common, preferred as converted, options; NVCA 2020 §4.4.4's base
  of common, options and convertible securities outstanding).
* ``narrow-based-weighted-average`` -- the same formula on outstanding stock only: common and
  preferred as converted, no options. A smaller base, so a cheap issue moves the price at least as
  far as the broad base would.
* ``full-ratchet`` -- the price drops to the price per additional share of the issue (consideration
  over additional shares), however few shares are issued (the NVCA model's full-ratchet alternative
  to §4.4.4).

Whether an issue is dilutive at all (``formula.is_dilutive``), rounding and carry-forward
(``formula.settle_price``) are the same for every method.
"""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.oracle.adjustments import formula
from charter_oracle.oracle.adjustments.state import LedgerState
from charter_oracle.oracle.charter import Charter, Series
from charter_oracle.oracle.exact import format_exact


def narrow_base(charter: Charter, state: LedgerState) -> Fraction:
    """Common outstanding plus preferred as converted: no options or other rights."""
    return Fraction(state.common) + formula.conversion_shares_in_base(charter, state)


def full_ratchet(paid: Fraction, additional: int | Fraction) -> Fraction:
    """The issue's price per additional share."""
    return paid / additional


def adjusted_price(charter: Charter, series: Series, state: LedgerState, price: Fraction, broad: Fraction,
                   paid: Fraction, additional: int | Fraction) -> Fraction:
    """The new price from ``price`` under the series' method."""
    method = series.dilution.method
    if method == "full-ratchet":
        return full_ratchet(paid, additional)
    base = narrow_base(charter, state) if method == "narrow-based-weighted-average" else broad
    return formula.weighted_average(price, base, paid, additional)


def describe(charter: Charter, series: Series, state: LedgerState, broad: Fraction, paid: Fraction,
             additional: int | Fraction) -> str:
    """The ledger note for an adjustment (called once the price is known to be printable)."""
    method = series.dilution.method
    if method == "full-ratchet":
        return f"full ratchet to the issue price {format_exact(full_ratchet(paid, additional))}"
    narrow = method == "narrow-based-weighted-average"
    base = narrow_base(charter, state) if narrow else broad
    return (f"{'narrow-based ' if narrow else ''}weighted average: N={format_exact(base)}, "
            f"consideration={format_exact(paid)}, new shares={format_exact(additional)}")
