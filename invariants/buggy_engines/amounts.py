"""Classic mistakes in the amounts handed back: floats, and cents that need not add up; and the correct
whole-cents engine for ``--charter-impl-rounding cents``."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from charter_oracle.invariants.buggy_engines.classic import CENT, ClassicEngine
from charter_oracle.oracle.cap_table import CapTable, split_among_holders
from charter_oracle.oracle.exact import format_exact, round_down, round_half_up


class FloatsReturned(ClassicEngine):
    """Computes exactly, then hands back Python floats."""

    def to_holders(self, table: CapTable, classes: dict[str, Fraction], proceeds: Fraction) -> dict[str, object]:
        return {h: float(a) for h, a in split_among_holders(table, classes).items()}


class FloatArithmetic(ClassicEngine):
    """Splits class totals among holders in float arithmetic, then returns the floats as strings."""

    def to_holders(self, table: CapTable, classes: dict[str, Fraction], proceeds: Fraction) -> dict[str, object]:
        out: dict[str, float] = {h: 0.0 for h in table.holders}
        for holding in table.holdings:
            per_share = float(classes[holding.class_id]) / table.shares_of(holding.class_id)
            out[holding.holder] += per_share * holding.shares
        return {h: repr(a) for h, a in out.items()}


class CentsEngine(ClassicEngine):
    """Correct for ``--charter-impl-rounding cents``: whole cents by largest remainder, summing exactly.

    Ties between equal remainders go to holders in reverse name order, unlike the
    oracle's cap-table order: the plugin's cents rule accepts any such tie-break.
    """

    def to_holders(self, table: CapTable, classes: dict[str, Fraction], proceeds: Fraction) -> dict[str, object]:
        exact = split_among_holders(table, classes)
        floors = {h: round_down(a, CENT) for h, a in exact.items()}
        left = int((round_down(proceeds, CENT) - sum(floors.values(), Fraction(0))) / CENT)
        order = sorted(exact, key=lambda h: (-(exact[h] - floors[h]), [-ord(c) for c in h]))
        for h in order[:left]:
            floors[h] += CENT
        return {h: Decimal(a.numerator) / Decimal(a.denominator) for h, a in floors.items()}


class CentsRoundedPerHolder(ClassicEngine):
    """Rounds each holder to the nearest cent on its own: the cents need not add up to the proceeds."""

    def to_holders(self, table: CapTable, classes: dict[str, Fraction], proceeds: Fraction) -> dict[str, object]:
        return {h: format_exact(round_half_up(a, CENT)) for h, a in split_among_holders(table, classes).items()}

