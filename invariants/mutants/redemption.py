"""Redemption and pay-to-play mutants (NVCA 2020 §6, §4): a shortfall paid first come first served; pay-to-play
converting the buyers too.

They run on the bundled ``nvca-style`` charter (its Series B is redeemable, its Series A pays to play);
tests/invariants/test_nvca_extras_mutants.py also shows the suite kills them on tests/user_charters/redeemable.toml
and pay-to-play.toml.
"""

from __future__ import annotations

from fractions import Fraction
from unittest import mock

from charter_oracle.invariants.mutants.core import Mutant
from charter_oracle.oracle.pay_to_play import Financing

NVCA = "nvca-style"


def _first_come(due: dict[str, Fraction], price: Fraction, available: Fraction | None) -> dict[str, Fraction]:
    """Short funds paid to holders in cap-table order until they run out (§6.1 says ratably)."""
    left = None if available is None else available / price  # shares the funds can buy
    out = {}
    for holder, shares in due.items():
        take = shares if left is None else min(shares, left)
        out[holder] = take
        if left is not None:
            left -= take
    return out


MUTANTS: tuple[Mutant, ...] = (
    Mutant("redemption-shortfall-first-come", "funds short on a redemption date paid to holders in cap-table order, "
           "not ratably", (NVCA,), lambda: mock.patch("charter_oracle.oracle.redemption.redeem_ratably", _first_come),
           ("redemption-installments",)),
    Mutant("pay-to-play-converts-buyers", "pay-to-play converting every holder of the series, buyers too",
           (NVCA,), lambda: mock.patch.object(Financing, "bought", lambda self, holder: 0),
           ("pay-to-play-non-buyers",)),
)
