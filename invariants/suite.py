"""Running the invariant suite on one charter and cap table: verdicts and findings, as data.

``run_suite(charter, table, profile)`` gives, per invariant, one verdict:
``held`` (with the number of examples tried and how many of them reached the
invariant's clause: at least one), ``vacuous`` (examples ran and passed, but none
reached the clause: nothing was tested), ``violated`` (an oracle invariant
broke: a bug, with the shrunk counterexample), ``finding`` (a charter property
the text breaks, with its counterexample, clauses and interpretations in force),
``not applicable`` (with the reason, decided from the charter's data) or ``error``
(the invariant itself, its case strategy or the oracle crashed: a bug to report, with
the traceback; never a finding, so a baseline can never accept it).
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hypothesis import given, settings

from charter_oracle.invariants.cases import Case, Violation, jsonable
from charter_oracle.invariants.example_constants import pinned_constants
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.invariants.reach import recording
from charter_oracle.invariants.registry import INVARIANTS, Invariant
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent

VerdictKind = Literal["held", "vacuous", "violated", "finding", "not applicable", "error"]


@dataclass(frozen=True)
class Finding:
    """A charter property the text breaks: what, where in the text, under which interpretations, and an example."""

    invariant: str
    charter: str
    statement: str
    clauses: tuple[str, ...]
    interpretations: tuple[tuple[str, str], ...]
    message: str
    counterexample: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"invariant": self.invariant, "charter": self.charter, "statement": self.statement,
                "clauses": list(self.clauses), "interpretations": dict(self.interpretations),
                "message": self.message, "counterexample": self.counterexample}


@dataclass(frozen=True)
class Verdict:
    invariant: str
    kind: str
    verdict: VerdictKind
    statement: str
    clauses: tuple[str, ...]
    examples: int = 0
    reason: str = ""
    message: str = ""
    counterexample: dict[str, Any] | None = None
    traceback: str = ""  # an ``error`` verdict: where the crash happened
    exercised: int = 0  # examples that reached the invariant's clause (``reach.reached()``)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"invariant": self.invariant, "kind": self.kind, "verdict": self.verdict,
                               "statement": self.statement, "clauses": list(self.clauses),
                               "examples": self.examples, "exercised": self.exercised}
        if self.reason:
            out["reason"] = self.reason
        if self.message:
            out["message"] = self.message
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample
        if self.traceback:
            out["traceback"] = self.traceback
        return out


@dataclass(frozen=True)
class SuiteResult:
    charter: str
    profile: str
    interpretations: tuple[tuple[str, str], ...]
    verdicts: tuple[Verdict, ...]
    findings: tuple[Finding, ...] = field(default=())

    def verdict(self, invariant_id: str) -> Verdict:
        return next(v for v in self.verdicts if v.invariant == invariant_id)

    @property
    def violated(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.verdict == "violated")

    @property
    def vacuous(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.verdict == "vacuous")

    @property
    def errors(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.verdict == "error")

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (exact numbers as strings, deterministic order)."""
        return {"charter": self.charter, "profile": self.profile, "interpretations": dict(self.interpretations),
                "verdicts": [v.to_json() for v in self.verdicts], "findings": [f.to_json() for f in self.findings]}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, sort_keys=False)


def format_traceback(error: BaseException) -> str:
    """The traceback with paths made relative to the package, so a report reads the same on every machine."""
    text = "".join(traceback.format_exception(error))
    text = text.replace(str(_PACKAGE_ROOT) + "/", "")
    return re.sub(r'File "[^"]*/site-packages/', 'File "', text)


def _error(invariant: Invariant, statement: str, clauses: tuple[str, ...], count: int, error: BaseException,
           case: Case | None) -> Verdict:
    return Verdict(invariant.id, invariant.kind, "error", statement, clauses, count,
                   message=f"the invariant crashed: {type(error).__name__}: {error}",
                   counterexample=case.to_json() if case is not None else None, traceback=format_traceback(error))


def run_invariant(invariant: Invariant, charter: Charter, table: CapTable | None,
                  profile: str | settings = "ci") -> Verdict:
    """One invariant under Hypothesis; the last failing example Hypothesis replays is the shrunk one.

    A ``Violation`` is the invariant's answer (``violated`` or ``finding``); any other exception,
    from its scope, its cites, its cases or its check (the oracle included), is an ``error``.
    """
    statement = invariant.statement
    try:
        clauses = invariant.clauses(charter)
        ok, reason = invariant.applies_to(charter)
    except Exception as error:  # a scope or cite that cannot read this charter is a bug, not a verdict
        return _error(invariant, statement, (), 0, error, None)
    if not ok:
        return Verdict(invariant.id, invariant.kind, "not applicable", statement, clauses, reason=reason)
    chosen = profile if isinstance(profile, settings) else profile_settings(profile)
    count, exercised = [0], [0]
    crashed: list[Case | None] = [None]  # the case of the last crash: after shrinking, the minimal one

    try:
        @settings(chosen)
        @given(invariant.cases(charter, table))
        def body(case: Case) -> None:
            count[0] += 1
            try:
                with recording() as flag:
                    invariant.check(charter, case)
                exercised[0] += flag[0]  # counted only for examples that passed through the check
            except Violation as violation:
                violation.case = violation.case or case
                raise
            except Exception:
                crashed[0] = case
                raise

        with pinned_constants():  # examples from the strategies alone, whatever the process has imported
            body()
    except Violation as violation:
        example = violation.case.to_json() if violation.case else None
        verdict: VerdictKind = "finding" if invariant.kind == "charter-property" else "violated"
        return Verdict(invariant.id, invariant.kind, verdict, statement, clauses, count[0], reason, violation.message,
                       example, exercised=exercised[0])
    except Exception as error:  # the strategy, Hypothesis or the check crashed
        return _error(invariant, statement, clauses, count[0], error, crashed[0])
    # Passing examples that never reached the clause tested nothing: that is not "held".
    kind: VerdictKind = "held" if exercised[0] else "vacuous"
    return Verdict(invariant.id, invariant.kind, kind, statement, clauses, count[0], reason, exercised=exercised[0])


def run_suite(charter: Charter, table: CapTable | None, profile: str = "ci",
              invariants: Iterable[Invariant] = INVARIANTS) -> SuiteResult:
    """Every invariant on ``charter`` (cap tables generated, and ``table`` itself when given)."""
    verdicts = tuple(run_invariant(inv, charter, table, profile) for inv in invariants)
    findings = tuple(
        Finding(v.invariant, charter.id, v.statement, v.clauses, charter.chosen, v.message, v.counterexample or {})
        for v in verdicts if v.verdict == "finding"
    )
    return SuiteResult(charter.id, profile, charter.chosen, verdicts, findings)


__all__ = ["Finding", "SuiteResult", "Verdict", "run_invariant", "run_suite", "jsonable"]
