"""Writing the report set: complete or not at all, and only where asked.

``check`` validates every destination *before* any work (``plan``, in ``output_plan.py``), computes
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
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from charter_oracle.interrupts import checkpoint, stop_for
from charter_oracle.oracle.errors import OutputError
from charter_oracle.output_plan import INDEX, REPORT_SUFFIXES, Plan, plan, quote_path, report_names

__all__ = ["INDEX", "REPORT_SUFFIXES", "Plan", "append_summary", "commit", "plan", "private_hypothesis_home",
           "report_names", "stage_file", "write_reports"]

_INDEX_LINK = re.compile(r"\]\(([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.md\)")


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
        raise OutputError(f"--out {quote_path(p.out)}: cannot write the reports ({error.strerror}); the old reports are untouched") from None


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
        raise OutputError(f"{option} {quote_path(destination)}: cannot be written ({error.strerror})") from None


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
            raise OutputError(f"--out {quote_path(p.out)}: {entry.name!r} appeared during the run and is not a file")


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
            raise OutputError(f"--out {quote_path(p.out)}: cannot swap the new reports in ({error.strerror})") from None
        shutil.rmtree(old, ignore_errors=True)


def append_summary(p: Plan, text: str) -> None:
    if p.summary is None:
        return
    try:
        with open(p.summary, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise OutputError(f"GITHUB_STEP_SUMMARY {quote_path(p.summary)}: cannot be appended to ({error.strerror})") from None


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

