"""Common reserved for conversion: what full conversion of the outstanding preferred must deliver.

infinity IV.4(j) and nvidia IV.D.3(L) require enough authorized but unissued common to convert every
outstanding preferred share. Conversion delivers whole shares per holder (infinity IV.4(g), nvidia
IV.D.3(M): each holder's conversion shares are aggregated, the fraction is paid in cash), after
infinity's rounding to the nearest 1/100 share (IV.4(h)(i)); so the reserve needed is the sum over
holders of each one's whole shares -- never the floor of the combined total, which can be larger.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from charter_oracle.oracle.as_converted import as_converted
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import round_down, round_half_up


def holder_common_exact(charter: Charter, counts: Iterable[tuple[str, int]], prices: Mapping[str, Fraction]) -> Fraction:
    """A holder's conversion shares, aggregated over its series, after the charter's share rounding
    (the one definition: `convert` and the reservation both count through it)."""
    exact = sum((as_converted(charter.series_by_id(sid), count, prices[sid]) for sid, count in counts), Fraction(0))
    if charter.conversion.share_rounding is not None:
        exact = round_half_up(exact, charter.conversion.share_rounding)
    return exact


def holder_whole_shares(charter: Charter, counts: Iterable[tuple[str, int]], prices: Mapping[str, Fraction]) -> int:
    """The whole common shares conversion issues to one holder (the fraction is paid in cash)."""
    return int(round_down(holder_common_exact(charter, counts, prices)))


def reserve_needed(charter: Charter, holdings: Iterable[Iterable[tuple[str, int]]], prices: Mapping[str, Fraction]) -> int:
    """Common needed to convert every holding: each holder's whole shares, summed (cite: reservation_cite)."""
    return sum((holder_whole_shares(charter, held, prices) for held in holdings), 0)
