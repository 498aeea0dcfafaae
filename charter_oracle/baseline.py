"""Accepted findings (``check --baseline FILE`` / ``--write-baseline FILE``): fingerprints and stale entries.

A fingerprint names *which* finding a baseline accepts: the charter, the invariant,
the clauses it comes from and the finding's stable content -- the shape of the
violated property's message, with the numbers and the generated holder names of
the shrunk example taken out. Hypothesis may shrink to another example in another
version (1.69 -> 1.68 one day, 2.10 -> 2.09 the next); the shape stays, so an
accepted finding stays accepted, while a different failure of the same invariant
(another series, another branch of the check) is new and fails the gate.

Only ``finding`` verdicts (charter properties the text breaks) can be accepted;
``violated`` and ``error`` verdicts are bugs and always fail.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.input_files import read_json_file

# Exact numbers as the reports write them: -12, 1.69, 2/3, 1e-05 (from a repr); a hyphen after a
# word ("2-for-1") is not a minus sign.
_NUMBER = re.compile(r"(?:(?<![\w)])-)?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?:/\d+(?:\.\d+)?)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


@dataclass(frozen=True)
class Entry:
    """One accepted finding as a baseline file lists it."""

    charter: str
    invariant: str
    fingerprint: str
    clauses: str = ""
    shape: str = ""

    def to_json(self) -> dict[str, str]:
        return {"charter": self.charter, "invariant": self.invariant, "fingerprint": self.fingerprint,
                "clauses": self.clauses, "shape": self.shape}


def holder_names(counterexample: dict[str, Any] | None) -> tuple[str, ...]:
    """The holders of the example's cap table (generated names: not part of what a finding is)."""
    text = (counterexample or {}).get("cap_table") or (counterexample or {}).get("case", {}).get("cap_table")
    if not text:
        return ()
    try:
        rows = tomllib.loads(text).get("holdings", [])
    except tomllib.TOMLDecodeError:
        return ()
    return tuple(sorted({str(r.get("holder", "")) for r in rows if r.get("holder")}, key=len, reverse=True))


def shape(message: str, holders: Iterable[str] = ()) -> str:
    """The message with the example's particulars (holder names, quoted text, numbers) replaced by placeholders."""
    for name in holders:  # longest first, so that "Ada Capital" goes before "Ada"
        message = message.replace(name, "<holder>")
    message = _QUOTED.sub("'<text>'", message)
    return _NUMBER.sub("<n>", message)


def fingerprint(charter_id: str, invariant: str, clauses: str, stable: str) -> str:
    """16 hex digits of SHA-256 over charter, invariant, clauses and the message shape."""
    return hashlib.sha256(f"{charter_id}|{invariant}|{clauses}|{stable}".encode()).hexdigest()[:16]


def read(path: str) -> tuple[Entry, ...]:
    """A baseline file: ``{"accepted": [{"charter", "invariant", "fingerprint", ...}]}``; bad files are one line.

    Read through the bounded input reader: a FIFO, a device or a huge file is refused, never waited on."""
    data = read_json_file(path, "--baseline")
    try:
        return tuple(Entry(str(item["charter"]), str(item["invariant"]), str(item["fingerprint"]),
                           str(item.get("clauses", "")), str(item.get("shape", ""))) for item in data["accepted"])
    except (KeyError, TypeError):
        raise InputError(f"--baseline {path!r}: not a baseline file (expected {{\"accepted\": [...]}})") from None


def dumps(entries: Iterable[Entry]) -> str:
    """The baseline file's text: sorted, so that rewriting an unchanged baseline changes no byte."""
    rows = sorted({e.fingerprint: e for e in entries}.values(), key=lambda e: (e.charter, e.invariant, e.fingerprint))
    return json.dumps({"accepted": [e.to_json() for e in rows]}, indent=2, sort_keys=True) + "\n"


def stale(entries: Iterable[Entry], checked: Iterable[str], current: Iterable[str]) -> tuple[Entry, ...]:
    """Entries for the charters just checked whose finding no longer occurs (fixed, or the baseline is old)."""
    charters, found = set(checked), set(current)
    return tuple(e for e in entries if e.charter in charters and e.fingerprint not in found)
