"""Loading a charter together with its cap table: the one place every command and API call does it.

A cap table is a TOML file, or an Open Cap Table Format package (a ``.ocf.zip``, a directory
holding ``Manifest.ocf.json``, or the manifest itself: ``oracle/ocf``), told apart by the
path's shape. ``class_map`` is for OCF packages only; ``as_of`` (``--date``) is the date the table is taken
at: an OCF package is replayed up to it, a TOML table's accruals run to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import CapTable, load_cap_table, on_date
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.ocf import is_ocf_path, load_ocf_cap_table


def load_with_table(charter: str, cap_table: str | Path | None = None,
                    interpret: Mapping[str, str] | None = None, class_map: Mapping[str, str] | None = None,
                    as_of: dt.date | None = None) -> tuple[Charter, CapTable]:
    """A bundled charter id or a charter file's path, with its cap table (default: the bundled reference)."""
    loaded, table = load_with_optional_table(charter, cap_table, interpret, class_map, as_of)
    if table is None:
        raise InputError(f"charter {charter!r} is not bundled: give its cap table with --cap-table FILE")
    return loaded, table


def load_with_optional_table(charter: str, cap_table: str | Path | None = None,
                             interpret: Mapping[str, str] | None = None, class_map: Mapping[str, str] | None = None,
                             as_of: dt.date | None = None) -> tuple[Charter, CapTable | None]:
    """The same, for uses that can do without a cap table (the invariant suite generates its own)."""
    loaded = load_charter(charter, dict(interpret or {}))
    path = cap_table if cap_table is not None else bundled.reference_cap_table(charter)
    if path is None:
        return loaded, None
    return loaded, load_any_cap_table(path, loaded, class_map, as_of)


def load_any_cap_table(path: str | Path, charter: Charter, class_map: Mapping[str, str] | None = None,
                       as_of: dt.date | None = None) -> CapTable:
    """A TOML cap table or an OCF package, by the path's shape."""
    if is_ocf_path(path):
        return load_ocf_cap_table(path, charter, class_map, as_of)
    if class_map:
        raise InputError(f"--class-map applies to an OCF package; {str(path)!r} is a TOML cap table")
    table = load_cap_table(path, charter)
    # A TOML table states its positions at its as_of; another date moves what accrues (cumulative dividends,
    # interest legs) to that date.
    return on_date(table, as_of) if as_of is not None else table
