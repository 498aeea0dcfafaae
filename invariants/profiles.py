"""Hypothesis settings profiles for the invariant suite: ``ci``, ``dev`` and ``thorough``.

Every setting is given explicitly: Hypothesis registers its own ``ci`` profile and
loads it when the ``CI`` environment variable is set, so a profile that inherited
anything could silently change under CI. Ours never inherit.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis.database import InMemoryExampleDatabase

PROFILE_NAMES: tuple[str, ...] = ("ci", "dev", "thorough")

# Health checks that flag slow or large *data generation*: exact Fractions on big cap tables are
# slow by design, and a failed health check is not a finding about the charter.
_SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
               HealthCheck.large_base_example, HealthCheck.function_scoped_fixture,
               HealthCheck.differing_executors, HealthCheck.nested_given]

_EXAMPLES = {"ci": 50, "dev": 100, "thorough": 1000}
_STEPS = {"ci": 12, "dev": 25, "thorough": 50}


def profile_settings(name: str) -> settings:
    """The settings object of a profile, with every setting stated."""
    if name not in _EXAMPLES:
        raise ValueError(f"--oracle-profile {name!r}: expected one of {', '.join(PROFILE_NAMES)}")
    return settings(
        max_examples=_EXAMPLES[name],
        # ci: same examples on every run, nothing remembered between runs, no wall-clock flakiness.
        derandomize=name == "ci",
        database=None if name == "ci" else InMemoryExampleDatabase(),
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
