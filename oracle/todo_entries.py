"""Charter files with ``TODO`` entries are refused, all of them named in one line.

``charter-oracle init --from-ocf`` writes a skeleton in which every term an OCF package
cannot say (participation without a cap, dividends, anti-dilution, consents, automatic
conversion, deemed liquidation, every clause cite) is a string starting with ``TODO``.
Nobody should run on a half-written charter by accident: until each is replaced (or the
key deleted, where the charter has no such clause) the charter does not load.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from charter_oracle.oracle.errors import CharterFormatError

MARK = "TODO"


def todo_entries(raw: Any, path: str = "") -> list[str]:
    """Dotted paths of every string value that starts with TODO (series and consents named by id)."""
    if isinstance(raw, str):
        return [path or "(top)"] if raw.lstrip().startswith(MARK) else []
    if isinstance(raw, Mapping):
        found = []
        for key, value in raw.items():
            found += todo_entries(value, f"{path}.{key}" if path else str(key))
        return found
    if isinstance(raw, list):
        found = []
        for i, value in enumerate(raw):
            name = value.get("id") if isinstance(value, Mapping) else None
            label = name if isinstance(name, str) and name and not name.startswith(MARK) else str(i)
            found += todo_entries(value, f"{path}.{label}")
        return found
    return []


def refuse_todo_entries(raw: Mapping[str, Any], where: str) -> None:
    found = todo_entries(raw)
    if found:
        raise CharterFormatError(f"{where}: {len(found)} TODO entr{'y' if len(found) == 1 else 'ies'} to fill in "
                                 f"(or delete where the charter has no such clause) before it can be used: "
                                 + ", ".join(found))
