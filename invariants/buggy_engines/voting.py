"""A classic voting mistake: votes rounded per series, where a holder's are aggregated and rounded once
(infinity IV.5, nvidia IV.D.4)."""

from __future__ import annotations

from charter_oracle.invariants.buggy_engines.classic import ClassicEngine
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import round_by
from charter_oracle.oracle.voting import as_converted_votes


class VotesRoundedPerSeries(ClassicEngine):
    """Rounds each series' as-converted votes separately, then adds them up."""

    def votes_loaded(self, charter: Charter, table: CapTable) -> dict[str, object]:
        out: dict[str, object] = {}
        for holder in table.holders:
            votes = table.holder_shares(holder, charter.common.id)
            for s in charter.series:
                exact = as_converted_votes(charter, table, holder, (s.id,))
                votes += int(round_by(charter.voting.tie, exact))  # the mistake: per series
            out[holder] = votes
        return out

