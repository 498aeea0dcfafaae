"""The bundled charters and their reference cap tables (data files beside this module)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
CHARTER_IDS: tuple[str, ...] = ("byzantine-1999", "infinity-1996", "nvidia-1998", "example-modern", "nvca-style")


def charter_file(charter_id: str) -> Path | None:
    """The charter file of a bundled charter, or None if the id is not bundled."""
    return HERE / f"{charter_id}.toml" if charter_id in CHARTER_IDS else None


def reference_cap_table(charter_id: str) -> Path | None:
    """The reference cap table shipped with a bundled charter."""
    return HERE / f"{charter_id}.cap-table.toml" if charter_id in CHARTER_IDS else None
