"""``check --merge DIR...``: the reports of several CI jobs (one charter or shard each) as one report set.

A thorough nightly run across many charters belongs on the CI system's own parallelism:
a matrix job per charter writes its reports, and a last job merges them into one index
and one exit status. Nothing is re-run: the merge reads each ``<charter>.json`` (the
per-charter report, which records whether that charter failed under the baseline its
job was given) and takes the charter's ``.md``, ``.json`` and ``.svg`` as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charter_oracle.oracle.errors import InputError

REPORT_KEYS = frozenset({"charter", "invariants", "failed"})


@dataclass(frozen=True)
class ShardReport:
    """One charter's report as a job wrote it."""

    charter: str
    directory: Path
    data: dict[str, Any]

    @property
    def failed(self) -> bool:
        return bool(self.data.get("failed"))

    def files(self) -> dict[str, bytes]:
        out = {}
        for suffix in (".md", ".json", ".svg"):
            path = self.directory / f"{self.charter}{suffix}"
            if path.is_file():
                out[path.name] = path.read_bytes()
        return out


def read_shards(directories: list[str]) -> list[ShardReport]:
    """Every charter report in the directories; a directory without one, or a charter twice, is refused."""
    found: dict[str, ShardReport] = {}
    for name in directories:
        directory = Path(name)
        if not directory.is_dir():
            raise InputError(f"--merge {name!r}: not a directory")
        reports = []
        for path in sorted(directory.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise InputError(f"--merge {str(path)!r}: not a readable report ({type(error).__name__})") from None
            if not isinstance(data, dict) or not REPORT_KEYS <= set(data) or f"{data['charter']}.json" != path.name:
                continue  # e.g. a baseline or another tool's file beside the reports
            reports.append(ShardReport(data["charter"], directory, data))
        if not reports:
            raise InputError(f"--merge {name!r}: holds no charter report (<charter>.json written by check)")
        for report in reports:
            if report.charter in found:
                raise InputError(f"--merge: charter {report.charter!r} is in both {str(found[report.charter].directory)!r} "
                                 f"and {name!r}")
            found[report.charter] = report
    return [found[c] for c in sorted(found)]
