"""Binding interpretations to a charter file: declared alternatives, the chosen values, written in place.

A charter's ``[[interpretations]]`` declare settings its text leaves open; the global ones
(``oracle/interpretations.py``) apply to every charter. Each chosen value (or default) is written at the
setting's path in the raw file before the sections are read, so the section builders see one value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from charter_oracle.oracle.charter import InterpretationSpec
from charter_oracle.oracle.errors import CharterFormatError
from charter_oracle.oracle.interpretations import GLOBAL_INTERPRETATIONS, resolve
from charter_oracle.oracle.strict_table import StrictTable


def read_interpretations(root: StrictTable) -> list[InterpretationSpec]:
    """The charter's own interpretation specs followed by the global ones."""
    specs: list[InterpretationSpec] = []
    for t in root.tables("interpretations"):
        alternatives = t.strings("alternatives")
        default = t.string("default")
        if default not in alternatives:
            raise t.fail("default", f"{default!r} is not among the alternatives {alternatives}")
        spec_id = t.string("id")
        if any(spec.id == spec_id for spec in specs):
            raise t.fail("id", f"interpretation {spec_id!r} is declared twice")
        specs.append(InterpretationSpec(
            id=spec_id, cite=t.cite, question=t.string("question"), setting=t.string("setting"),
            default=default, alternatives=alternatives,
        ))
        t.close()
    for spec in GLOBAL_INTERPRETATIONS:
        if any(own.id == spec.id for own in specs):
            raise root.fail("interpretations", f"{spec.id!r} is a global interpretation; a charter cannot redeclare it")
    specs.extend(GLOBAL_INTERPRETATIONS)
    return specs


def bind(raw: dict[str, Any], specs: list[InterpretationSpec], chosen: Mapping[str, str], file: str) -> dict[str, str]:
    """Resolve each interpretation's value and write it into ``raw`` (in place); the values by id."""
    values = resolve(specs, chosen)
    for spec in specs:
        if spec.setting:
            _set_path(raw, spec.setting, values[spec.id], file)
    return values


def _set_path(raw: dict[str, Any], path: str, value: str, file: str) -> None:
    """Write an interpretation's value at its setting path (``series.<id>.`` reaches a series)."""
    parts = path.split(".")
    node: Any = raw
    if parts[0] == "series" and len(parts) > 2:
        for i, item in enumerate(raw.get("series", []) if isinstance(raw.get("series"), list) else []):
            found = item.get("id") if isinstance(item, dict) else None
            if isinstance(item, dict) and not (isinstance(found, str) and found.strip()):
                # the series table is validated later; name the bad id here rather than "no series"
                raise CharterFormatError(f"{file}: charter.series[{i}].id: expected a non-empty string, got {found!r}")
        matches = [s for s in raw.get("series", []) if isinstance(s, dict) and s.get("id") == parts[1]]
        if not matches:
            raise CharterFormatError(f"{file}: interpretation setting {path!r}: no series {parts[1]!r}")
        node, parts = matches[0], parts[2:]
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise CharterFormatError(f"{file}: interpretation setting {path!r} is not a table path")
    if parts[-1] in node:
        raise CharterFormatError(
            f"{file}: {path} is set in the file but also left to an interpretation; set it in one place"
        )
    node[parts[-1]] = value
