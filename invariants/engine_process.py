"""An engine in any language, checked through a subprocess: one JSON line per request (docs/engine-protocol.md).

``ProcessEngine(command)`` starts the command once (on the first request) and presents the
Python interface of the plugin's ``--charter-impl`` engines (``distribute_loaded`` and
``votes_loaded``, see ``impl_check``), so that probes, Hypothesis, minimizing and the
class-first report work on it unchanged.

Each request is one line on the engine's stdin::

    {"op": "distribute", "request": 7, "charter": {...}, "cap_table": {...}, "proceeds": "11480000.01"}
    {"op": "votes", "request": 8, "charter": {...}, "cap_table": {...}}

(charter and cap table in the JSON form of ``engine_json``), and the answer one line on its stdout::

    {"holders": {"Founders": "1234.5", "Seed Fund": "1000000/3"}}       (votes: whole numbers, "1250000")
    {"error": "why the engine cannot answer"}                           (counted as a failure)

Refused, each as an ``EngineError`` naming the request: a JSON number anywhere in the answer
(``1e6`` or ``0.1`` unquoted: the parser's hooks refuse every number, so none is ever read as a
float), an amount that is not a plain decimal or ``p/q`` string (``"1e6"``), a line that is
not JSON or not of that shape, no answer within the timeout, an engine that exits. After a
failure the process is stopped and started afresh for the next request (a crash on one input
must not fail the smaller inputs minimizing tries next); after ``MAX_TIMEOUTS`` timeouts every
further request fails at once, so that a hanging engine cannot stall a run for hours.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import subprocess
import tempfile
import threading
import weakref
from fractions import Fraction
from typing import IO, Any

from charter_oracle.invariants.engine_json import cap_table_to_json, charter_to_json
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import EngineError, InputError, one_line
from charter_oracle.oracle.exact import format_exact

DEFAULT_TIMEOUT = 10.0  # seconds per request (a time limit, not money)
MAX_TIMEOUTS = 3
# What an amount in an answer may look like: a plain decimal or a ratio, no exponent (schema: docs/schemas).
AMOUNT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$|^-?[0-9]+/[0-9]*[1-9][0-9]*$", re.ASCII)
_EOF = object()


def parse_timeout(text: str, what: str) -> float:
    """A per-request time limit in seconds from an option: a plain positive decimal (not money: a float is fine)."""
    if not re.fullmatch(r"[0-9]{1,6}(\.[0-9]{1,3})?", text, re.ASCII) or float(text) <= 0:
        raise InputError(f"{what} {text!r}: expected a positive number of seconds, e.g. 10 or 0.5")
    return float(text)


def request_line(op: str, number: int, charter_json: str, cap_table: dict[str, Any], proceeds: str | None) -> str:
    """One request as sent (without its newline): compact JSON, keys in a fixed order, ASCII only."""
    parts = [f'"op":{json.dumps(op)}', f'"request":{number}', f'"charter":{charter_json}',
             '"cap_table":' + json.dumps(cap_table, separators=(",", ":"))]
    if proceeds is not None:
        parts.append(f'"proceeds":{json.dumps(proceeds)}')
    return "{" + ",".join(parts) + "}"


class _NumberInAnswer(ValueError):
    pass


def _refuse_number(text: str) -> Any:
    raise _NumberInAnswer(text)


def parse_answer(line: str) -> dict[str, Any]:
    """The answer line as JSON, every JSON number refused (ValueError naming it)."""
    return json.loads(line, parse_float=_refuse_number, parse_int=_refuse_number, parse_constant=_refuse_number)


def _pump(stream: IO[bytes], lines: queue.Queue[Any]) -> None:
    """The engine's stdout, line by line, into a queue (a thread: a read can then time out portably)."""
    for raw in iter(stream.readline, b""):
        lines.put(raw)
    lines.put(_EOF)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


