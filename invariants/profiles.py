"""Hypothesis settings profiles for the invariant suite: ``ci``, ``dev`` and ``thorough``.

Every setting is given explicitly: Hypothesis registers its own ``ci`` profile and
loads it when the ``CI`` environment variable is set, so a profile that inherited
anything could silently change under CI. Ours never inherit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis.database import DirectoryBasedExampleDatabase, InMemoryExampleDatabase

PROFILE_NAMES: tuple[str, ...] = ("ci", "dev", "thorough")

# Health checks that flag slow or large *data generation*: exact Fractions on big cap tables are
# slow by design, and a failed health check is not a finding about the charter.
_SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
               HealthCheck.large_base_example, HealthCheck.function_scoped_fixture,
               HealthCheck.differing_executors, HealthCheck.nested_given]

_EXAMPLES = {"ci": 50, "dev": 100, "thorough": 1000}
_STEPS = {"ci": 12, "dev": 25, "thorough": 50}


# A shared failure database for a run (``check --hypothesis-db DIR``, ``pytest --charter-db DIR``):
# Hypothesis's own directory database, which CI jobs pass between them as a cache or an artifact,
# so that a failure found by one job (a nightly thorough run) is replayed first by the next.
_DATABASE: ContextVar[Path | None] = ContextVar("charter_oracle_example_database", default=None)


@contextmanager
def example_database(directory: str | Path | None) -> Iterator[None]:
    """Inside the block the dev and thorough profiles read and write failures in ``directory`` (None: their
    own in-memory database). The ci profile is derandomized and keeps none: it is refused with it."""
    token = _DATABASE.set(Path(directory) if directory is not None else None)
    try:
        yield
    finally:
        _DATABASE.reset(token)


def profile_settings(name: str) -> settings:
    """The settings object of a profile, with every setting stated."""
    if name not in _EXAMPLES:
        raise ValueError(f"--oracle-profile {name!r}: expected one of {', '.join(PROFILE_NAMES)}")
    shared = _DATABASE.get()
    # ci: same examples on every run, nothing remembered between runs, no wall-clock flakiness (Hypothesis
    # allows no database with derandomize: a shared one is for dev and thorough runs, the nightly kind).
    if name == "ci":
        database = None
    else:
        database = DirectoryBasedExampleDatabase(str(shared)) if shared is not None else InMemoryExampleDatabase()
    return settings(
        max_examples=_EXAMPLES[name],
        derandomize=name == "ci",
        database=database,
        deadline=None,
        print_blob=False,
        report_multiple_bugs=False,  # one minimal counterexample per invariant, not a group
        suppress_health_check=_SUPPRESSED,
        stateful_step_count=_STEPS[name],
        verbosity=Verbosity.quiet,
        backend="hypothesis",
        phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
    )


for _name in PROFILE_NAMES:
    settings.register_profile(f"charter-oracle-{_name}", profile_settings(_name))
