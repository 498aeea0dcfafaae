"""The pytest plugin (entry point ``pytest11``): the invariant suite on any charter, or on any implementation.

* ``pytest --charter ID_OR_PATH [--cap-table FILE]``: one test per invariant. A
  violated oracle invariant fails with its shrunk counterexample; a charter
  property the text breaks is reported as a finding (it fails only when named
  with ``--require ID``); an invariant that does not apply is skipped, with why;
  one whose examples never reached its clause (``vacuous``) fails.
* ``--impl MODULE:OBJECT``: checks a third-party implementation exposing
  ``distribute(charter: str, cap_table: str, proceeds: Fraction) -> Mapping[str,
  Fraction | Decimal | str]`` and optionally ``votes(charter: str, cap_table: str)
  -> Mapping[str, int]`` against the oracle, on generated cap tables (written to
  temporary TOML files) and proceeds. A difference fails with the smallest
  counterexample Hypothesis finds, written as a cap-table file to replay.
* ``--oracle-profile ci|dev|thorough`` picks the Hypothesis settings (all explicit).
"""

from __future__ import annotations

import importlib
import json
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.invariants.profiles import PROFILE_NAMES, profile_settings
from charter_oracle.invariants.registry import INVARIANTS, Invariant, exit_cases, vote_cases
from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import CapTable, cap_table_to_toml, load_cap_table
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.exact import format_exact, parse_exact
from charter_oracle.oracle.interpretations import parse_choices


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("charter-oracle", "charter invariant suite")
    group.addoption("--charter", help="run the invariant suite on this charter (bundled id or path)")
    group.addoption("--cap-table", dest="charter_cap_table", help="the charter's cap table (default: bundled reference)")
    group.addoption("--impl", help="MODULE:OBJECT implementing distribute() (and optionally votes()) to check")
    group.addoption("--oracle-profile", default="ci", choices=PROFILE_NAMES, help="Hypothesis settings profile")
    group.addoption("--require", action="append", default=[], metavar="INVARIANT_ID",
                    help="a charter property that must hold: its finding fails the run (repeatable)")
    group.addoption("--interpret", dest="charter_interpret", action="append", default=[], metavar="ID=VALUE",
                    help="choose an interpretation (repeatable)")
    group.addoption("--counterexample-dir", help="where replayable counterexamples are written (default: a temp dir)")


class _Context:
    def __init__(self, config: pytest.Config) -> None:
        self.name: str = config.getoption("charter")
        self.charter: Charter = load_charter(self.name, parse_choices(config.getoption("charter_interpret")))
        path = config.getoption("charter_cap_table") or bundled.reference_cap_table(self.name)
        self.table: CapTable | None = load_cap_table(path, self.charter) if path else None
        self.profile: str = config.getoption("oracle_profile")
        self.required: set[str] = set(config.getoption("require"))
        where = config.getoption("counterexample_dir")
        self.out = Path(where) if where else Path(tempfile.mkdtemp(prefix="charter-oracle-"))


class InvariantItem(pytest.Item):
    def __init__(self, *, invariant: Invariant, context: _Context, **kw: Any) -> None:
        super().__init__(**kw)
        self.invariant, self.context = invariant, context

    def runtest(self) -> None:
        from charter_oracle.invariants.suite import run_invariant
        ctx = self.context
        verdict = run_invariant(self.invariant, ctx.charter, ctx.table, ctx.profile)
        self.user_properties.append(("verdict", json.dumps(verdict.to_json())))
        if verdict.verdict == "not applicable":
            pytest.skip(f"not applicable: {verdict.reason}")
        # vacuous: examples passed but none reached the invariant's clause, so nothing was tested
        if verdict.verdict in ("violated", "vacuous") or (verdict.verdict == "finding" and self.invariant.id in ctx.required):
            raise InvariantFailure(verdict.to_json())
        if verdict.verdict == "finding":
            self.config.stash.setdefault(_FINDINGS, []).append(verdict.to_json())

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, InvariantFailure):
            return json.dumps(excinfo.value.args[0], indent=2)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"{self.context.charter.id}::{self.invariant.id}"


class InvariantFailure(AssertionError):
    pass


_FINDINGS = pytest.StashKey[list]()


def _amount(value: Any, what: str) -> Fraction:
    """Accept Fraction, Decimal, int or an exact string; refuse floats (they cannot be compared exactly)."""
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, float):
        raise Violation(f"{what}: the implementation returned the float {value!r}; return Fraction, Decimal or str")
    return parse_exact(value, what)


