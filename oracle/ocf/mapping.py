"""Which charter class an OCF stock class is, and what each stakeholder is called.

Classes: ``--class-map OCF_CLASS=CHARTER_CLASS`` first (the OCF side by id or name),
else the charter class whose ``id`` or ``name`` equals the OCF class's ``id`` or
``name``, compared case-insensitively. No match, or two, is refused.

Holders: a stakeholder is its legal name; two stakeholders of one name are told
apart as ``Name (stakeholder id)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import CapTableError, InputError
from charter_oracle.oracle.ocf.models import Stakeholder, StockClass


def parse_class_map(values: Iterable[str]) -> dict[str, str]:
    """``--class-map`` values ``OCF_CLASS_ID=CHARTER_CLASS_ID`` (repeatable) as a mapping."""
    out: dict[str, str] = {}
    for value in values:
        left, sep, right = value.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise InputError(f"--class-map {value!r}: expected OCF_CLASS_ID=CHARTER_CLASS_ID")
        key = left.strip()
        if key in out:
            raise InputError(f"--class-map {key!r} is given twice")
        out[key] = right.strip()
    return out


def _names(*values: str) -> set[str]:
    return {v.casefold() for v in values if v}


def map_classes(classes: Sequence[StockClass], charter: Charter, class_map: Mapping[str, str],
                where: str) -> dict[str, str]:
    """OCF class id -> charter class id, for every OCF class that maps (explicitly or by name/id)."""
    charter_names = [(charter.common.id, _names(charter.common.id, charter.common.name))]
    charter_names += [(s.id, _names(s.id, s.name)) for s in charter.series]
    known = set(charter.class_ids)
    explicit: dict[str, str] = {}
    for key, target in class_map.items():
        matches = [c for c in classes if c.id == key] or [c for c in classes if key.casefold() in _names(c.id, c.name)]
        if not matches:
            raise CapTableError(f"{where}: --class-map {key}={target}: the package has no stock class {key!r} "
                                f"(its classes: {', '.join(c.id for c in classes)})")
        if target not in known:
            raise CapTableError(f"{where}: --class-map {key}={target}: {target!r} is not a class of {charter.id} "
                                f"(classes: {', '.join(charter.class_ids)})")
        for c in matches:
            explicit[c.id] = target
    mapping = {}
    for c in classes:
        if c.id in explicit:
            mapping[c.id] = explicit[c.id]
            continue
        wanted = _names(c.id, c.name)
        hits = [cid for cid, names in charter_names if names & wanted]
        if len(hits) > 1:
            raise CapTableError(f"{c.where}: stock class {c.name!r} matches several classes of {charter.id} "
                                f"({', '.join(hits)}); choose one with --class-map {c.id}=CLASS")
        if hits:
            mapping[c.id] = hits[0]
    return mapping


def require_mapped(used: Iterable[str], mapping: Mapping[str, str], classes: Mapping[str, StockClass],
                   charter: Charter) -> None:
    for class_id in sorted(used):
        if class_id not in mapping:
            c = classes[class_id]
            raise CapTableError(f"{c.where}: stock class {c.name!r} is not a class of {charter.id} by name or id "
                                f"(classes: {', '.join(charter.class_ids)}); map it with --class-map {c.id}=CLASS "
                                "(unmapped class)")


def holder_names(stakeholders: Sequence[Stakeholder]) -> dict[str, str]:
    """Stakeholder id -> holder name; a shared name gets the id in parentheses."""
    counts: dict[str, int] = {}
    for s in stakeholders:
        counts[s.name] = counts.get(s.name, 0) + 1
    return {s.id: s.name if counts[s.name] == 1 else f"{s.name} ({s.id})" for s in stakeholders}