class ProcessEngine:
    """An engine behind a command line, with the ``distribute_loaded``/``votes_loaded`` interface."""

    def __init__(self, command: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        try:
            self.argv = shlex.split(command)
        except ValueError as error:
            raise InputError(f"engine command {command!r}: {error}") from None
        if not self.argv:
            raise InputError("engine command: empty")
        if timeout <= 0:
            raise InputError(f"engine timeout {timeout}: expected a positive number of seconds")
        self.command, self.timeout = command, timeout
        self.requests = 0
        self.timeouts = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[Any] = queue.Queue()
        self._stderr = tempfile.TemporaryFile()
        self._charter: tuple[Charter, str] | None = None  # the last charter and its JSON text
        self._finalizer = weakref.finalize(self, ProcessEngine._shutdown, [None], self._stderr)

    # --- the plugin's engine interface ------------------------------------------------------

    def distribute_loaded(self, charter: Charter, table: CapTable, proceeds: Fraction) -> dict[str, Fraction]:
        answer = self.ask("distribute", charter, table, proceeds)
        return {name: Fraction(value) for name, value in answer.items()}

    def votes_loaded(self, charter: Charter, table: CapTable) -> dict[str, int | Fraction]:
        votes = {}
        for name, value in self.ask("votes", charter, table).items():
            exact = Fraction(value)
            votes[name] = exact.numerator if exact.denominator == 1 else exact  # the comparison names a fraction
        return votes

    # --- one request ------------------------------------------------------------------------

    def charter_text(self, charter: Charter) -> str:
        """The charter's JSON form as sent: compact, computed once per charter object."""
        if self._charter is None or self._charter[0] is not charter:
            self._charter = (charter, json.dumps(charter_to_json(charter), separators=(",", ":")))
        return self._charter[1]

    def ask(self, op: str, charter: Charter, table: CapTable, proceeds: Fraction | None = None) -> dict[str, str]:
        """One request on loaded objects; the answer's ``holders`` (strings checked against the amount syntax)."""
        count = len(table.holders)
        what = f"{op} on {charter.id}, {count} holder{'s' if count != 1 else ''}" + (
            f", proceeds {format_exact(proceeds)}" if proceeds is not None else "")
        return self.send(op, self.charter_text(charter), cap_table_to_json(table),
                         None if proceeds is None else format_exact(proceeds), what)

    def send(self, op: str, charter_json: str, cap_table: dict[str, Any], proceeds: str | None, what: str) -> dict[str, str]:
        """Send one request (``charter_json``: the charter's JSON text) and check the answer's shape.

        ``what`` describes the request in failures, after its number: ``request #7 (what): ...``.
        """
        self.requests += 1
        what = f"request #{self.requests} ({what})"
        if self.timeouts >= MAX_TIMEOUTS:
            raise EngineError(f"{what}: not sent: the engine timed out {self.timeouts} times already")
        raw = self._exchange(request_line(op, self.requests, charter_json, cap_table, proceeds), what)
        try:
            answer = parse_answer(raw)
        except _NumberInAnswer as number:
            raise EngineError(f"{what}: the answer holds the JSON number {number}: amounts are strings "
                              f"(\"0.1\", \"1/3\"), never JSON numbers") from None
        except ValueError:
            raise EngineError(f"{what}: the answer is not a JSON line: {_clip(raw)!r}") from None
        if isinstance(answer, dict) and set(answer) == {"error"} and isinstance(answer["error"], str):
            raise EngineError(f"{what}: the engine refused: {_clip(answer['error'])}")
        if not isinstance(answer, dict) or set(answer) != {"holders"} or not isinstance(answer["holders"], dict):
            raise EngineError(f"{what}: expected {{\"holders\": {{name: amount}}}}, got {_clip(raw)!r}")
        for name, value in answer["holders"].items():
            if not isinstance(value, str) or not AMOUNT.match(value):
                raise EngineError(f"{what}: holders[{name!r}] = {_clip(json.dumps(value))} is not an exact "
                                  f"amount string (a plain decimal such as \"0.1\", or \"p/q\")")
        return answer["holders"]

    def _exchange(self, line: str, what: str) -> str:
        process = self._start()
        try:
            assert process.stdin is not None
            process.stdin.write(line.encode("utf-8") + b"\n")
            process.stdin.flush()
        except OSError:
            self._fail_restart()
            raise EngineError(f"{what}: the engine closed its input{self._exit_note(process)}") from None
        try:
            raw = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            self.timeouts += 1
            self._fail_restart()
            raise EngineError(f"{what}: no answer within {self.timeout:g} s (the engine was stopped)") from None
        if raw is _EOF:
            process.wait()
            self._fail_restart()
            raise EngineError(f"{what}: the engine exited{self._exit_note(process)} before answering")
        try:
            return raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise EngineError(f"{what}: the answer is not UTF-8") from None

    # --- the process --------------------------------------------------------------------------

    def start(self) -> ProcessEngine:
        """Start the engine now (not on the first request), so that a command that cannot start is bad input."""
        self._start()
        return self

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is not None:
            return self._process
        self._stderr.seek(0)
        self._stderr.truncate()
        try:
            process = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                       env={**os.environ, "PYTHONUNBUFFERED": "1"})
        except OSError as error:
            raise InputError(f"engine command {self.command!r} cannot start: {error.strerror or error}") from None
        self._lines = queue.Queue()
        assert process.stdout is not None
        threading.Thread(target=_pump, args=(process.stdout, self._lines), daemon=True).start()
        self._process = process
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, ProcessEngine._shutdown, [process], self._stderr)
        return process

    def _fail_restart(self) -> None:
        if self._process is not None:
            _stop(self._process)
        self._process = None

    def _exit_note(self, process: subprocess.Popen[bytes]) -> str:
        status = process.poll()
        self._stderr.flush()
        self._stderr.seek(0)
        tail = [t for t in self._stderr.read()[-4000:].decode("utf-8", "replace").splitlines() if t.strip()]
        note = f" with status {status}" if status is not None else ""
        return note + (f"; its last stderr line: {_clip(tail[-1])}" if tail else "")

    def close(self) -> None:
        """Stop the engine (closing its stdin first, so a well-behaved engine ends on its own)."""
        process, self._process = self._process, None
        if process is not None:
            try:
                if process.stdin is not None:
                    process.stdin.close()
                process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
            _stop(process)

    @staticmethod
    def _shutdown(processes: list[subprocess.Popen[bytes] | None], stderr: IO[bytes]) -> None:
        for process in processes:
            if process is not None:
                _stop(process)
        stderr.close()

    def __enter__(self) -> ProcessEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _clip(text: str, limit: int = 200) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[:limit] + "…"


__all__ = ["AMOUNT", "DEFAULT_TIMEOUT", "MAX_TIMEOUTS", "ProcessEngine", "parse_answer", "parse_timeout", "request_line"]
