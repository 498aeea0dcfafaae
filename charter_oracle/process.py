"""The process around every command: streams, interrupts, a closed stdout, exit statuses.

``cli.main`` runs the command through ``run_main``, which

* makes stdout and stderr write what their encoding cannot show as escapes (a holder
  named in Greek on an ASCII terminal is printed ``\\u03b1``, not a UnicodeEncodeError);
* shows control characters written to stdout as ``\\xNN`` (names come from input files:
  ``"\\x1b]0;pwned\\x07"`` must not retitle the terminal); JSON never contains them raw;
* turns an interrupt into one line and status 130 (143 for SIGTERM, see ``interrupts``);
* turns a closed stdout (``charter-oracle ... | head``) into status 3, not success:
  the answer was not delivered. ``check`` catches it itself, after the reports are
  written, so that its status still reflects the verdicts;
* turns an ``argparse`` exit into its status.

Exit statuses: 0 ok, 1 findings or an internal inconsistency, 2 bad input, 3 I/O
(a destination that cannot be written, a closed stdout), 130 interrupted, 143 terminated.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from charter_oracle.escape import for_terminal, one_line

EXIT_IO = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


_keep_status = False  # set by check: a closed stdout must not change its verdict status


def keep_status_if_stdout_closes() -> None:
    """From now on a closed stdout is silenced, not raised: the command's own status stands."""
    global _keep_status
    _keep_status = True


class _EscapedStdout:
    """stdout with control characters shown as escapes; everything else passes through."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._closed = False

    def write(self, text: str) -> int:
        if not self._closed:
            try:
                self._stream.write(for_terminal(text))
            except BrokenPipeError:
                self._lost()
        return len(text)

    def flush(self) -> None:
        if not self._closed:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._lost()

    def _lost(self) -> None:
        if not _keep_status:
            raise BrokenPipeError(32, "Broken pipe")
        self._closed = True  # the reader went away: the rest is dropped, the status still tells
        silence_stdout()

    def __getattr__(self, name: str) -> Any:  # flush, fileno, buffer, encoding, isatty...
        return getattr(self._stream, name)


def say(message: str) -> None:
    """One line on stderr, whatever the message quotes."""
    try:
        print(f"charter-oracle: {one_line(message)}", file=sys.stderr)
    except (OSError, ValueError):
        pass  # stderr itself is gone: the exit status still tells


def silence_stdout() -> None:
    """After a BrokenPipe, point stdout at /dev/null so that the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _tolerant_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass


def run_main(body: Callable[[Sequence[str] | None], int], argv: Sequence[str] | None) -> int:
    """Run the command line's ``body`` with the process-level guarantees above."""
    global _keep_status
    _keep_status = False
    _tolerant_streams()
    real_stdout = sys.stdout
    sys.stdout = _EscapedStdout(real_stdout)  # type: ignore[assignment]
    try:
        return body(argv)
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            return exit_.code or 0
        raise
    except KeyboardInterrupt as interrupt:
        say("interrupted")
        return getattr(interrupt, "status", EXIT_INTERRUPTED)  # 143 for SIGTERM (interrupts.Terminated)
    except BrokenPipeError:
        silence_stdout()
        say("standard output was closed before the answer was written")
        return EXIT_IO
    finally:
        if isinstance(sys.stdout, _EscapedStdout):
            sys.stdout = real_stdout
