"""Voting: votes per holder, preferred as converted, rounded once per holder; consents and thresholds.

infinity IV.5 and nvidia IV.D.4: each preferred share votes the common it could
convert into on the record date; a holder's fractional votes are aggregated over
all of its preferred and only then rounded to the nearest whole number (nvidia:
a half rounds up; infinity: no tie rule, interpretation infinity.vote-tie).
Common has one vote per share. Thresholds compare exact fractions
(``Threshold.met``): two thirds is 2/3, never 0.6667; "more than 50%" is strict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.as_converted import as_converted, conversion_ratio
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter, ConsentRule
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.exact import round_by, round_half_up
from charter_oracle.oracle.naming import unknown_name


@dataclass(frozen=True)
class HolderVotes:
    holder: str
    common: int
    preferred_exact: Fraction  # aggregated as-converted votes before rounding
    preferred: int

    @property
    def total(self) -> int:
        return self.common + self.preferred


@dataclass(frozen=True)
class VoteCount:
    holders: tuple[HolderVotes, ...]
    cite: str

    @property
    def total(self) -> int:
        return sum(h.total for h in self.holders)

    def of(self, holder: str) -> int:
        for votes in self.holders:
            if votes.holder == holder:
                return votes.total
        raise InputError(unknown_name("holder", holder, "the vote count", [v.holder for v in self.holders]))


def as_converted_votes(charter: Charter, table: CapTable, holder: str, classes: Iterable[str]) -> Fraction:
    """Exact common a holder's preferred in ``classes`` could convert into on the record date."""
    total = Fraction(0)
    for series in charter.series:
        if series.id in classes:
            shares = table.holder_shares(holder, series.id)
            total += as_converted(series, shares, table.conversion_price(charter, series.id))
    return total


def round_votes(charter: Charter, exact: Fraction) -> int:
    """The charter's whole-vote rounding (with the named tie rule)."""
    if charter.voting.share_rounding_first:
        # interpretation infinity.vote-share-rounding=hundredths-first: 4(h)(i)'s 1/100 share first.
        exact = round_half_up(exact, Fraction(1, 100))
    return int(round_by(charter.voting.tie, exact))


def holder_preferred_votes(charter: Charter, table: CapTable, holder: str, classes: Iterable[str]) -> tuple[Fraction, int]:
    classes = tuple(classes)
    exact = as_converted_votes(charter, table, holder, classes)
    aggregate = charter.voting.aggregate
    if aggregate == "holder":
        return exact, round_votes(charter, exact)
    # Other aggregations exist for charters that say so (and for mutants of the oracle).
    # (piece, how many such pieces): per share, every share of a series rounds alike, so a
    # holding of millions is one rounding times its count, not millions of roundings.
    pieces: list[tuple[Fraction, int]] = []
    for series in charter.series:
        if series.id not in classes:
            continue
        ratio = conversion_ratio(series, table.conversion_price(charter, series.id))
        shares = table.holder_shares(holder, series.id)
        pieces.append((shares * ratio, 1) if aggregate == "series" else (ratio, shares))
    return exact, sum(round_votes(charter, piece) * count for piece, count in pieces)


def count_votes(charter: Charter, table: CapTable) -> VoteCount:
    """Every holder's votes on a matter where preferred votes with common as one class."""
    series_ids = [s.id for s in charter.series]
    holders = []
    for holder in table.holders:
        exact, rounded = holder_preferred_votes(charter, table, holder, series_ids)
        holders.append(HolderVotes(holder, table.holder_shares(holder, charter.common.id), exact, rounded))
    return VoteCount(tuple(holders), charter.voting.cite)


@dataclass(frozen=True)
class ConsentResult:
    rule: ConsentRule
    required: bool  # False when the rule's classes are no longer outstanding
    in_favour: Fraction
    outstanding: Fraction
    met: bool


def consent_counts(charter: Charter, table: CapTable, rule: ConsentRule, approving: Iterable[str]) -> ConsentResult:
    """Count a consent of the holders in ``approving`` under a rule, exactly."""
    approving = set(approving)
    unknown = approving - set(table.holders)
    if unknown:
        raise InputError("approving " + unknown_name("holder", sorted(unknown)[0], "the cap table", table.holders))
    required = not rule.while_outstanding or any(table.shares_of(c) for c in rule.while_outstanding)
    classes = [s.id for s in charter.series] + [charter.common.id] if rule.classes == ("*",) else list(rule.classes)

    def weight(holder: str) -> Fraction:
        if rule.basis == "shares":
            return Fraction(sum(table.holder_shares(holder, c) for c in classes))
        preferred = [c for c in classes if c != charter.common.id]
        _, votes = holder_preferred_votes(charter, table, holder, preferred)
        common = table.holder_shares(holder, charter.common.id) if charter.common.id in classes else 0
        return Fraction(votes + common)

    outstanding = sum((weight(h) for h in table.holders), Fraction(0))
    in_favour = sum((weight(h) for h in table.holders if h in approving), Fraction(0))
    return ConsentResult(rule, required, in_favour, outstanding, rule.threshold.met(in_favour, outstanding))
