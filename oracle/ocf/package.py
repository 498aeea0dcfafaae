"""Reading an Open Cap Table Format package safely: where it is, its manifest, its files and their md5.

A package is given as a ``.ocf.zip`` (or ``.zip``) archive, a directory holding
``Manifest.ocf.json``, or that manifest file itself; detection is by path shape
(``is_ocf_path``), everything else is a TOML cap table. The manifest lists the
package's files with their md5; every listed file is read and its md5 verified
before anything is parsed.

Reading is bounded in the spirit of ``input_files``: the archive is at most
``MAX_ARCHIVE_BYTES`` and read through ``read_input_bytes`` (no FIFO, device or
directory); each file at most ``MAX_FILE_BYTES`` and the package
``MAX_PACKAGE_BYTES`` in all, counted on the *decompressed* bytes as they are
read (a zip's declared sizes are never trusted: a zip bomb stops at the limit);
at most ``MAX_ARCHIVE_MEMBERS`` members. Nothing is ever extracted: a listed
path is looked up by name, and a path that is absolute, has a ``..`` part or a
backslash, or (in a directory) resolves outside the package, is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charter_oracle.oracle.errors import CapTableError, InputError
from charter_oracle.oracle.input_files import MAX_DIGIT_RUN, read_input_bytes

MANIFEST_NAME = "Manifest.ocf.json"
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
# A 10,000-stakeholder package's transactions file is about 5 MB; 32 MiB leaves room, 64 MiB bounds the whole.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_PACKAGE_BYTES = 64 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 10_000

# The manifest's file lists, in the order their files are read; the kinds parsed are the first three.
FILE_LISTS = ("stock_classes_files", "stakeholders_files", "transactions_files", "stock_plans_files",
              "stock_legend_templates_files", "vesting_terms_files", "vesting_schedules_files", "valuations_files",
              "financings_files", "documents_files")
FILE_TYPES = {"stock_classes_files": "OCF_STOCK_CLASSES_FILE", "stakeholders_files": "OCF_STAKEHOLDERS_FILE",
              "transactions_files": "OCF_TRANSACTIONS_FILE"}


class JsonFloat(str):
    """A JSON number written with a fraction or exponent, kept as its text so the field can be refused by name."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _bounded_int(text: str) -> int:
    # A JSON integer of thousands of digits: refused before int() is asked to build it.
    if len(text) > MAX_DIGIT_RUN:
        raise ValueError(f"an integer of more than {MAX_DIGIT_RUN} digits")
    return int(text)


def is_ocf_path(path: str | Path) -> bool:
    """An OCF package by its path's shape: an archive, a manifest, or a directory holding one."""
    text = str(path)
    lowered = text.lower()
    if lowered.endswith(".zip") or Path(text).name.lower() == MANIFEST_NAME.lower():
        return True
    try:
        return os.path.isdir(text) and os.path.isfile(os.path.join(text, MANIFEST_NAME))
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class PackageFile:
    """One listed file, read, verified and parsed."""

    path: str  # as the manifest lists it, normalized (no leading ./)
    kind: str  # the manifest list it comes from, e.g. "transactions_files"
    items: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Package:
    where: str  # "OCF package '<path>'": the start of every message about it
    manifest: dict[str, Any]
    files: tuple[PackageFile, ...]

    def of_kind(self, kind: str) -> tuple[PackageFile, ...]:
        return tuple(f for f in self.files if f.kind == kind)


class _Budget:
    """The package's decompressed bytes, counted as they are read."""

    def __init__(self, where: str) -> None:
        self.where, self.used = where, 0

    def take(self, size: int) -> None:
        self.used += size
        if self.used > MAX_PACKAGE_BYTES:
            raise CapTableError(f"{self.where}: over the {MAX_PACKAGE_BYTES}-byte limit for a package's files in all")


