"""Automatic conversion by consent: every group named must consent at the same time.

The charter's ``[conversion.automatic_consent]`` and each ``[[conversion.automatic_consent.also]]``
(NVCA 2020 §5.1(b): the Requisite Holders, and a majority of one series) is counted as a consent of
its classes on its basis (``oracle/voting.py``); the preferred converts only when all are met. The
``comply`` action ``automatic-conversion-consent`` with ``approving`` asks this question.
"""

from __future__ import annotations

from collections.abc import Iterable

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter, ConsentRule, ConsentTrigger
from charter_oracle.oracle.voting import consent_counts


def group_results(charter: Charter, table: CapTable, approving: Iterable[str]) -> list[tuple[ConsentTrigger, bool, str]]:
    """(group, met, what) for the trigger and each further group it needs."""
    trigger = charter.conversion.automatic_consent
    if trigger is None:
        return []
    approving = list(approving)
    out = []
    for group in (trigger, *trigger.also):
        rule = ConsentRule(id="automatic-conversion", cite=group.cite, classes=group.classes, basis=group.basis,
                           threshold=group.threshold, actions=())
        result = consent_counts(charter, table, rule, approving)
        what = (f"{', '.join(group.classes)}: {result.in_favour} of {result.outstanding} {group.basis} in favour; "
                f"needs {group.threshold.describe()}")
        out.append((group, result.met, what))
    return out


def converts_by_consent(charter: Charter, table: CapTable, approving: Iterable[str]) -> tuple[bool, str, str]:
    """(triggered, cite, what): triggered only when every group's consent is met."""
    results = group_results(charter, table, approving)
    if not results:
        return False, charter.conversion.cite, "the charter has no consent trigger"
    met = all(ok for _, ok, _ in results)
    return met, results[0][0].cite, "; ".join(what for _, _, what in results)
