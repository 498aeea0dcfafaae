"""``[dividends]``: the dividend clause (its cite; common only after full preferred; like distributions)."""

from __future__ import annotations

from charter_oracle.oracle.charter import DividendTerms
from charter_oracle.oracle.strict_table import StrictTable


def read_dividends(t: StrictTable) -> DividendTerms:
    # oracle/dividends.py pays common only after every preferred rank is full; the opposite is refused.
    t.fixed_boolean("common_after_full_preferred", True)
    terms = DividendTerms(cite=t.cite, like_distributions=t.strings("like_distributions", required=False),
                          like_cite=t.string("like_cite", required=False) or "")
    t.close()
    return terms
