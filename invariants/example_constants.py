"""Hypothesis's pool of literal constants, pinned for the suite's runs: examples from the strategies alone.

Hypothesis (6.1xx) sometimes draws, instead of a random value, a literal it found in the source of
every "local" module loaded in the process: the project's own, a user's script, a test file. The
examples a derandomized run generates then depend on which modules happen to be imported: the
same charter, profile and version gave different reports from ``check``, from the pytest plugin
and from a user's script calling the API, and a parallel worker that had imported less would
have drawn differently again. Inside ``pinned_constants()`` that pool is empty, so an invariant's
examples depend on its strategies, its profile and its test body only, in any process.

Hypothesis's own built-in constants (boundary integers, special floats and strings) still apply:
they come with the pinned version, not from what is loaded. This reaches into Hypothesis's
internals (``hypothesis.internal.conjecture.providers``); a version without them leaves the
pool as that version has it, and ``tests/invariants/test_example_constants.py`` fails if the
pinned version stops honouring this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

try:
    from hypothesis.internal.conjecture import providers as _providers
    from hypothesis.internal.constants_ast import Constants as _Constants
except ImportError:  # pragma: no cover - a Hypothesis without a constant pool
    _providers = None  # type: ignore[assignment]


def _supported() -> bool:
    return _providers is not None and hasattr(_providers, "_get_local_constants") and hasattr(
        _providers, "CONSTANTS_CACHE")


def _clear_cache() -> None:
    # The cache holds, per choice kind and bounds, the pool's values that fit: built from whichever
    # pool was in force when first asked, so it is emptied on the way in and on the way out.
    cache: Any = _providers.CONSTANTS_CACHE
    getattr(cache, "cache", cache).clear()


@contextmanager
def pinned_constants() -> Iterator[None]:
    """Inside the block Hypothesis draws no literal found in loaded modules (see the module's docstring)."""
    if not _supported():
        yield
        return
    empty = _Constants()
    original = _providers._get_local_constants
    _clear_cache()
    _providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        _providers._get_local_constants = original
        _clear_cache()


__all__ = ["pinned_constants"]
