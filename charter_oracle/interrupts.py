"""Interrupts that stop ``check``, whatever phase it is in.

Python turns SIGINT into ``KeyboardInterrupt`` between bytecodes. Z3, by default,
installs its own SIGINT handler for the length of each query and answers
``unknown`` ("interrupted from keyboard"): the interrupt is swallowed and a proof
silently becomes "held". So, for the Z3 phase, Z3's handler is turned off
(``ctrl_c=false``) and a watcher thread hears the signal through Python's wakeup
file descriptor (written by the C-level handler even while Z3 runs) and cancels
the running query with ``Z3_interrupt`` -- on the global context and on every
``z3.Context`` made during the run (the solver gives each query a fresh one; they
are tracked weakly for the length of ``stoppable``); back in Python, the pending
``KeyboardInterrupt`` is raised and the run stops with exit status 130.

SIGTERM (a CI runner cancelling a job) stops the run the same way, exit status 143.

A signal handler's exception can be lost (raised inside a ``__del__`` or a callback
whose errors Python ignores -- Hypothesis's garbage-collector callback, for one), so
every signal is also recorded, and ``checkpoint()`` -- called at every progress step
and just before the reports are swapped in -- raises it again: an interrupt can be
late by one step, never lost. Python's "Exception ignored in ..." report of such a
lost interrupt is silenced (``sys.unraisablehook``), and so is the ``__del__`` failure of an object
the interrupt left half-built: the run's one line says it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import weakref
from collections.abc import Iterator
from typing import Any


class Terminated(KeyboardInterrupt):
    """SIGTERM: stop like an interrupt (temporary files removed, old reports untouched)."""

    status = 143


_received: list[int] = []


def stop_for(signum: int) -> KeyboardInterrupt:
    """The exception that stops the run for a signal (its exit status: 130 or 143)."""
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _on_signal(signum: int, frame: Any) -> None:
    _received.append(signum)
    raise stop_for(signum)


def checkpoint() -> None:
    """Raise the interrupt received during the run, if its first raise was swallowed somewhere."""
    if _received:
        raise stop_for(_received[0])


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """SIGINT and SIGTERM stop the run, including inside Z3 queries (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    import z3

    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    previous_wakeup = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    _received.clear()
    previous_hook = sys.unraisablehook

    def quiet_about_interrupts(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            return  # recorded in _received; checkpoint() raises it where it can propagate
        if _received:
            # Once interrupted, an object the interrupt left half-built fails in its __del__ (a z3.Context
            # stopped inside __init__ has no `owner`): teardown noise, not the run's error.
            return
        previous_hook(unraisable)

    sys.unraisablehook = quiet_about_interrupts
    previous_term = signal.signal(signal.SIGTERM, _on_signal)
    previous_int = signal.getsignal(signal.SIGINT)
    if previous_int is signal.default_int_handler:  # an ignored SIGINT (nohup, background job) stays ignored
        signal.signal(signal.SIGINT, _on_signal)
    z3.set_param("ctrl_c", False)
    stop = threading.Event()
    contexts: weakref.WeakSet[Any] = weakref.WeakSet()
    original_init = z3.Context.__init__

    def tracked_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        contexts.add(self)

    z3.Context.__init__ = tracked_init  # type: ignore[method-assign]

    def watch() -> None:
        # Signals go to the main thread only: there Python raises them, and there ``output.commit``
        # blocks them while it swaps the reports in.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
        while not stop.is_set():
            try:
                data = os.read(read_fd, 64)
            except OSError:
                return
            if not data:
                return
            if stop.is_set():
                return
            if any(byte in (signal.SIGINT, signal.SIGTERM) for byte in data):
                for ctx in [z3.main_ctx(), *list(contexts)]:
                    ctx.interrupt()  # thread-safe by design: cancels the query running in it

    watcher = threading.Thread(target=watch, name="charter-oracle-interrupts", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        sys.unraisablehook = previous_hook
        z3.Context.__init__ = original_init  # type: ignore[method-assign]
        signal.set_wakeup_fd(previous_wakeup)
        signal.signal(signal.SIGTERM, previous_term)
        if previous_int is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous_int)
        _received.clear()
        z3.set_param("ctrl_c", True)
        os.close(write_fd)  # wakes the watcher (end of file)
        watcher.join(timeout=1)
        os.close(read_fd)
