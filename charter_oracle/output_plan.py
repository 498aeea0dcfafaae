"""Planning where a report set goes: every destination checked before any work (``check``'s first step).

``plan`` validates ``--out``, ``--junit``, ``--write-baseline`` and ``GITHUB_STEP_SUMMARY`` (never a
pseudo file system, never charter-oracle's own source, never through a symbolic link; parents exist;
a real write is probed) and makes the private temporary directory beside ``--out`` that
``output.commit`` later swaps in. Bad option values are ``InputError`` (exit 2); a destination the
file system refuses is ``OutputError`` (exit 3).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from charter_oracle.oracle.charter_ids import ID_PATTERN
from charter_oracle.oracle.errors import InputError, OutputError

REPORT_SUFFIXES = (".md", ".json", ".svg")
INDEX = "index.md"
# Pseudo file systems: writing reports there is never meant.
_FORBIDDEN_ROOTS = ("/proc", "/sys", "/dev")


def quote_path(path: Path | str) -> str:
    return repr(str(path))


def _package_dirs() -> list[Path]:
    """The installed source of charter-oracle: reports must never be swapped in over it."""
    import charter_oracle
    import charter_oracle.invariants
    import charter_oracle.oracle
    import charter_oracle.solver

    return [Path(m.__file__).resolve().parent for m in (charter_oracle, charter_oracle.oracle,
                                                         charter_oracle.solver, charter_oracle.invariants)]


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def report_names(ids: list[str]) -> list[str]:
    """The file names of a report set; ids are re-checked so no name can leave the directory."""
    names = [INDEX]
    for charter_id in ids:
        if not ID_PATTERN.fullmatch(charter_id) or charter_id.lower() == "index":
            raise InputError(f"charter id {charter_id!r} cannot name a report file")
        names += [charter_id + suffix for suffix in REPORT_SUFFIXES]
    if len(set(names)) != len(names):
        raise InputError("two charters checked in one run have the same id: their reports would overwrite each other")
    return names


@dataclass
class Plan:
    """Where everything goes, checked before the run; the temporary directory already made."""

    out: Path  # absolute, final component not resolved
    temp: Path  # the private directory beside ``out`` that becomes ``out``
    junit: Path | None
    baseline: Path | None
    summary: Path | None
    names: list[str]
    temps: list[Path] = field(default_factory=list)  # temporary files beside junit/baseline

    def discard(self) -> None:
        """Remove everything temporary (any failure, any interrupt). Never raises."""
        shutil.rmtree(self.temp, ignore_errors=True)
        for temp in self.temps:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        self.temps.clear()


def _absolute(value: str, option: str) -> Path:
    if not value or not value.strip():
        raise InputError(f"{option}: an empty path")
    if "\x00" in value:
        raise InputError(f"{option}: a path with a NUL character")
    return Path(os.path.abspath(value))


def _check_out(out: Path) -> None:
    real_parent = Path(os.path.realpath(out.parent))
    real = real_parent / out.name
    for root in _FORBIDDEN_ROOTS:
        if _inside(real, Path(root)):
            raise InputError(f"--out {quote_path(out)}: {root} is not a place for reports")
    for package in _package_dirs():
        if _inside(real, package) or _inside(package, real):
            raise InputError(f"--out {quote_path(out)}: that is charter-oracle's own source")
    if out.name in ("", ".", ".."):
        raise InputError(f"--out {quote_path(out)}: name the report directory itself")
    try:
        parent = os.stat(out.parent)
    except FileNotFoundError:
        raise OutputError(f"--out {quote_path(out)}: the parent directory {quote_path(out.parent)} does not exist") from None
    except OSError as error:
        raise OutputError(f"--out {quote_path(out)}: cannot reach its parent directory ({error.strerror})") from None
    if not stat.S_ISDIR(parent.st_mode):
        raise OutputError(f"--out {quote_path(out)}: {quote_path(out.parent)} is not a directory")
    try:
        info = os.lstat(out)
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputError(f"--out {quote_path(out)}: cannot be examined ({error.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"--out {quote_path(out)}: is a symbolic link (it is never followed: give the directory itself)")
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(f"--out {quote_path(out)}: is a file, not a directory")
    try:
        entries = list(os.scandir(out))
    except OSError as error:
        raise OutputError(f"--out {quote_path(out)}: cannot be listed ({error.strerror})") from None
    for entry in entries:
        if not (entry.is_file(follow_symlinks=False) or entry.is_symlink()):
            raise OutputError(
                f"--out {quote_path(out)}: holds {entry.name!r}, which is not a file; a report directory holds reports "
                "and plain files only (it is replaced as a whole)"
            )


def _check_file_destination(path: Path, option: str) -> None:
    """A file destination: an existing directory as parent, not itself a directory; probed by a real write."""
    try:
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{option} {quote_path(path)}: is a directory")
    except FileNotFoundError:
        pass
    except OSError as error:
        raise OutputError(f"{option} {quote_path(path)}: cannot be examined ({error.strerror})") from None
    if not os.path.isdir(path.parent):
        raise OutputError(f"{option} {quote_path(path)}: the directory {quote_path(path.parent)} does not exist")


def _probe(directory: Path, option: str, path: Path) -> None:
    """Can a file be created there? (``os.access`` says yes to root on a read-only mount.)"""
    try:
        fd, name = tempfile.mkstemp(prefix=".charter-oracle-probe-", dir=directory)
        os.close(fd)
        os.unlink(name)
    except OSError as error:
        raise OutputError(f"{option} {quote_path(path)}: cannot write in {quote_path(directory)} ({error.strerror})") from None


def plan(out: str, ids: list[str], junit: str | None, baseline: str | None,
         environ: Mapping[str, str] | None = None) -> Plan:
    """Check every destination before any work; make the private temporary directory beside ``--out``."""
    environ = os.environ if environ is None else environ
    names = report_names(ids)
    out_path = _absolute(out, "--out")
    _check_out(out_path)
    real_out = Path(os.path.realpath(out_path.parent)) / out_path.name
    files: dict[str, Path] = {}
    for option, value in (("--junit", junit), ("--write-baseline", baseline)):
        if value is None:
            continue
        path = _absolute(value, option)
        real = Path(os.path.realpath(path.parent)) / path.name
        if real == real_out:
            raise InputError(f"{option} {quote_path(path)}: is the report directory itself")
        if real.parent == real_out and path.name in names:
            raise InputError(f"{option} {quote_path(path)}: would overwrite the report file {path.name!r}")
        if real in files.values():
            raise InputError(f"{option} {quote_path(path)}: is also the destination of another option")
        if real.parent != real_out:  # a file inside --out is written into the new report set
            _check_file_destination(path, option)
            _probe(path.parent, option, path)
        files[option] = real
    summary = None
    if environ.get("GITHUB_STEP_SUMMARY"):
        summary = _absolute(environ["GITHUB_STEP_SUMMARY"], "GITHUB_STEP_SUMMARY")
        _check_file_destination(summary, "GITHUB_STEP_SUMMARY")
        try:  # appended to, as GitHub expects; opening it for append creates nothing harmful
            with open(summary, "a", encoding="utf-8"):
                pass
        except OSError as error:
            raise OutputError(f"GITHUB_STEP_SUMMARY {quote_path(summary)}: cannot be appended to ({error.strerror})") from None
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{out_path.name}.new-", dir=out_path.parent))
    except OSError as error:
        raise OutputError(f"--out {quote_path(out_path)}: cannot write in {quote_path(out_path.parent)} ({error.strerror})") from None
    return Plan(out_path, temp, files.get("--junit"), files.get("--write-baseline"), summary, names)
