"""``check``'s ``data-consistency`` rows: an OCF package's class terms against the charter.

One row per disagreement (``oracle/ocf/cross_check.py``), each a finding that names both
values and the charter clause; like every finding it fails the run until a baseline
accepts it. A TOML cap table (or none) gives no rows: it carries no terms to compare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from charter_oracle.oracle.charter import Charter

ID = "data-consistency"
STATEMENT = "the OCF package's class terms agree with the charter (the waterfall follows the charter)"


def consistency_rows(charter: Charter, cap_table: str | Path | None, class_map: Mapping[str, str] | None = None,
                     as_of: dt.date | None = None) -> list[dict[str, Any]]:
    from charter_oracle.oracle.ocf import import_package, is_ocf_path
    from charter_oracle.oracle.ocf.cross_check import cross_check

    if cap_table is None or not is_ocf_path(cap_table):
        return []
    found = cross_check(import_package(cap_table, charter, class_map, as_of), charter)
    return [{"id": ID, "statement": STATEMENT, "kind": "data-consistency", "clauses": d.cite, "verdict": "finding",
             "detail": d.message, "counterexample": None, "examples": 0, "exercised": 0} for d in found]
