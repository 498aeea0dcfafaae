"""Reading and validating charter files (TOML) into the ``Charter`` model.

Validation is strict: an unknown key, a missing ``cite``, a wrong type or an
inconsistent value is a ``CharterFormatError`` naming the file, the key and the
value. The format is documented in ``docs/charter-format.md``. How a key is read
is ``oracle/strict_table.py``; what each section holds is ``oracle/sections/``;
interpretations are bound by ``oracle/interpretation_binding.py``; this module
assembles the charter and checks what spans sections.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from charter_oracle.oracle import bundled
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_ids import ID_PATTERN, RESERVED_IDS, check_id
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.input_files import read_toml_file
from charter_oracle.oracle.interpretation_binding import bind, read_interpretations
from charter_oracle.oracle.naming import did_you_mean
from charter_oracle.oracle.sections.classes import read_common, read_preferred, read_series
from charter_oracle.oracle.sections.consents import read_consent
from charter_oracle.oracle.sections.conversion import read_conversion
from charter_oracle.oracle.sections.dilution import read_dilution
from charter_oracle.oracle.sections.dividends import read_dividends
from charter_oracle.oracle.sections.liquidation import read_liquidation
from charter_oracle.oracle.sections.pay_to_play import check_converts_to
from charter_oracle.oracle.sections.voting import read_voting
from charter_oracle.oracle.strict_table import StrictTable
from charter_oracle.oracle.todo_entries import refuse_todo_entries

__all__ = ["ID_PATTERN", "RESERVED_IDS", "build_charter", "charter_path", "check_id", "load_charter", "read_toml"]


def build_charter(raw: Mapping[str, Any], file: str, chosen: Mapping[str, str] | None = None) -> Charter:
    """Validate a parsed charter file and build the model, with interpretations applied."""
    raw = copy.deepcopy(dict(raw))
    root = StrictTable(raw, "charter", file, cited=False)
    fmt = root.value("format")
    if type(fmt) is not int or fmt != 1:  # ``true == 1`` in Python: a boolean is not a format number
        raise root.fail("format", f"expected format = 1, got {fmt!r}")
    specs = read_interpretations(root)
    values = bind(raw, specs, chosen or {}, file)
    root = StrictTable(raw, "charter", file, cited=False)
    root.mark_read("format", "interpretations")

    common = read_common(root.table("common"))
    series = tuple(read_series(t, common.id) for t in root.tables("series"))
    ids = [s.id for s in series]
    if len(set(ids)) != len(ids):
        raise root.fail("series", f"duplicate series id in {ids}")
    class_ids = {common.id, *ids}
    check_converts_to(root, series, class_ids)
    preferred_authorized, preferred_cite = read_preferred(root.table("preferred", required=bool(series)), common.cite)
    designated = sum(s.designated for s in series)
    if designated > preferred_authorized:
        raise root.fail("series", f"designated shares {designated} exceed authorized preferred {preferred_authorized}")

    liquidation = read_liquidation(root.table("liquidation"))
    conversion = read_conversion(root.table("conversion"), class_ids)
    dil_t = root.table("dilution", required=False)
    dilution = read_dilution(dil_t, set(ids)) if dil_t is not None else None
    if dilution is None and any(s.dilution.method != "none" for s in series):
        raise root.fail("dilution", "a series has a weighted-average adjustment but the charter has no [dilution]")

    voting = read_voting(root.table("voting"))
    dividends = read_dividends(root.table("dividends"))
    consents = tuple(read_consent(t, class_ids) for t in root.tables("consents"))
    consent_ids = [rule.id for rule in consents]
    if len(set(consent_ids)) != len(consent_ids):
        raise root.fail("consents", f"duplicate consent id in {consent_ids}")

    charter = Charter(
        id=check_id(root.string("id"), f"{file}: charter.id"), name=root.string("name"), date=root.date("date"),
        source=root.string("source"),
        common=common, preferred_authorized=preferred_authorized, preferred_cite=preferred_cite,
        series=series, liquidation=liquidation, conversion=conversion, dilution=dilution, voting=voting,
        dividends=dividends, consents=consents, interpretations=tuple(specs),
        chosen=tuple(sorted(values.items())),
    )
    root.close()
    return charter


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a TOML input file: a bounded regular file (``input_files``), every problem one clear line."""
    return read_toml_file(path, what)


def charter_path(name_or_path: str) -> Path:
    """A bundled charter id, or a path to a charter file."""
    bundled_path = bundled.charter_file(name_or_path)
    if bundled_path is not None:
        return bundled_path
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        return path
    raise InputError(
        f"charter {name_or_path!r}: not a bundled charter{did_you_mean(name_or_path, bundled.CHARTER_IDS)} "
        f"({', '.join(bundled.CHARTER_IDS)}) nor a file"
    )


def load_charter(name_or_path: str, chosen: Mapping[str, str] | None = None) -> Charter:
    """Load a bundled charter by id, or a user's charter file by path."""
    path = charter_path(name_or_path)
    raw = read_toml(path, "charter")
    refuse_todo_entries(raw, str(path))  # a skeleton from `init --from-ocf` is not a charter yet
    return build_charter(raw, str(path), chosen)

