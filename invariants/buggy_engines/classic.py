"""The mistake-free engine: the plugin's ``distribute``/``votes`` contract in four overridable steps.

Every buggy engine is a subclass that overrides exactly one step, so a difference from the
oracle is that step's fault and nothing else's.
"""

from __future__ import annotations

from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable, split_among_holders
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.conversion_choice import choose_conversions
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.oracle.positions import SeriesPosition, series_positions
from charter_oracle.oracle.voting import count_votes
from charter_oracle.oracle.waterfall import pay_preference_tiers, share_residual

CENT = Fraction(1, 100)


class ClassicEngine:
    """A correct engine in four overridable steps: choose conversions, pay tiers, share the residual, split.

    ``distribute`` and ``votes`` take the charter id (or path) and the cap-table path, as
    the plugin gives them; they load both and call ``distribute_loaded``/``votes_loaded``,
    which the plugin calls directly when an engine has them (no file reading per example).
    """

    # --- the plugin's contract --------------------------------------------------------

    def distribute(self, charter: str, cap_table: str, proceeds: Fraction) -> dict[str, object]:
        return self.distribute_loaded(*load_with_table(charter, cap_table), proceeds)

    def votes(self, charter: str, cap_table: str) -> dict[str, object]:
        return self.votes_loaded(*load_with_table(charter, cap_table))

    def distribute_loaded(self, charter: Charter, table: CapTable, proceeds: Fraction) -> dict[str, object]:
        positions = series_positions(charter, table)
        converting = self.choose(charter, table, positions, proceeds)
        classes = self.allocate(charter, table, positions, proceeds, converting)
        return self.to_holders(table, classes, proceeds)

    def votes_loaded(self, charter: Charter, table: CapTable) -> dict[str, object]:
        return {v.holder: v.total for v in count_votes(charter, table).holders}

    # --- the steps ----------------------------------------------------------------------

    def pay_tiers(self, charter: Charter, positions: tuple[SeriesPosition, ...], proceeds: Fraction,
                  converting: frozenset[str]) -> tuple[Fraction, dict[str, Fraction]]:
        """Seniority tiers; a short tier shared by full preferential amount (IV.3(a), IV.D.2(A))."""
        remaining, paid, _ = pay_preference_tiers(proceeds, positions, converting, charter)
        return remaining, paid

    def share_residual(self, charter: Charter, table: CapTable, positions: tuple[SeriesPosition, ...],
                       residual: Fraction, converting: frozenset[str]) -> dict[str, Fraction]:
        """The residual to common as converted and to participants up to their caps (IV.3(b)-(c))."""
        common = table.shares_of(charter.common.id)
        level, participation = share_residual(residual, common, positions, converting)
        out = {charter.common.id: level * common}
        for p in positions:
            out[p.id] = level * p.as_converted if p.id in converting else participation.get(p.id, Fraction(0))
        return out

    def allocate(self, charter: Charter, table: CapTable, positions: tuple[SeriesPosition, ...],
                 proceeds: Fraction, converting: frozenset[str]) -> dict[str, Fraction]:
        residual, paid = self.pay_tiers(charter, positions, proceeds, converting)
        shared = self.share_residual(charter, table, positions, residual, converting)
        return {cid: paid.get(cid, Fraction(0)) + shared.get(cid, Fraction(0)) for cid in charter.class_ids}

    def choose(self, charter: Charter, table: CapTable, positions: tuple[SeriesPosition, ...],
               proceeds: Fraction) -> frozenset[str]:
        """A stable outcome: no series gains by switching alone, the others' choices fixed.

        Candidates are prefixes of the series sorted by switch level; among stable ones the
        preferred as a whole do best, then fewest conversions (the oracle's default reading).
        """
        movable = sorted((p for p in positions if p.shares > 0 and p.switch_level is not None),
                         key=lambda p: (p.switch_level, p.id))
        ids = [p.id for p in movable]
        series_ids = {p.id for p in positions}
        memo: dict[frozenset[str], dict[str, Fraction]] = {}

        def pay(converting: frozenset[str]) -> dict[str, Fraction]:
            if converting not in memo:
                memo[converting] = self.allocate(charter, table, positions, proceeds, converting)
            return memo[converting]

        def stable(converting: frozenset[str]) -> bool:
            return all(pay(converting ^ {sid})[sid] <= pay(converting)[sid] for sid in ids)

        found = [frozenset(ids[:k]) for k in range(len(ids) + 1) if stable(frozenset(ids[:k]))]
        if not found:  # unusual structures: the oracle's best-response search (only for the correct engine)
            return choose_conversions(charter, proceeds, table.shares_of(charter.common.id), positions).chosen.converting
        return min(found, key=lambda c: (-sum(pay(c)[s] for s in series_ids), len(c), sorted(c)))

    def to_holders(self, table: CapTable, classes: dict[str, Fraction], proceeds: Fraction) -> dict[str, object]:
        """Each class total split among its holders by shares."""
        return dict(split_among_holders(table, classes))

