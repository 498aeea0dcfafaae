"""Classic liquidation mistakes: a short tier by shares, a cap's excess misplaced, conversion as if alone.

A short tier is shared in proportion to each holder's full preferential amount (infinity
IV.3(a), nvidia IV.D.2(A)); what a capped participant cannot take stays in the residual for
every other share taking part in it (infinity IV.3(b)-(c)); each series converts when that is
better given the others' choices.
"""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.invariants.buggy_engines.classic import ClassicEngine
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.positions import SeriesPosition


class ShortfallByShares(ClassicEngine):
    """Shares a short tier by share count, as if every preferred share were owed the same."""

    def pay_tiers(self, charter: Charter, positions: tuple[SeriesPosition, ...], proceeds: Fraction,
                  converting: frozenset[str]) -> tuple[Fraction, dict[str, Fraction]]:
        keep_dividends = charter.liquidation.declared_dividends_on_conversion == "paid-with-preferences"
        remaining, paid = proceeds, dict[str, Fraction]()
        for rank in sorted({p.rank for p in positions}):
            tier = [p for p in positions if p.rank == rank]
            claims = {p.id: (p.dividends if keep_dividends else Fraction(0)) if p.id in converting
                      else p.preference + p.dividends for p in tier}
            total = sum(claims.values(), Fraction(0))
            if total == 0:
                continue
            tier_paid = min(remaining, total)
            owed = [p for p in tier if claims[p.id]]
            shares = sum(p.shares for p in owed)
            for p in tier:
                # the mistake: by shares (exact only when the tier is paid in full)
                paid[p.id] = claims[p.id] if tier_paid == total else (
                    tier_paid * p.shares / shares if claims[p.id] else Fraction(0))
            remaining -= tier_paid
        return remaining, paid


class _Clipping(ClassicEngine):
    """Residual shared pro rata with no caps, then each capped participant clipped to its cap."""

    def excess_to(self, charter: Charter, shared: dict[str, Fraction], excess: Fraction) -> None:
        raise NotImplementedError

    def share_residual(self, charter: Charter, table: CapTable, positions: tuple[SeriesPosition, ...],
                       residual: Fraction, converting: frozenset[str]) -> dict[str, Fraction]:
        common = Fraction(table.shares_of(charter.common.id))
        taking = {p.id for p in positions if p.id in converting or p.series.participation.kind != "none"}
        weight = common + sum((p.as_converted for p in positions if p.id in taking), Fraction(0))
        level = residual / weight if weight else Fraction(0)
        shared = {charter.common.id: level * common}
        excess = Fraction(0)
        for p in positions:
            amount = level * p.as_converted if p.id in taking else Fraction(0)
            if p.id not in converting and p.participation_cap is not None and amount > p.participation_cap:
                excess += amount - p.participation_cap
                amount = p.participation_cap
            shared[p.id] = amount
        self.excess_to(charter, shared, excess)
        return shared


class CapExcessUnpaid(_Clipping):
    """Clips a capped participant and forgets the excess: money disappears."""

    def excess_to(self, charter: Charter, shared: dict[str, Fraction], excess: Fraction) -> None:
        pass


class CapExcessToCommonOnly(_Clipping):
    """Clips a capped participant and gives the excess to the common class alone (not to converted preferred)."""

    def excess_to(self, charter: Charter, shared: dict[str, Fraction], excess: Fraction) -> None:
        shared[charter.common.id] += excess


class ConversionAsIfAlone(ClassicEngine):
    """Each series converts if converting alone (everyone else staying) beats staying."""

    def choose(self, charter: Charter, table: CapTable, positions: tuple[SeriesPosition, ...],
               proceeds: Fraction) -> frozenset[str]:
        nobody = self.allocate(charter, table, positions, proceeds, frozenset())
        return frozenset(p.id for p in positions if p.shares and p.switch_level is not None and
                         self.allocate(charter, table, positions, proceeds, frozenset({p.id}))[p.id] > nobody[p.id])

