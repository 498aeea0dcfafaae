"""As-converted shares: the one definition of how much common a preferred share converts into.

Every series' conversion clause (infinity IV.4(a), nvidia IV.D.3(A), byzantine's and the modern
charter's equivalents) gives the same rule: each preferred share converts into its conversion
value divided by the conversion price in effect. Votes, conversion, the reservation check, the
weighted-average base and the waterfall positions all count "as converted" through these two
functions, so a change to the rule is one change. Exact: no rounding here (each caller rounds
where its own clause says).
"""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.oracle.charter import Series


def conversion_ratio(series: Series, price: Fraction) -> Fraction:
    """Common per preferred share at conversion price ``price`` (conversion value / price), exact."""
    return series.conversion.value / price


def as_converted(series: Series, shares: int | Fraction, price: Fraction) -> Fraction:
    """Common that ``shares`` of ``series`` convert into at conversion price ``price``, exact."""
    return shares * conversion_ratio(series, price)
