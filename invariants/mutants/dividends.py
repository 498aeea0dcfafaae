"""Dividend mutants: the charter's dividend priority ignored."""

from __future__ import annotations

import dataclasses

from charter_oracle.invariants.mutants.core import INF, Mutant, charter_patch
from charter_oracle.oracle.charter import Charter


def _one_dividend_rank(charter: Charter) -> Charter:
    return dataclasses.replace(charter, series=tuple(
        dataclasses.replace(s, dividend=dataclasses.replace(s.dividend, rank=1)) if s.dividend else s
        for s in charter.series))


MUTANTS: tuple[Mutant, ...] = (
    Mutant("dividends-all-pari-passu", "infinity's Series C dividend priority ignored", (INF,),
           charter_patch("charter_oracle.oracle.dividends.allocate_dividend", _one_dividend_rank), ("dividend-priority",)),
)