class ImplItem(pytest.Item):
    """Hypothesis-driven comparison of a third-party implementation with the oracle."""

    def __init__(self, *, what: str, impl: Any, spec: str, context: _Context, **kw: Any) -> None:
        super().__init__(**kw)
        self.what, self.impl, self.spec, self.context = what, impl, spec, context

    def runtest(self) -> None:
        ctx = self.context
        cases = exit_cases(ctx.charter, ctx.table) if self.what == "distribute" else vote_cases(ctx.charter, ctx.table)
        check = self._distribute if self.what == "distribute" else self._votes
        work = Path(tempfile.mkdtemp(prefix="charter-oracle-impl-"))

        @settings(profile_settings(ctx.profile))
        @given(cases)
        def body(case: Case) -> None:
            path = work / "cap-table.toml"
            path.write_text(cap_table_to_toml(case.table), encoding="utf-8")
            try:
                check(case, str(path))
            except Violation as violation:
                violation.case = case
                raise
            except Exception as error:  # the implementation crashed on a valid cap table
                raise Violation(f"{self.spec}.{self.what} raised {type(error).__name__}: {error}", case) from error

        try:
            body()
        except Violation as violation:
            raise InvariantFailure(self._report(violation)) from None

    def _distribute(self, case: Case, path: str) -> None:
        from charter_oracle.oracle.liquidation import distribute
        got_raw = self.impl.distribute(self.context.name, path, case.proceeds)
        if not isinstance(got_raw, Mapping):
            raise Violation(f"distribute returned {type(got_raw).__name__}, not a mapping of holder to amount")
        got = {str(k): _amount(v, f"distribute()[{k!r}]") for k, v in got_raw.items()}
        want = dict(distribute(self.context.charter, case.table, case.proceeds).holders)
        unknown = sorted(set(got) - set(want))
        if unknown:
            raise Violation(f"distribute paid {unknown[0]!r}, who is not in the cap table")
        if sum(got.values(), Fraction(0)) != sum(want.values(), Fraction(0)):
            raise Violation(f"payouts sum to {format_exact(sum(got.values(), Fraction(0)))}, not the proceeds "
                            f"{format_exact(case.proceeds)} (conservation)")
        diff = {h: (format_exact(want[h]), format_exact(got.get(h, Fraction(0))))
                for h in want if got.get(h, Fraction(0)) != want[h]}
        if diff:
            raise Violation(f"holders paid differently from the oracle (holder: [oracle, implementation]): {diff}")

    def _votes(self, case: Case, path: str) -> None:
        from charter_oracle.oracle.voting import count_votes
        got = {str(k): v for k, v in self.impl.votes(self.context.name, path).items()}
        want = {h.holder: h.total for h in count_votes(self.context.charter, case.table).holders}
        diff = {h: (want[h], got.get(h)) for h in want if got.get(h) != want[h]}
        if diff or set(got) - set(want):
            raise Violation(f"votes differ from the oracle (holder: [oracle, implementation]): {diff}")

    def _report(self, violation: Violation) -> dict[str, Any]:
        ctx = self.context
        ctx.out.mkdir(parents=True, exist_ok=True)
        report: dict[str, Any] = {"implementation": self.spec, "check": self.what, "charter": ctx.name,
                                  "message": violation.message}
        if violation.case is not None:
            path = ctx.out / f"counterexample-{ctx.charter.id}-{self.what}.toml"
            header = [f"# counterexample: {self.spec}.{self.what} disagrees with charter-oracle on {ctx.name}"]
            if violation.case.proceeds is not None:
                header.append(f"# proceeds = \"{format_exact(violation.case.proceeds)}\"")
            header.append(f"# {violation.message}"[:2000].replace("\n", " "))
            path.write_text("\n".join(header) + "\n" + cap_table_to_toml(violation.case.table), encoding="utf-8")
            report["cap_table_file"] = str(path)
            if violation.case.proceeds is not None:
                report["proceeds"] = format_exact(violation.case.proceeds)
            report["replay"] = (f"charter-oracle waterfall {ctx.name} --cap-table {path} --proceeds "
                                f"{format_exact(violation.case.proceeds)}" if violation.case.proceeds is not None
                                else f"charter-oracle votes {ctx.name} --cap-table {path}")
        return report

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, InvariantFailure):
            return json.dumps(excinfo.value.args[0], indent=2)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"{self.spec}::{self.what}"


def _load_impl(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise pytest.UsageError(f"--impl {spec!r}: expected MODULE:OBJECT")
    obj: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    if not callable(getattr(obj, "distribute", None)):
        raise pytest.UsageError(f"--impl {spec!r}: the object has no distribute(charter, cap_table, proceeds)")
    return obj


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("charter"):
        if config.getoption("impl"):
            raise pytest.UsageError("--impl needs --charter ID_OR_PATH (the charter the implementation encodes)")
        return
    ctx = _Context(config)
    spec = config.getoption("impl")
    if spec:
        impl = _load_impl(spec)
        items.append(ImplItem.from_parent(session, name=f"impl[{ctx.charter.id}]::distribute", what="distribute",
                                          impl=impl, spec=spec, context=ctx))
        if callable(getattr(impl, "votes", None)):
            items.append(ImplItem.from_parent(session, name=f"impl[{ctx.charter.id}]::votes", what="votes",
                                              impl=impl, spec=spec, context=ctx))
        return
    for invariant in INVARIANTS:
        items.append(InvariantItem.from_parent(session, name=f"charter[{ctx.charter.id}]::{invariant.id}",
                                               invariant=invariant, context=ctx))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    findings = config.stash.get(_FINDINGS, [])
    if findings:
        terminalreporter.section("charter-oracle findings (charter properties the text breaks)")
        for f in findings:
            terminalreporter.write_line(f"{f['invariant']}: {f['message']} [{'; '.join(f['clauses'])}]")
