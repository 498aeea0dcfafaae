"""Writing the report set: complete or not at all, and only where asked.

``check`` validates every destination *before* any work (``plan``), computes
everything, writes the whole report set into a fresh, private, uniquely named
directory beside ``--out`` (created by ``plan``), and only then swaps it in
(``commit``):

* the new directory replaces ``--out`` in one atomic exchange (``renameat2`` with
  ``RENAME_EXCHANGE`` on Linux; two renames elsewhere), so a reader sees the old
  set or the new set, never a mix;
* the old set's report files (``index.md`` and the ``<id>.md/.json/.svg`` it lists)
  go; any other regular file or symbolic link in ``--out`` (a ``baseline.json``,
  a ``.gitkeep``) is carried over (hard-linked, links recreated, never followed).
  A directory inside ``--out`` makes ``--out`` unfit as a report directory: refused;
* ``--junit`` and ``--write-baseline`` are written to unique temporary files beside
  their destinations and renamed over them (a planted symbolic link is replaced,
  never followed); one that lies in ``--out`` is written into the new set itself;
* two runs on one ``--out`` take turns: the swap holds an exclusive lock on the
  parent directory (``flock``), and each swap carries over what the other left;
* signals are blocked during the swap; an interrupt before it leaves the old reports
  untouched; one that arrives during it (milliseconds) is too late and is dropped;
* on any failure or interrupt, ``discard`` removes every temporary file and directory.

Bad option values are ``InputError`` (exit 2); a destination the file system
refuses, before or during the run, is ``OutputError`` (exit 3).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from charter_oracle.interrupts import checkpoint, stop_for
from charter_oracle.oracle.charter_file import ID_PATTERN
from charter_oracle.oracle.errors import InputError, OutputError

REPORT_SUFFIXES = (".md", ".json", ".svg")
INDEX = "index.md"
# Pseudo file systems: writing reports there is never meant.
_FORBIDDEN_ROOTS = ("/proc", "/sys", "/dev")
_INDEX_LINK = re.compile(r"\]\(([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.md\)")


def _q(path: Path | str) -> str:
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
            raise InputError(f"--out {_q(out)}: {root} is not a place for reports")
    for package in _package_dirs():
        if _inside(real, package) or _inside(package, real):
            raise InputError(f"--out {_q(out)}: that is charter-oracle's own source")
    if out.name in ("", ".", ".."):
        raise InputError(f"--out {_q(out)}: name the report directory itself")
    try:
        parent = os.stat(out.parent)
    except FileNotFoundError:
        raise OutputError(f"--out {_q(out)}: the parent directory {_q(out.parent)} does not exist") from None
    except OSError as error:
        raise OutputError(f"--out {_q(out)}: cannot reach its parent directory ({error.strerror})") from None
    if not stat.S_ISDIR(parent.st_mode):
        raise OutputError(f"--out {_q(out)}: {_q(out.parent)} is not a directory")
    try:
        info = os.lstat(out)
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputError(f"--out {_q(out)}: cannot be examined ({error.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"--out {_q(out)}: is a symbolic link (it is never followed: give the directory itself)")
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(f"--out {_q(out)}: is a file, not a directory")
    try:
        entries = list(os.scandir(out))
    except OSError as error:
        raise OutputError(f"--out {_q(out)}: cannot be listed ({error.strerror})") from None
    for entry in entries:
        if not (entry.is_file(follow_symlinks=False) or entry.is_symlink()):
            raise OutputError(
                f"--out {_q(out)}: holds {entry.name!r}, which is not a file; a report directory holds reports "
                "and plain files only (it is replaced as a whole)"
            )


def _check_file_destination(path: Path, option: str) -> None:
    """A file destination: an existing directory as parent, not itself a directory; probed by a real write."""
    try:
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{option} {_q(path)}: is a directory")
    except FileNotFoundError:
        pass
    except OSError as error:
        raise OutputError(f"{option} {_q(path)}: cannot be examined ({error.strerror})") from None
    if not os.path.isdir(path.parent):
        raise OutputError(f"{option} {_q(path)}: the directory {_q(path.parent)} does not exist")


def _probe(directory: Path, option: str, path: Path) -> None:
    """Can a file be created there? (``os.access`` says yes to root on a read-only mount.)"""
    try:
        fd, name = tempfile.mkstemp(prefix=".charter-oracle-probe-", dir=directory)
        os.close(fd)
        os.unlink(name)
    except OSError as error:
        raise OutputError(f"{option} {_q(path)}: cannot write in {_q(directory)} ({error.strerror})") from None


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
            raise InputError(f"{option} {_q(path)}: is the report directory itself")
        if real.parent == real_out and path.name in names:
            raise InputError(f"{option} {_q(path)}: would overwrite the report file {path.name!r}")
        if real in files.values():
            raise InputError(f"{option} {_q(path)}: is also the destination of another option")
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
            raise OutputError(f"GITHUB_STEP_SUMMARY {_q(summary)}: cannot be appended to ({error.strerror})") from None
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{out_path.name}.new-", dir=out_path.parent))
    except OSError as error:
        raise OutputError(f"--out {_q(out_path)}: cannot write in {_q(out_path.parent)} ({error.strerror})") from None
    return Plan(out_path, temp, files.get("--junit"), files.get("--write-baseline"), summary, names)


def _write_new(path: Path, text: str) -> None:
    """Create a file that must not exist yet (O_EXCL: nothing planted is followed) and sync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        data = text.encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def write_reports(p: Plan, files: Mapping[str, str]) -> None:
    """Write the report set (name -> text) into the private directory; an I/O failure is OutputError."""
    unexpected = set(files) - set(p.names)
    if unexpected:  # the file names come from report_names only; anything else is a bug
        raise AssertionError(f"unplanned report files {sorted(unexpected)}")
    try:
        for name in p.names:
            _write_new(p.temp / name, files[name])
    except OSError as error:
        raise OutputError(f"--out {_q(p.out)}: cannot write the reports ({error.strerror}); the old reports are untouched") from None


