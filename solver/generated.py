"""Synthetic charters of any number of series, for the benchmark and the scaling tests.

Built from example-modern's model with ``dataclasses.replace``: the series differ
in price, seniority (three series per rank, the later ones senior) and
participation (every fourth capped at 3x with the preference included, every
seventh fully participating), so that all branches of the waterfall occur.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable, Holding
from charter_oracle.oracle.charter import Charter, ConversionRight, Liquidation, Participation
from charter_oracle.oracle.charter_file import load_charter


def generated(series_count: int, *, common_shares: int = 10_000_000) -> tuple[Charter, CapTable]:
    base = load_charter("example-modern")
    template = base.series[0]
    series = []
    holdings = [Holding("Founders", base.common.id, common_shares)]
    ranks = (series_count + 2) // 3
    for i in range(series_count):
        sid = f"series_{i + 1:02d}"
        price = Fraction(100 + 37 * i, 100)
        if i % 4 == 3:
            participation = Participation("capped", "gen.2(c)", cap_per_share=3 * price, cap_includes_preference=True)
        elif i % 7 == 6:
            participation = Participation("full", "gen.2(c)")
        else:
            participation = Participation("none", "gen.2(c)")
        series.append(dataclasses.replace(
            template, id=sid, name=f"Series {i + 1}", designated=10_000_000, original_issue_price=price,
            liquidation=Liquidation(price, ranks - i // 3, "gen.2(a)"), participation=participation,
            conversion=ConversionRight(price, price, "gen.4(a)"), dividend=None,
        ))
        holdings.append(Holding(f"Investor {i + 1}", sid, 1_000_000 + 123_457 * i))
    charter = dataclasses.replace(base, id=f"generated-{series_count}", name=f"Generated ({series_count} series)",
                                  series=tuple(series), consents=(), preferred_authorized=10_000_000 * series_count)
    return charter, CapTable(as_of=dt.date(2026, 6, 30), holdings=tuple(holdings))
