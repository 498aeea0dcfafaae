"""``charter-oracle init --from-ocf PKG --out charter.toml``: a charter skeleton from an OCF package.

The skeleton holds what the package says and a TODO entry for everything else
(``oracle/ocf/skeleton.py``); the loader refuses it until each TODO is resolved. The
file is written whole or not at all: to a temporary file beside ``--out``, then
renamed; an existing ``--out`` is never overwritten.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from charter_oracle.oracle.errors import InputError, OutputError

NAME = "init"


def run_init(args: argparse.Namespace) -> None:
    from charter_oracle.oracle.ocf.importer import read_contents
    from charter_oracle.oracle.ocf.skeleton import skeleton

    out = Path(args.out)
    if out.exists() or out.is_symlink():
        raise InputError(f"--out {args.out!r} exists: charter-oracle never overwrites a charter (remove it first)")
    if not out.parent.is_dir():
        raise OutputError(f"--out {args.out!r}: its directory does not exist")
    text = skeleton(read_contents(args.from_ocf), Path(args.from_ocf).name)  # every check before any file is made
    try:
        fd, temporary = tempfile.mkstemp(prefix=".charter-skeleton-", suffix=".toml", dir=out.parent)
    except OSError as error:
        raise OutputError(f"--out {args.out!r}: cannot be written ({error.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.link(temporary, out)  # fails if --out appeared meanwhile: never overwrite
    except OSError as error:
        raise OutputError(f"--out {args.out!r}: cannot be written ({error.strerror})") from None
    finally:
        os.unlink(temporary)
    todo = text.count('"TODO')
    print(f"init: wrote {args.out} with {todo} TODO entries to fill in from the certificate "
          "(the charter does not load until they are resolved)")


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    p = sub.add_parser("init", help="a charter file skeleton from an OCF package (TODO entries for what OCF cannot say)")
    p.add_argument("--from-ocf", required=True, metavar="PKG",
                   help="the OCF package: a .ocf.zip, a directory holding Manifest.ocf.json, or the manifest")
    p.add_argument("--out", required=True, metavar="FILE", help="the charter file to write (must not exist)")
    return run_init
