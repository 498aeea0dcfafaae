"""Shared helpers of the OCF tests: the fixture packages, and copies of them changed on purpose."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any, Callable

import pytest

from charter_oracle.cli import main

HERE = Path(__file__).parent
TWINS = HERE / "twins"
ACME = HERE / "samples" / "acme-holdings"
# The example-modern twin names Series A-1 differently: it is read with this class map.
CLASS_MAPS: dict[str, dict[str, str]] = {"example-modern": {"sc-example-modern-series-a1": "series_a1"}}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``charter-oracle ARGV...`` in-process: status, stdout, stderr."""
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def copy_package(source: Path, into: Path) -> Path:
    target = into / source.name
    shutil.copytree(source, target)
    return target


def reseal(folder: Path) -> None:
    """Recompute every md5 the manifest lists (after a deliberate change to a file)."""
    manifest_path = folder / "Manifest.ocf.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for key, entries in manifest.items():
        if key.endswith("_files"):
            for entry in entries:
                entry["md5"] = hashlib.md5((folder / entry["filepath"]).read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def changed(source: Path, into: Path, file: str, change: Callable[[list[dict[str, Any]]], None],
            seal: bool = True) -> Path:
    """A copy of ``source`` whose ``file``'s items went through ``change``; md5s resealed unless told not to."""
    folder = copy_package(source, into)
    path = folder / file
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["items"])
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if seal:
        reseal(folder)
    return folder


def item(items: list[dict[str, Any]], object_id: str) -> dict[str, Any]:
    return next(i for i in items if i["id"] == object_id)


def zipped(folder: Path, into: Path, prefix: str = "") -> Path:
    archive = into / f"{folder.name}.ocf.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.iterdir()):
            z.write(path, prefix + path.name)
    return archive
