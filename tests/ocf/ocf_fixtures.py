"""Shared helpers of the OCF tests: the fixture packages, and copies of them changed on purpose."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any, Callable

from _cli import run  # noqa: F401 -- the shared in-process runner, re-exported for the OCF tests

HERE = Path(__file__).parent
TWINS = HERE / "twins"
ACME = HERE / "samples" / "acme-holdings"
# The example-modern twin names Series A-1 differently: it is read with this class map.
CLASS_MAPS: dict[str, dict[str, str]] = {"example-modern": {"sc-example-modern-series-a1": "series_a1"}}



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


NVIDIA_CLASSES = [
    {"object_type": "STOCK_CLASS", "id": "cs", "name": "Common Stock", "class_type": "COMMON"},
    {"object_type": "STOCK_CLASS", "id": "a", "name": "Series A Preferred", "class_type": "PREFERRED"},
]


def write_package(folder: Path, txs: list[dict[str, Any]], people: list[tuple[str, str]],
                  classes: list[dict[str, Any]] | None = None, as_of: str = "1998-06-30") -> Path:
    """A small package for nvidia-1998 (common and Series A): stakeholders as (id, name), md5s sealed."""
    folder.mkdir(parents=True, exist_ok=True)
    documents = {
        "StockClasses.ocf.json": ("OCF_STOCK_CLASSES_FILE", classes or NVIDIA_CLASSES),
        "Stakeholders.ocf.json": ("OCF_STAKEHOLDERS_FILE", [
            {"object_type": "STAKEHOLDER", "id": sid, "name": {"legal_name": name}} for sid, name in people]),
        "Transactions.ocf.json": ("OCF_TRANSACTIONS_FILE", txs),
    }
    for name, (file_type, items) in documents.items():
        (folder / name).write_text(json.dumps({"file_type": file_type, "items": items}), encoding="utf-8")
    manifest = {"file_type": "OCF_MANIFEST_FILE", "ocf_version": "1.2.0", "as_of": as_of,
                "issuer": {"legal_name": "Test Co"},
                **{key: [{"filepath": name, "md5": ""}] for key, name in (
                    ("stock_classes_files", "StockClasses.ocf.json"), ("stakeholders_files", "Stakeholders.ocf.json"),
                    ("transactions_files", "Transactions.ocf.json"))}}
    (folder / "Manifest.ocf.json").write_text(json.dumps(manifest), encoding="utf-8")
    reseal(folder)
    return folder


def stock(tx: str, date: str, security: str, holder: str, class_id: str, quantity: str) -> dict[str, Any]:
    return {"object_type": "TX_STOCK_ISSUANCE", "id": tx, "date": date, "security_id": security,
            "stakeholder_id": holder, "stock_class_id": class_id, "quantity": quantity,
            "share_price": {"amount": "0.50", "currency": "USD"}}
