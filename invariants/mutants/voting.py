"""Voting mutants: preferred votes rounded in the wrong place or the wrong way."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction
from typing import Any
from unittest import mock

import charter_oracle.oracle.voting as _vote
from charter_oracle.invariants import expected as ex
from charter_oracle.invariants.mutants.core import EX, INF, NV, NVCA, Mutant, charter_patch
from charter_oracle.oracle.charter import Charter


def _voting(**changes: Any) -> Callable[[Charter], Charter]:
    return lambda c: dataclasses.replace(c, voting=dataclasses.replace(c.voting, **changes))


def _per_share_votes(charter: Charter, table: Any, holder: str, classes: Any) -> tuple[Fraction, int]:
    """Each share's as-converted vote rounded on its own (count x rounded ratio: same result, no huge lists)."""
    classes = tuple(classes)
    exact = _vote.as_converted_votes(charter, table, holder, classes)
    votes = 0
    for s in charter.series:
        if s.id in classes:
            ratio = ex.ratio(charter, table, s)
            votes += table.holder_shares(holder, s.id) * _vote.round_votes(charter, ratio)
    return exact, votes


MUTANTS: tuple[Mutant, ...] = (
    Mutant("votes-rounded-per-series", "preferred votes rounded per series, not per holder", (INF, NV, EX),
           charter_patch("charter_oracle.oracle.voting.holder_preferred_votes", _voting(aggregate="series")), ("vote-rounding",)),
    Mutant("votes-rounded-per-share", "preferred votes rounded per share", (INF, NV, EX),
           lambda: mock.patch("charter_oracle.oracle.voting.holder_preferred_votes", _per_share_votes), ("vote-rounding",)),
    Mutant("votes-half-even", "half-even where the charter says half up", (NV, INF),
           charter_patch("charter_oracle.oracle.voting.round_votes", _voting(tie="half-even")), ("vote-rounding",)),
    Mutant("votes-rounded-not-truncated", "whole-share votes rounded to the nearest where fractions are disregarded",
           (NVCA,), charter_patch("charter_oracle.oracle.voting.round_votes", _voting(tie="half-up")), ("vote-rounding",)),
)
