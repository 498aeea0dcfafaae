"""Checking a third-party engine against the oracle: probes, then Hypothesis, then a minimal counterexample.

This is the logic behind the plugin's ``--charter-impl`` items, kept free of pytest
so that it can be called directly (the catalogue test does, in-process).

1. Probes (``impl_probes``): the cases where classic bugs show, every profile.
2. Hypothesis with the chosen profile: simple tables first, proceeds at the
   probes and anywhere.
3. On a difference: ``impl_probes.minimize`` drops what the failure does not
   need, and the report names the class-level difference first, then holders
   (``impl_compare``), with a cap-table file to replay.

The engine contract (also in README's plugin section):

* ``distribute(charter: str, cap_table: str, proceeds: Fraction) -> Mapping[str, Fraction | Decimal | int | str]``:
  ``charter`` is the ``--charter`` value as given (a bundled id or a path), ``cap_table``
  the path of a cap-table TOML file the plugin writes for this example (the format of
  ``docs/charter-format.md``); the answer maps each holder to its payout (a holder left
  out is paid 0). Floats are refused.
* ``votes(charter: str, cap_table: str) -> Mapping[str, int]`` (optional): each holder's votes.
* Engines that would rather not parse files define ``distribute_loaded(charter: Charter,
  table: CapTable, proceeds: Fraction)`` and/or ``votes_loaded(charter, table)``: the
  plugin then calls those with the oracle's loaded objects (the ``Charter`` carries the
  ``--charter-interpret`` choices in ``interpretations_in_force``) and writes no file.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import given, reject, settings

from charter_oracle.invariants import impl_probes as probes
from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.example_constants import pinned_constants
from charter_oracle.invariants.impl_compare import Mismatch, compare_distribution, compare_votes
from charter_oracle.invariants.profiles import profile_settings
from charter_oracle.oracle.cap_table import CapTable, cap_table_to_toml
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import OracleError
from charter_oracle.oracle.exact import format_exact


@dataclass(frozen=True)
class Target:
    """What an engine is checked on: the charter as the user named it and as loaded, a cap table, settings."""

    name: str  # the --charter value, passed to the engine as given
    charter: Charter
    table: CapTable | None  # the user's (or bundled reference) cap table
    profile: str = "ci"
    rounding: str = "exact"
    out: Path | None = None  # where counterexample files go (None: a temporary directory)


class _Skip(Exception):
    """The oracle itself refuses the case (e.g. no stable outcome): not the engine's fault."""


