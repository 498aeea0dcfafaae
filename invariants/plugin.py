"""The pytest plugin's entry point (``pytest11``): options only, until a run asks for a charter.

Installing charter-oracle registers this module in every pytest run on the machine,
so it must cost nothing there: it imports no Hypothesis, no oracle and no solver, and
adds no items, hooks or profiles. Every option shares the ``--charter`` prefix, so
none can collide with another plugin's (``--impl`` or ``--cap-table`` would).

* ``pytest --charter ID_OR_PATH [--charter-cap-table FILE]``: the invariant suite on a charter;
* ``--charter-impl MODULE:OBJECT``: a third-party implementation checked against the oracle,
  ``--charter-impl-rounding exact|cents`` (``cents``: for engines that pay whole cents);
* ``--charter-impl-cmd "CMD"`` (``--charter-impl-timeout SECONDS``): the same check on an engine in any
  language, over the subprocess protocol of docs/engine-protocol.md (``engine_process``);
* ``--charter-profile ci|dev|thorough``, ``--charter-require ID``, ``--charter-interpret ID=VALUE``,
  ``--charter-counterexample-dir DIR``, ``--charter-db DIR`` (Hypothesis's directory database, shared).

The items and hooks live in ``pytest_suite``, registered in ``pytest_configure`` only
when ``--charter`` (or, to refuse it clearly, ``--charter-impl``) is given.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import pytest

# The profile names are repeated here (not imported from ``profiles``) because importing
# that module loads Hypothesis and registers its profiles: exactly what an unrelated run must not get.
PROFILE_CHOICES = ("ci", "dev", "thorough")
ROUNDING_CHOICES = ("exact", "cents")  # impl_compare.ROUNDINGS, repeated for the same reason


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("charter-oracle", "charter invariant suite (charter-oracle)")
    group.addoption("--charter", help="run the invariant suite on this charter (bundled id or path)")
    group.addoption("--charter-cap-table", help="the charter's cap table or OCF package (default: the bundled reference)")
    group.addoption("--charter-class-map", action="append", default=[], metavar="OCF_CLASS_ID=CHARTER_CLASS_ID",
                    help="OCF package: the charter class of an OCF stock class (repeatable)")
    group.addoption("--charter-date", metavar="YYYY-MM-DD",
                    help="OCF package: replay its transactions up to this date (default: the package's as_of)")
    group.addoption("--charter-impl", metavar="MODULE:OBJECT",
                    help="an implementation of distribute() (and optionally votes()) to check against the oracle")
    group.addoption("--charter-impl-cmd", metavar="CMD",
                    help="an engine in any language behind a command: one JSON request per line on its stdin, one "
                         "answer per line on its stdout (docs/engine-protocol.md)")
    group.addoption("--charter-impl-timeout", metavar="SECONDS", default="10",
                    help="--charter-impl-cmd: seconds the engine has to answer each request (default 10)")
    group.addoption("--charter-impl-rounding", default="exact", choices=ROUNDING_CHOICES,
                    help="exact: every holder's payout equals the oracle's; cents: whole cents, each within a cent "
                         "of the oracle's and summing to the proceeds")
    group.addoption("--charter-profile", default="ci", choices=PROFILE_CHOICES, help="Hypothesis settings profile")
    group.addoption("--charter-require", action="append", default=[], metavar="INVARIANT_ID",
                    help="a charter property that must hold: its finding fails the run (repeatable)")
    group.addoption("--charter-interpret", action="append", default=[], metavar="ID=VALUE",
                    help="choose an interpretation (repeatable)")
    group.addoption("--charter-db", metavar="DIR",
                    help="share failing examples across runs and CI jobs in Hypothesis's directory database DIR")
    group.addoption("--charter-counterexample-dir", metavar="DIR",
                    help="where replayable counterexamples are written (default: a temporary directory)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("charter") or config.getoption("charter_impl") or config.getoption("charter_impl_cmd"):
        from charter_oracle.invariants import pytest_suite

        config.pluginmanager.register(pytest_suite, "charter-oracle-suite")
        if config.getoption("charter_db"):
            from charter_oracle.invariants.profiles import example_database

            if config.getoption("charter_profile") == "ci":
                raise pytest.UsageError("--charter-db goes with --charter-profile dev or thorough: the ci profile "
                                        "is derandomized and remembers no examples")
            shared = example_database(config.getoption("charter_db"))
            shared.__enter__()  # for the whole session; left in pytest_unconfigure
            config.stash[_SHARED_DB] = shared


def pytest_unconfigure(config: pytest.Config) -> None:
    shared = config.stash.get(_SHARED_DB, None)
    if shared is not None:
        shared.__exit__(None, None, None)


_SHARED_DB = pytest.StashKey[AbstractContextManager[None]]()
