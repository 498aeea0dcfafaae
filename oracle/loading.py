"""Loading a charter together with its cap table: the one place every command and API call does it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import CapTable, load_cap_table
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import InputError


def load_with_table(charter: str, cap_table: str | Path | None = None,
                    interpret: Mapping[str, str] | None = None) -> tuple[Charter, CapTable]:
    """A bundled charter id or a charter file's path, with its cap table (default: the bundled reference)."""
    loaded, table = load_with_optional_table(charter, cap_table, interpret)
    if table is None:
        raise InputError(f"charter {charter!r} is not bundled: give its cap table with --cap-table FILE")
    return loaded, table


def load_with_optional_table(charter: str, cap_table: str | Path | None = None,
                             interpret: Mapping[str, str] | None = None) -> tuple[Charter, CapTable | None]:
    """The same, for uses that can do without a cap table (the invariant suite generates its own)."""
    loaded = load_charter(charter, dict(interpret or {}))
    path = cap_table if cap_table is not None else bundled.reference_cap_table(charter)
    return loaded, (load_cap_table(path, loaded) if path is not None else None)