def stage_file(p: Plan, destination: Path, text: str, option: str) -> Path:
    """Write ``text`` to a unique temporary file for ``destination``; the swap renames it into place."""
    try:
        if destination.parent == Path(os.path.realpath(p.out.parent)) / p.out.name:
            staged = p.temp / destination.name
            _write_new(staged, text)
            return staged
        fd, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
        p.temps.append(Path(name))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, 0o644 & ~_umask())
        return Path(name)
    except OSError as error:
        raise OutputError(f"{option} {_q(destination)}: cannot be written ({error.strerror})") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _old_report_names(out: Path) -> set[str]:
    """The report files of the set in ``out`` now: its index and what the index links to."""
    names = {INDEX}
    with contextlib.suppress(OSError, UnicodeDecodeError):
        index = out / INDEX
        if index.is_file() and not index.is_symlink() and index.stat().st_size < 1 << 20:
            for charter_id in _INDEX_LINK.findall(index.read_text(encoding="utf-8")):
                names.update(charter_id + suffix for suffix in REPORT_SUFFIXES)
    return names


def _carry_over(p: Plan) -> None:
    """Bring the non-report files of the current ``--out`` into the new set (never following links)."""
    try:
        entries = list(os.scandir(p.out))
    except FileNotFoundError:
        return
    dropped = _old_report_names(p.out) | set(p.names)
    dropped |= {f".{name}.tmp" for name in dropped}  # the fixed temporary names of earlier versions
    for entry in entries:
        target = p.temp / entry.name
        if entry.name in dropped or os.path.lexists(target):
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_file(follow_symlinks=False):
            try:
                os.link(entry.path, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(entry.path, target, follow_symlinks=False)
        else:
            raise OutputError(f"--out {_q(p.out)}: {entry.name!r} appeared during the run and is not a file")


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two directories (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    blocked = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        # An interrupt that arrived during the swap is too late: the reports are in. Drop it so
        # that exit 130 always means "the old reports are untouched".
        with contextlib.suppress(OSError, ValueError):
            while signal.sigtimedwait(blocked - set(old), 0) is not None:
                pass
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def commit(p: Plan, staged: Mapping[Path, Path]) -> None:
    """Swap the new report set in and rename staged files (staged temp -> destination) into place.

    Called only when everything is written. Until its first rename, an interrupt or
    failure leaves every old file untouched; ``discard`` then cleans up.
    """
    with _signals_blocked():
        pending = signal.sigpending()
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signum in pending:  # arrived just now: still before the point of no return
                raise stop_for(signum)
        checkpoint()  # an interrupt whose first raise was lost: still before the point of no return
        try:
            with _locked(p.out.parent):
                _carry_over(p)
                os.chmod(p.temp, 0o777 & ~_umask())
                old = p.temp  # after an exchange, the temporary name holds the old set
                if os.path.lexists(p.out):
                    if not _exchange(p.temp, p.out):
                        old = Path(tempfile.mkdtemp(prefix=f".{p.out.name}.old-", dir=p.out.parent))
                        os.rename(p.out, old / "set")
                        os.rename(p.temp, p.out)
                else:
                    os.rename(p.temp, p.out)
                for temp, destination in staged.items():
                    if temp.parent != p.temp:  # files inside --out came in with the swap
                        os.replace(temp, destination)
                        p.temps.remove(temp)
        except OSError as error:
            raise OutputError(f"--out {_q(p.out)}: cannot swap the new reports in ({error.strerror})") from None
        shutil.rmtree(old, ignore_errors=True)


def append_summary(p: Plan, text: str) -> None:
    if p.summary is None:
        return
    try:
        with open(p.summary, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise OutputError(f"GITHUB_STEP_SUMMARY {_q(p.summary)}: cannot be appended to ({error.strerror})") from None


@contextlib.contextmanager
def private_hypothesis_home() -> Iterator[None]:
    """Hypothesis caches into ``./.hypothesis``; ``check`` leaves nothing in the working directory."""
    from hypothesis.configuration import set_hypothesis_home_dir

    home = tempfile.mkdtemp(prefix="charter-oracle-hypothesis-")
    set_hypothesis_home_dir(home)
    try:
        yield
    finally:
        set_hypothesis_home_dir(None)
        shutil.rmtree(home, ignore_errors=True)