def _safe_member(listed: object, where: str, at: str) -> str:
    """A listed path as a relative POSIX path inside the package, or a refusal."""
    if not isinstance(listed, str) or not listed.strip():
        raise CapTableError(f"{where}: {MANIFEST_NAME}: {at}.filepath: expected a relative path, got {listed!r}")
    if "\\" in listed or "\x00" in listed or listed.startswith("/") or (len(listed) > 1 and listed[1] == ":"):
        raise CapTableError(f"{where}: {MANIFEST_NAME}: {at}.filepath {listed!r}: not a relative path inside the package")
    parts = [p for p in listed.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise CapTableError(f"{where}: {MANIFEST_NAME}: {at}.filepath {listed!r}: not a relative path inside the package")
    return "/".join(parts)


def parse_json(data: bytes, where: str) -> Any:
    """Strict JSON: UTF-8; no NaN or Infinity; no integer over 200 digits; floats kept as ``JsonFloat``
    text for the field to refuse by name. Nesting needs no scan first: the decoder raises RecursionError
    past Python's recursion limit, refused here like any malformed JSON."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CapTableError(f"{where}: not UTF-8 text") from None
    try:
        return json.loads(text, parse_float=JsonFloat, parse_int=_bounded_int, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        detail = f" ({error.msg}, line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise CapTableError(f"{where}: malformed JSON{detail}") from None


class _Source:
    """Files of a package by their path relative to the manifest: a directory's or an archive's."""

    def __init__(self, where: str, manifest: str, read: Callable[[str, int], bytes]) -> None:
        self.where, self.manifest, self._read = where, manifest, read

    def read(self, relative: str, limit: int) -> bytes:
        return self._read(relative, limit)


def _directory_source(root: Path, where: str, manifest: str = MANIFEST_NAME) -> _Source:
    base = root.resolve()

    def read(relative: str, limit: int) -> bytes:
        path = root / relative
        try:
            inside = path.resolve().is_relative_to(base)
        except (OSError, RuntimeError):
            inside = False
        if not inside:  # a symbolic link out of the package
            raise CapTableError(f"{where}: {relative}: resolves outside the package directory")
        try:
            return read_input_bytes(path, "file", limit)
        except InputError as error:
            raise CapTableError(f"{where}: {relative}: {_reason(str(error))}") from None

    return _Source(where, manifest, read)


def _reason(message: str) -> str:
    """The end of an input_files message ("file 'x': no such file" -> "no such file")."""
    return message.split(": ", 1)[1] if ": " in message else message


def _archive_source(path: Path, where: str) -> _Source:
    try:
        data = read_input_bytes(path, "OCF package", MAX_ARCHIVE_BYTES)
    except InputError as error:
        raise CapTableError(str(error)) from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError):
        raise CapTableError(f"{where}: not a readable zip archive") from None
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise CapTableError(f"{where}: {len(infos)} members is over the {MAX_ARCHIVE_MEMBERS}-member limit")
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = posixpath.normpath(info.filename.replace("\\", "/")).lstrip("/")
        if name in members:
            raise CapTableError(f"{where}: two members named {name!r}")
        members[name] = info
    manifests = sorted(n for n in members if posixpath.basename(n).lower() == MANIFEST_NAME.lower())
    if len(manifests) != 1:
        found = "none" if not manifests else ", ".join(manifests)
        raise CapTableError(f"{where}: expected exactly one {MANIFEST_NAME} in the archive, found {found}")
    folder = posixpath.dirname(manifests[0])

    def read(relative: str, limit: int) -> bytes:
        name = posixpath.join(folder, relative) if folder else relative
        if relative == MANIFEST_NAME:
            name = manifests[0]
        info = members.get(name)
        if info is None:
            raise CapTableError(f"{where}: {relative}: listed in the manifest but not in the archive")
        try:
            with archive.open(info) as member:
                content = member.read(limit + 1)  # decompresses at most limit + 1 bytes, whatever the header says
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError, EOFError, OSError, zlib.error):
            raise CapTableError(f"{where}: {relative}: cannot be read from the archive (damaged, encrypted or an "
                                "unsupported compression)") from None
        if len(content) > limit:
            raise CapTableError(f"{where}: {relative}: over the {limit}-byte limit for a package file")
        return content

    return _Source(where, MANIFEST_NAME, read)


def _locate(path: Path) -> _Source:
    where = f"OCF package {str(path)!r}"
    if str(path).lower().endswith(".zip"):
        return _archive_source(path, where)
    if path.name.lower() == MANIFEST_NAME.lower():
        return _directory_source(path.parent, where, path.name)
    return _directory_source(path, where)


def read_package(path: str | Path) -> Package:
    """The manifest and every listed file, md5-verified; the three kinds charter-oracle uses parsed."""
    path = Path(path)
    source = _locate(path)
    where = source.where
    budget = _Budget(where)
    raw = source.read(source.manifest, MAX_FILE_BYTES)
    budget.take(len(raw))
    manifest = parse_json(raw, f"{where}: {MANIFEST_NAME}")
    if not isinstance(manifest, dict) or manifest.get("file_type") != "OCF_MANIFEST_FILE":
        raise CapTableError(f"{where}: {MANIFEST_NAME}: not an OCF manifest (file_type is not OCF_MANIFEST_FILE)")
    files = []
    seen: set[str] = set()
    for kind in FILE_LISTS:
        listed = manifest.get(kind, [])
        if not isinstance(listed, list):
            raise CapTableError(f"{where}: {MANIFEST_NAME}: {kind}: expected a list of files, got {listed!r}")
        for i, entry in enumerate(listed):
            at = f"{kind}[{i}]"
            if not isinstance(entry, dict):
                raise CapTableError(f"{where}: {MANIFEST_NAME}: {at}: expected filepath and md5, got {entry!r}")
            relative = _safe_member(entry.get("filepath"), where, at)
            if relative in seen:
                raise CapTableError(f"{where}: {MANIFEST_NAME}: {at}: {relative} is listed twice")
            seen.add(relative)
            expected = entry.get("md5")
            if not isinstance(expected, str) or len(expected) != 32:
                raise CapTableError(f"{where}: {relative}: the manifest's md5 is {expected!r}, not 32 hex digits")
            data = source.read(relative, MAX_FILE_BYTES)
            budget.take(len(data))
            actual = hashlib.md5(data).hexdigest()
            if actual != expected.lower():
                raise CapTableError(f"{where}: {relative}: bad md5: the file's is {actual}, the manifest says "
                                    f"{expected} (the file changed or the manifest is stale)")
            if kind in FILE_TYPES:
                files.append(PackageFile(relative, kind, _items(parse_json(data, f"{where}: {relative}"),
                                                                FILE_TYPES[kind], f"{where}: {relative}")))
    return Package(where, manifest, tuple(files))


def _items(document: Any, file_type: str, where: str) -> tuple[dict[str, Any], ...]:
    if not isinstance(document, dict) or document.get("file_type") != file_type:
        raise CapTableError(f"{where}: expected an {file_type} (file_type), got "
                            f"{document.get('file_type') if isinstance(document, dict) else type(document).__name__!r}")
    items = document.get("items")
    if not isinstance(items, list):
        raise CapTableError(f"{where}: items: expected a list of objects")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise CapTableError(f"{where}: items[{i}]: expected an object, got {type(item).__name__}")
    return tuple(items)
