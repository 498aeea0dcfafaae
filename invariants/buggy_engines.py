"""Buggy third-party engines the plugin must catch: examples of what ``--charter-impl`` finds.

Each entry is an object with the plugin's ``distribute``/``votes`` contract (see
``pytest_suite``), written the way a cap-table developer might write an engine,
with one classic mistake. ``ClassicEngine`` is the mistake-free version: every
bug is a subclass that overrides exactly one step, so a difference from the
oracle is that step's fault and nothing else's. Try one yourself::

    pytest --charter nvidia-1998 --charter-impl charter_oracle.invariants.buggy_engines:SHORTFALL_BY_SHARES

They ship with the package (not under ``tests/``) because they are documentation
as much as tests: a user reading how the plugin fails on them learns what a
failure looks like. ``CATALOGUE`` lists them with the charters where each bug can
show at all (a cap bug cannot show on a charter without a participation cap);
``tests/invariants/test_buggy_engines_caught.py`` requires the default ``ci``
profile to catch each one on every bundled charter where it can show.

Why each rule is what the charters say:

* shortfall: a short tier is shared in proportion to each holder's *full
  preferential amount* (infinity IV.3(a), nvidia IV.D.2(A)), not by share count;
* caps: what a capped participant cannot take stays in the residual for every
  other share taking part in it (infinity IV.3(b)-(c)): converted preferred is
  common by then, so "common only" includes it;
* conversion: each series converts when that is better *given the others'
  choices* (a stable outcome), not as if it were the only one converting;
* votes: a holder's fractional votes are aggregated over all its preferred and
  rounded once (infinity IV.5, nvidia IV.D.4);
* money is exact: a float cannot even represent $0.10.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable, load_cap_table, split_among_holders
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.conversion_choice import choose_conversions
from charter_oracle.oracle.exact import format_exact, round_by, round_down, round_half_up
from charter_oracle.oracle.positions import SeriesPosition, series_positions
from charter_oracle.oracle.voting import as_converted_votes, count_votes
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
        loaded = load_charter(charter)
        return self.distribute_loaded(loaded, load_cap_table(cap_table, loaded), proceeds)

    def votes(self, charter: str, cap_table: str) -> dict[str, object]:
        loaded = load_charter(charter)
        return self.votes_loaded(loaded, load_cap_table(cap_table, loaded))

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


# --- the classic mistakes, one step each -----------------------------------------------------

class ShortfallByShares(ClassicEngine):
    """Shares a short tier by share count, as if every preferred share were owed the same."""

    def pay_tiers(self, charter: Charter, positions: tuple[SeriesPosition, ...], proceeds: Fraction,
                  converting: frozenset[str]) -> tuple[Fraction, dict[str, Fraction]]:
        keep_dividends = charter.liquidation.declared_dividends_on_conversion == "paid-with-preferences"
        remaining, paid = proceeds, dict[str, Fraction]()
        for rank in sorted({p.rank for p in positions}):
            tier = [p for p in positions if p.rank == rank]
            claims = {p.id: (p.dividends if keep_dividends else Fraction(0)) if p.id in converting
                      else p.preference + p.dividends for p in tier}
            total = sum(claims.values(), Fraction(0))
            if total == 0:
                continue
            tier_paid = min(remaining, total)
            owed = [p for p in tier if claims[p.id]]
            shares = sum(p.shares for p in owed)
            for p in tier:
                # the mistake: by shares (exact only when the tier is paid in full)
                paid[p.id] = claims[p.id] if tier_paid == total else (
                    tier_paid * p.shares / shares if claims[p.id] else Fraction(0))
            remaining -= tier_paid
        return remaining, paid


class _Clipping(ClassicEngine):
    """Residual shared pro rata with no caps, then each capped participant clipped to its cap."""

    def excess_to(self, charter: Charter, shared: dict[str, Fraction], excess: Fraction) -> None:
        raise NotImplementedError

    def share_residual(self, charter: Charter, table: CapTable, positions: tuple[SeriesPosition, ...],
                       residual: Fraction, converting: frozenset[str]) -> dict[str, Fraction]:
        common = Fraction(table.shares_of(charter.common.id))
        taking = {p.id for p in positions if p.id in converting or p.series.participation.kind != "none"}
        weight = common + sum((p.as_converted for p in positions if p.id in taking), Fraction(0))
        level = residual / weight if weight else Fraction(0)
        shared = {charter.common.id: level * common}
        excess = Fraction(0)
        for p in positions:
            amount = level * p.as_converted if p.id in taking else Fraction(0)
            if p.id not in converting and p.participation_cap is not None and amount > p.participation_cap:
                excess += amount - p.participation_cap
                amount = p.participation_cap
            shared[p.id] = amount
        self.excess_to(charter, shared, excess)
        return shared


class CapExcessUnpaid(_Clipping):
    """Clips a capped participant and forgets the excess: money disappears."""

    def excess_to(self, charter: Charter, shared: dict[str, Fraction], excess: Fraction) -> None:
        pass


class CapExcessToCommonOnly(_Clipping):
    """Clips a capped participant and gives the excess to the common class alone (not to converted preferred)."""

    def excess_to(self, charter: Charter, shared: dict[str, Fraction], excess: Fraction) -> None:
        shared[charter.common.id] += excess


class ConversionAsIfAlone(ClassicEngine):
    """Each series converts if converting alone (everyone else staying) beats staying."""

    def choose(self, charter: Charter, table: CapTable, positions: tuple[SeriesPosition, ...],
               proceeds: Fraction) -> frozenset[str]:
        nobody = self.allocate(charter, table, positions, proceeds, frozenset())
        return frozenset(p.id for p in positions if p.shares and p.switch_level is not None and
                         self.allocate(charter, table, positions, proceeds, frozenset({p.id}))[p.id] > nobody[p.id])


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


# --- the catalogue ---------------------------------------------------------------------------

Applies = Callable[[Charter], tuple[bool, str]]


def _tier_with_two_series(charter: Charter) -> tuple[bool, str]:
    ranks = [s.liquidation.rank for s in charter.series]
    shared = sorted({r for r in ranks if ranks.count(r) > 1})
    if not shared:
        return False, "no seniority tier holds two series: a shortfall is never shared between series"
    return True, f"rank {shared[0]} holds several series"


def _capped(charter: Charter) -> tuple[bool, str]:
    capped = [s.id for s in charter.series if s.participation.kind == "capped"]
    return (True, f"{capped[0]} participates up to a cap") if capped else (False, "no series has a participation cap")


def _capped_with_others(charter: Charter) -> tuple[bool, str]:
    ok, why = _capped(charter)
    if ok and len(charter.series) < 2:
        return False, "the capped series is the only series: its excess can only go to common"
    return ok, why


def _two_convertible(charter: Charter) -> tuple[bool, str]:
    movable = [s.id for s in charter.series if s.participation.kind != "full"]
    if len(movable) < 2:
        return False, "fewer than two series choose between preference and conversion"
    return True, f"{len(movable)} series choose between preference and conversion"


def _votes_per_holder(charter: Charter) -> tuple[bool, str]:
    if len(charter.series) < 2 or charter.voting.aggregate != "holder":
        return False, "no holder can hold two series whose votes the charter aggregates"
    return True, f"votes aggregated per holder ({charter.voting.cite})"


def _always(charter: Charter) -> tuple[bool, str]:
    return True, "every charter pays money"


@dataclass(frozen=True)
class BuggyEngine:
    id: str
    engine: ClassicEngine
    mistake: str
    applies: Applies
    rounding: str = "exact"  # the --charter-impl-rounding the entry is checked under


CORRECT = ClassicEngine()
CORRECT_CENTS = CentsEngine()
SHORTFALL_BY_SHARES = ShortfallByShares()
CAP_EXCESS_UNPAID = CapExcessUnpaid()
CAP_EXCESS_TO_COMMON_ONLY = CapExcessToCommonOnly()
CONVERSION_AS_IF_ALONE = ConversionAsIfAlone()
VOTES_ROUNDED_PER_SERIES = VotesRoundedPerSeries()
FLOATS_RETURNED = FloatsReturned()
FLOAT_ARITHMETIC = FloatArithmetic()
CENTS_ROUNDED_PER_HOLDER = CentsRoundedPerHolder()

CATALOGUE: tuple[BuggyEngine, ...] = (
    BuggyEngine("shortfall-by-shares", SHORTFALL_BY_SHARES, "a short tier shared by share count", _tier_with_two_series),
    BuggyEngine("cap-excess-unpaid", CAP_EXCESS_UNPAID, "a participant's excess over its cap paid to nobody", _capped),
    BuggyEngine("cap-excess-to-common-only", CAP_EXCESS_TO_COMMON_ONLY,
                "a participant's excess over its cap paid to the common class alone", _capped_with_others),
    BuggyEngine("conversion-as-if-alone", CONVERSION_AS_IF_ALONE, "each series decides as if no other converted",
                _two_convertible),
    BuggyEngine("votes-rounded-per-series", VOTES_ROUNDED_PER_SERIES, "votes rounded per series, then added",
                _votes_per_holder),
    BuggyEngine("floats-returned", FLOATS_RETURNED, "amounts returned as floats", _always),
    BuggyEngine("float-arithmetic", FLOAT_ARITHMETIC, "holder split in floats, returned as strings", _always),
    BuggyEngine("cents-rounded-per-holder", CENTS_ROUNDED_PER_HOLDER,
                "whole cents rounded per holder (they need not sum to the proceeds)", _always, rounding="cents"),
)


# --- the catch table -------------------------------------------------------------------------

def catch(entry: BuggyEngine, charter_id: str, profile: str = "ci") -> str:
    """``caught by distribute|votes (probe|hypothesis)``, ``cannot show: why`` or ``MISSED``, under ``profile``."""
    from charter_oracle.invariants.impl_check import Checker, Target
    from charter_oracle.oracle import bundled
    from charter_oracle.oracle.cap_table import load_cap_table

    charter = load_charter(charter_id)
    applies, why = entry.applies(charter)
    if not applies:
        return f"cannot show: {why}"
    reference = bundled.reference_cap_table(charter_id)
    table = load_cap_table(reference, charter) if reference else None
    target = Target(charter_id, charter, table, profile, entry.rounding)
    for what in ("distribute", "votes"):
        checker = Checker(entry.engine, entry.id, what, target)
        if checker.run() is not None:
            return f"caught by {what} ({checker.found_by})"
    return "MISSED"


def catch_table(profile: str = "ci") -> str:
    """The catalogue against every bundled charter, as a Markdown table."""
    from charter_oracle.oracle import bundled

    rows = ["| bug | " + " | ".join(bundled.CHARTER_IDS) + " |", "| --- |" + " --- |" * len(bundled.CHARTER_IDS)]
    for entry in CATALOGUE:
        cells = [catch(entry, cid, profile) for cid in bundled.CHARTER_IDS]
        rows.append(f"| {entry.id} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m charter_oracle.invariants.buggy_engines [profile]
    import sys

    print(catch_table(sys.argv[1] if len(sys.argv) > 1 else "ci"))
