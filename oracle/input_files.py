"""Reading input files strictly and boundedly: charters, cap tables, events, actions, closes, baselines.

A hostile or careless path must give one clear line, never a hang, a memory blow-up
or a traceback. So an input file is

* a regular file: a FIFO would block, ``/dev/zero`` or ``/dev/urandom`` never end,
  a directory cannot be read (``stat`` first, then ``fstat`` on the opened file,
  which is opened non-blocking so that even a FIFO swapped in between cannot hang);
* at most ``MAX_INPUT_BYTES`` (checked before reading, and the read itself is capped);
* UTF-8 text;
* for TOML, bounded *before* the parser sees it: no run of more than
  ``MAX_DIGIT_RUN`` digits (Python refuses to build integers past 4,300 digits, and
  a 3 MB literal would otherwise take minutes or raise a bare ``ValueError``), no key
  with more than ``MAX_KEY_PARTS`` dotted parts (the TOML parser is quadratic in
  them: 200,000 parts hang it), and no nesting of arrays and inline tables deeper
  than ``MAX_NESTING``.

These limits are documented in ``docs/charter-format.md`` ("Limits").
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from charter_oracle.oracle.errors import InputError

# 4 MiB: the bundled charters are ~10 KB and a 50,000-holder cap table ~3 MB; bigger is a mistake or an attack.
MAX_INPUT_BYTES = 4 * 1024 * 1024
MAX_DIGIT_RUN = 200
MAX_KEY_PARTS = 32
MAX_NESTING = 32

# Strings and comments are skipped when counting dots and brackets (a holder may be called
# "A.B. [Holdings]"); digits are bounded everywhere, strings included, since no honest number,
# date or name needs 200 digits in a row.
_SKIP = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')
_DIGITS = re.compile(r"[0-9][0-9_]{%d,}" % MAX_DIGIT_RUN)
_BRACKETS = re.compile(r"[\[\]{}]")


def _name(path: Path) -> str:
    return repr(str(path))


def read_input_bytes(path: str | Path, what: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or InputError naming ``what`` and the path."""
    path = Path(path)
    name = _name(path)
    if not str(path):
        raise InputError(f"{what}: an empty path")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{what} {name}: no such file") from None
    except OSError as error:
        raise InputError(f"{what} {name}: cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{what} {name}: is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{what} {name}: not a regular file (a device, FIFO or socket is never read)")
    if info.st_size > limit:
        raise InputError(f"{what} {name}: {info.st_size} bytes is over the {limit}-byte limit for an input file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InputError(f"{what} {name}: cannot be read ({error.strerror})") from None
    try:
        # The path may have been swapped for something else since stat: look at what was opened.
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{what} {name}: not a regular file (a device, FIFO or socket is never read)")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise InputError(f"{what} {name}: cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)
    if total > limit:
        raise InputError(f"{what} {name}: over the {limit}-byte limit for an input file")
    return b"".join(chunks)


def read_input_text(path: str | Path, what: str, limit: int = MAX_INPUT_BYTES) -> str:
    data = read_input_bytes(path, what, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what} {_name(Path(path))}: not UTF-8 text") from None


def check_toml_bounds(text: str, where: str) -> None:
    """Refuse, before parsing, what would make the TOML parser slow or Python's int() fail."""
    digits = _DIGITS.search(text)
    if digits:
        line = text.count("\n", 0, digits.start()) + 1
        raise InputError(f"{where}: line {line}: a run of more than {MAX_DIGIT_RUN} digits (no number needs that many)")
    skeleton = _SKIP.sub('""', text)
    for number, line in enumerate(skeleton.split("\n"), start=1):
        if line.count(".") >= MAX_KEY_PARTS:
            raise InputError(f"{where}: line {number}: more than {MAX_KEY_PARTS} dotted key parts")
    _check_nesting(skeleton, where)


def _check_nesting(skeleton: str, where: str) -> None:
    depth = 0
    for match in _BRACKETS.finditer(skeleton):
        depth += 1 if match.group() in "[{" else -1
        # Table headers ([x] and [[x]]) open and close on one line: only values nest deeper.
        if depth > MAX_NESTING:
            line = skeleton.count("\n", 0, match.start()) + 1
            raise InputError(f"{where}: line {line}: arrays or inline tables nested more than {MAX_NESTING} deep")


def read_toml_file(path: str | Path, what: str) -> dict[str, Any]:
    """Parse a bounded TOML input file; every problem is one InputError line naming the file."""
    text = read_input_text(path, what)
    where = f"{what} {_name(Path(path))}"
    check_toml_bounds(text, where)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{where}: not valid TOML ({error})") from None
    except (RecursionError, ValueError) as error:  # ValueError: an integer past Python's digit limit
        raise InputError(f"{where}: not acceptable TOML ({type(error).__name__})") from None


def read_json_file(path: str | Path, what: str) -> Any:
    """Parse a bounded JSON input file (a findings baseline)."""
    text = read_input_text(path, what)
    where = f"{what} {_name(Path(path))}"
    if _DIGITS.search(text):
        raise InputError(f"{where}: a run of more than {MAX_DIGIT_RUN} digits")
    _check_nesting(_SKIP.sub('""', text), where)
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise InputError(f"{where}: not valid JSON") from None
