"""Charter ids: a charter id names its report files, so it must be a safe file name everywhere."""

from __future__ import annotations

import re

from charter_oracle.oracle.errors import CharterFormatError

# A charter id names its report files (``<id>.md``, ``<id>.json``, ``<id>.svg``): letters, digits,
# '.', '_' and '-', starting with a letter or digit, at most 64 characters; "index" is the index's.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", re.ASCII)
RESERVED_IDS = ("index",)


def check_id(value: str, what: str) -> str:
    """A charter id safe as a file name on every system (documented in docs/charter-format.md)."""
    if not ID_PATTERN.fullmatch(value) or value.lower() in RESERVED_IDS:
        raise CharterFormatError(
            f"{what}: {value!r} is not a charter id (letters, digits, '.', '_', '-', starting with a letter or "
            f"digit, at most 64 characters, not 'index')"
        )
    return value
