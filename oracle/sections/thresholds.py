"""A vote threshold (``threshold`` + ``compare``), shared by consents, deemed events and automatic conversion."""

from __future__ import annotations

from charter_oracle.oracle.charter import Threshold
from charter_oracle.oracle.strict_table import StrictTable

COMPARES = (">", ">=", "<", "<=")


def read_threshold(t: StrictTable, cite: str) -> Threshold:
    fraction = t.exact("threshold")
    compare = t.string("compare", choices=COMPARES)
    if fraction > 1:
        raise t.fail("threshold", f"a fraction of a vote must be at most 1, got {fraction}")
    return Threshold(fraction=fraction, compare=compare, cite=cite)
