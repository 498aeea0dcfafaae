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

from charter_oracle.invariants.buggy_engines.amounts import (CentsEngine, CentsRoundedPerHolder, FloatArithmetic,
                                                             FloatsReturned)
from charter_oracle.invariants.buggy_engines.classic import ClassicEngine
from charter_oracle.invariants.buggy_engines.liquidation import (CapExcessToCommonOnly, CapExcessUnpaid,
                                                                 ConversionAsIfAlone, ShortfallByShares)
from charter_oracle.invariants.buggy_engines.voting import VotesRoundedPerSeries
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.loading import load_with_optional_table

__all__ = ["CATALOGUE", "BuggyEngine", "ClassicEngine", "catch", "catch_table", "CORRECT", "CORRECT_CENTS",
           "SHORTFALL_BY_SHARES", "CAP_EXCESS_UNPAID", "CAP_EXCESS_TO_COMMON_ONLY", "CONVERSION_AS_IF_ALONE",
           "VOTES_ROUNDED_PER_SERIES", "FLOATS_RETURNED", "FLOAT_ARITHMETIC", "CENTS_ROUNDED_PER_HOLDER"]


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


def catch(entry: BuggyEngine, charter_id: str, profile: str = "ci") -> str:
    """``caught by distribute|votes (probe|hypothesis)``, ``cannot show: why`` or ``MISSED``, under ``profile``."""
    from charter_oracle.invariants.impl_check import Checker, Target

    charter, table = load_with_optional_table(charter_id)
    applies, why = entry.applies(charter)
    if not applies:
        return f"cannot show: {why}"
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
