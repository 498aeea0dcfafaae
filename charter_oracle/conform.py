"""Checking an engine in any language against the oracle on one charter (the API of ``charter-oracle conform``).

    import charter_oracle as co
    result = co.conform("example-modern", engine_cmd="node examples/node_engine.js")
    result.ok                 # True when distribute and votes agree everywhere tried
    print(result.text())      # the first difference, classes first, with its clause and a replay command

The engine is started once and spoken to over the subprocess protocol (docs/engine-protocol.md);
the check is the plugin's ``--charter-impl`` check (probes, Hypothesis under ``profile``,
a minimized counterexample), so a failure reads the same as there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHECKS = ("distribute", "votes")


@dataclass(frozen=True)
class ConformResult:
    charter: str
    engine: str
    reports: tuple[tuple[str, dict[str, Any] | None], ...]  # (check, None when it agrees, else the failure report)

    @property
    def ok(self) -> bool:
        return all(report is None for _, report in self.reports)

    def text(self) -> str:
        from charter_oracle.invariants.impl_check import render

        lines = []
        for what, report in self.reports:
            lines.append(f"{what}: agrees with charter-oracle on {self.charter}" if report is None else render(report))
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"charter": self.charter, "engine": self.engine, "ok": self.ok,
                "checks": {what: ("agrees" if report is None else report) for what, report in self.reports}}


def conform(charter: str | Path, engine_cmd: str, *, cap_table: str | Path | None = None,
            interpret: Mapping[str, str] | None = None, profile: str = "ci", rounding: str = "exact",
            timeout: float = 10.0, out: Path | None = None) -> ConformResult:
    """Check the engine behind ``engine_cmd`` against the oracle on ``charter`` (distribute, then votes)."""
    from charter_oracle.invariants.engine_process import ProcessEngine
    from charter_oracle.invariants.impl_check import Target, check
    from charter_oracle.invariants.impl_compare import ROUNDINGS
    from charter_oracle.oracle.errors import InputError
    from charter_oracle.oracle.loading import load_with_table

    if rounding not in ROUNDINGS:
        raise InputError(f"rounding {rounding!r}: expected one of {', '.join(ROUNDINGS)}")
    if profile not in ("ci", "dev", "thorough"):
        raise InputError(f"profile {profile!r}: expected ci, dev or thorough")
    loaded, table = load_with_table(str(charter), cap_table, interpret)
    target = Target(str(charter), loaded, table, profile, rounding, out)
    with ProcessEngine(engine_cmd, timeout).start() as engine:
        reports = tuple((what, check(engine, engine_cmd, what, target)) for what in CHECKS)
    return ConformResult(loaded.id, engine_cmd, reports)


__all__ = ["ConformResult", "conform"]