class Checker:
    """Runs one check (``distribute`` or ``votes``) of one engine on one target."""

    def __init__(self, impl: Any, spec: str, what: str, target: Target) -> None:
        self.impl, self.spec, self.what, self.target = impl, spec, what, target
        self.work: Path | None = None
        self.examples = 0  # cases compared so far (probes, Hypothesis examples, minimizing)
        self.found_by = ""  # "probe" or "hypothesis": which phase found the difference

    # --- one case -----------------------------------------------------------------------

    def _path(self, table: CapTable) -> str:
        if self.work is None:
            self.work = Path(tempfile.mkdtemp(prefix="charter-oracle-impl-"))
        path = self.work / "cap-table.toml"
        path.write_text(cap_table_to_toml(table), encoding="utf-8")
        return str(path)

    def _call(self, case: Case) -> Any:
        t = self.target
        if self.what == "distribute":
            loaded = getattr(self.impl, "distribute_loaded", None)
            if callable(loaded):
                return loaded(t.charter, case.table, case.proceeds)
            return self.impl.distribute(t.name, self._path(case.table), case.proceeds)
        loaded = getattr(self.impl, "votes_loaded", None)
        if callable(loaded):
            return loaded(t.charter, case.table)
        return self.impl.votes(t.name, self._path(case.table))

    def attempt(self, case: Case) -> Violation | None:
        """The difference on ``case``, or None; ``_Skip`` when the oracle refuses the case."""
        from charter_oracle.oracle.liquidation import distribute
        from charter_oracle.oracle.voting import count_votes
        t = self.target
        self.examples += 1
        try:
            want = distribute(t.charter, case.table, case.proceeds) if self.what == "distribute" \
                else count_votes(t.charter, case.table)
        except OracleError as error:
            raise _Skip(str(error)) from None
        try:
            got = self._call(case)
        except Exception as error:  # the engine crashed on a valid cap table
            return Violation(f"{self.spec}.{self.what} raised {type(error).__name__}: {error}", case)
        try:
            if self.what == "distribute":
                compare_distribution(t.charter, case, want, got, t.rounding)
            else:
                compare_votes(t.charter, case, want, got)
        except Violation as violation:
            violation.case = case
            return violation
        return None

    def _fails(self, case: Case) -> bool:
        try:
            return self.attempt(case) is not None
        except _Skip:
            return False

    # --- the run ------------------------------------------------------------------------

    def probes(self) -> list[Case]:
        t = self.target
        if self.what == "distribute":
            return probes.distribute_probes(t.charter, t.table, cents=t.rounding == "cents")
        return probes.vote_probes(t.charter, t.table)

    def probe(self) -> Violation | None:
        """The first difference among the probes (no Hypothesis)."""
        for case in self.probes():
            try:
                found = self.attempt(case)
            except _Skip:
                continue
            if found is not None:
                return found
        return None

    def find(self) -> Violation | None:
        """The first difference: probes first, then Hypothesis under the target's profile."""
        found = self.probe()
        if found is not None:
            self.found_by = "probe"
            return found
        self.found_by = "hypothesis"
        t = self.target
        cases = probes.exit_cases(t.charter, t.table, cents=t.rounding == "cents") if self.what == "distribute" \
            else probes.vote_cases(t.charter, t.table)

        @settings(profile_settings(t.profile))
        @given(cases)
        def body(case: Case) -> None:
            try:
                found = self.attempt(case)
            except _Skip:
                reject()
            if found is not None:
                raise found

        try:
            with pinned_constants():  # the same cases in the plugin, the API and the command (example_constants.py)
                body()
        except Violation as violation:
            return violation
        return None

    def run(self) -> dict[str, Any] | None:
        """None when the engine agrees with the oracle everywhere tried; else the failure report."""
        found = self.find()
        if found is None:
            return None
        if found.case is not None:
            smaller = probes.minimize(found.case, self.target.charter, self._fails)
            if smaller != found.case:
                found = self.attempt(smaller) or found
        return self.report(found)

    def report(self, violation: Violation) -> dict[str, Any]:
        t = self.target
        out = t.out or Path(tempfile.mkdtemp(prefix="charter-oracle-"))
        out.mkdir(parents=True, exist_ok=True)
        report: dict[str, Any] = {"implementation": self.spec, "check": self.what, "charter": t.name,
                                  "rounding": t.rounding, "message": violation.message}
        if isinstance(violation, Mismatch):
            report["classes"], report["holders"] = violation.classes, violation.holders
        case = violation.case
        if case is not None:
            path = out / f"counterexample-{t.charter.id}-{self.what}.toml"
            header = [f"# counterexample: {self.spec}.{self.what} disagrees with charter-oracle on {t.name}"]
            if case.proceeds is not None:
                header.append(f"# proceeds = \"{format_exact(case.proceeds)}\"")
            header += [f"# {line}" for line in violation.message.splitlines()][:40]
            path.write_text("\n".join(header) + "\n" + cap_table_to_toml(case.table), encoding="utf-8")
            report["cap_table_file"] = str(path)
            if case.proceeds is not None:
                report["proceeds"] = format_exact(case.proceeds)
                cents = " --interpret all.payout-cents=cents" if t.rounding == "cents" else ""
                report["replay"] = (f"charter-oracle waterfall {t.name} --cap-table {path} --proceeds "
                                    f"{format_exact(case.proceeds)}{cents}")
            else:
                report["replay"] = f"charter-oracle votes {t.name} --cap-table {path}"
        return report


def render(report: dict[str, Any]) -> str:
    """A failure as people read it: what differs (classes first), then the file and the command to replay."""
    lines = [f"{report['implementation']}.{report['check']} disagrees with charter-oracle on {report['charter']}",
             report["message"]]
    if "cap_table_file" in report:
        lines += [f"counterexample cap table: {report['cap_table_file']}", f"replay: {report['replay']}"]
    return "\n".join(lines)


def check(impl: Any, spec: str, what: str, target: Target) -> dict[str, Any] | None:
    """Check ``impl``'s ``what`` (``distribute`` or ``votes``) on ``target``: None, or the failure report."""
    return Checker(impl, spec, what, target).run()


__all__ = ["Target", "Checker", "check", "render"]
