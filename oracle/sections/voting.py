"""``[voting]``: how votes are counted (as converted, aggregated, rounded with a named tie rule)."""

from __future__ import annotations

from charter_oracle.oracle.charter import VotingTerms
from charter_oracle.oracle.strict_table import StrictTable


def read_voting(t: StrictTable) -> VotingTerms:
    # The vote count (oracle/voting.py) always counts preferred as converted; a charter saying
    # otherwise is refused, not silently counted the other way.
    t.fixed_boolean("preferred_as_converted", True)
    # rounding = "down": whole votes, fractions disregarded (NVCA 2020 §3.1); a tie rule would be
    # meaningless then, so it is refused rather than ignored.
    rounding = t.string("rounding", required=False, choices=("nearest", "down")) or "nearest"
    if rounding == "down" and "tie" in t.data:
        raise t.fail("tie", "rounding = \"down\" disregards fractions: no tie rule applies (remove tie)")
    terms = VotingTerms(
        cite=t.cite, preferred_as_converted=True,
        aggregate=t.string("aggregate", choices=("holder", "series", "share")),
        tie="down" if rounding == "down" else t.string("tie", choices=("half-up", "half-even")),
        share_rounding_first=t.string("share_rounding_first", required=False, choices=("none", "hundredths-first"))
        == "hundredths-first",
    )
    t.close()
    return terms
