"""The pytest side of the invariant suite, registered by ``plugin.py`` only when ``--charter`` is given.

* ``pytest --charter ID_OR_PATH [--charter-cap-table FILE]``: one test per invariant. A
  violated oracle invariant fails with its shrunk counterexample; a charter
  property the text breaks is reported as a finding (it fails only when named
  with ``--charter-require ID``); an invariant that does not apply is skipped, with why;
  one whose examples never reached its clause (``vacuous``) fails.
* ``--charter-impl MODULE:OBJECT``: checks a third-party implementation against the
  oracle (``impl_check``; the contract is in its docstring and README's plugin
  section). OBJECT provides ``distribute(charter: str, cap_table: str, proceeds:
  Fraction) -> Mapping[str, Fraction | Decimal | int | str]`` and optionally
  ``votes(charter: str, cap_table: str) -> Mapping[str, int]``: ``charter`` is the
  ``--charter`` value as given (bundled id or path), ``cap_table`` the path of a
  cap-table TOML file written for each example. Engines that want the loaded objects
  define ``distribute_loaded(charter: Charter, table: CapTable, proceeds)`` /
  ``votes_loaded(charter, table)`` instead (or as well): the plugin then calls those.
  Targeted probes run first (every breakpoint, inside each short tier, where caps
  bind), then Hypothesis; a difference fails with a minimal counterexample (no
  irrelevant dividends, options, dates or holders), the class-level difference and
  its clause first, then holders, and a cap-table file to replay.
* ``--charter-impl-cmd "CMD"``: the same check on an engine in any language, over the subprocess
  protocol (``engine_process``, docs/engine-protocol.md); ``--charter-impl-timeout SECONDS`` per request.
* ``--charter-impl-rounding exact|cents``: ``cents`` for engines paying whole cents
  (each holder within a cent of the oracle, summing to the proceeds; ``impl_compare``).
* ``--charter-profile ci|dev|thorough`` picks the Hypothesis settings (all explicit).
"""

from __future__ import annotations

import importlib
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from charter_oracle.invariants.registry import INVARIANTS, Invariant
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.interpretations import parse_choices
from charter_oracle.oracle.loading import load_with_optional_table


def _ocf_options(config: pytest.Config) -> dict[str, Any]:
    """--charter-class-map and --charter-date, for an OCF package given as --charter-cap-table."""
    from charter_oracle.oracle.dates import parse_date
    from charter_oracle.oracle.ocf.mapping import parse_class_map

    date = config.getoption("charter_date")
    return {"class_map": parse_class_map(config.getoption("charter_class_map")) or None,
            "as_of": parse_date(date, "--charter-date") if date is not None else None}


class _Context:
    def __init__(self, config: pytest.Config) -> None:
        self.name: str = config.getoption("charter")
        self.charter: Charter
        self.table: CapTable | None  # None: a charter file without one; the suite generates its cap tables
        self.charter, self.table = load_with_optional_table(self.name, config.getoption("charter_cap_table"),
                                                            parse_choices(config.getoption("charter_interpret")),
                                                            **_ocf_options(config))
        self.profile: str = config.getoption("charter_profile")
        self.required: set[str] = set(config.getoption("charter_require"))
        self.rounding: str = config.getoption("charter_impl_rounding")
        where = config.getoption("charter_counterexample_dir")
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
        if (verdict.verdict in ("violated", "error", "vacuous")
                or (verdict.verdict == "finding" and self.invariant.id in ctx.required)):
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


class ImplItem(pytest.Item):
    """A third-party implementation compared with the oracle (probes, then Hypothesis; see ``impl_check``)."""

    def __init__(self, *, what: str, impl: Any, spec: str, context: _Context, **kw: Any) -> None:
        super().__init__(**kw)
        self.what, self.impl, self.spec, self.context = what, impl, spec, context

    def runtest(self) -> None:
        from charter_oracle.invariants.impl_check import Target, check
        ctx = self.context
        target = Target(ctx.name, ctx.charter, ctx.table, ctx.profile, ctx.rounding, ctx.out)
        report = check(self.impl, self.spec, self.what, target)
        if report is not None:
            self.user_properties.append(("report", json.dumps(report)))
            raise InvariantFailure(report)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, InvariantFailure):
            from charter_oracle.invariants.impl_check import render
            return render(excinfo.value.args[0])
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"{self.spec}::{self.what}"


def _load_impl(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise pytest.UsageError(f"--charter-impl {spec!r}: expected MODULE:OBJECT")
    obj: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    if not callable(getattr(obj, "distribute", None)) and not callable(getattr(obj, "distribute_loaded", None)):
        raise pytest.UsageError(f"--charter-impl {spec!r}: the object has no distribute(charter, cap_table, proceeds)")
    return obj


def _process_engine(command: str, timeout: str) -> Any:
    """``--charter-impl-cmd``: the command behind the protocol, started on the first request."""
    from charter_oracle.invariants.engine_process import ProcessEngine, parse_timeout
    from charter_oracle.oracle.errors import InputError

    try:
        return ProcessEngine(command, parse_timeout(timeout, "--charter-impl-timeout")).start()
    except InputError as error:
        raise pytest.UsageError(f"--charter-impl-cmd: {error}") from None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("charter"):
        for option in ("impl", "impl_cmd"):
            if config.getoption(f"charter_{option}"):
                raise pytest.UsageError(f"--charter-{option.replace('_', '-')} needs --charter ID_OR_PATH (the charter "
                                        "the implementation encodes)")
        return
    ctx = _Context(config)
    spec = config.getoption("charter_impl")
    command = config.getoption("charter_impl_cmd")
    if spec and command:
        raise pytest.UsageError("--charter-impl and --charter-impl-cmd: give one engine, not both")
    if spec or command:
        impl = _load_impl(spec) if spec else _process_engine(command, config.getoption("charter_impl_timeout"))
        spec = spec or command
        items.append(ImplItem.from_parent(session, name=f"impl[{ctx.charter.id}]::distribute", what="distribute",
                                          impl=impl, spec=spec, context=ctx))
        if callable(getattr(impl, "votes", None)) or callable(getattr(impl, "votes_loaded", None)):
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
