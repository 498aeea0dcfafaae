"""``[dividends]``: the dividend clause (its cite; common only after full preferred; like distributions)."""

from __future__ import annotations

from charter_oracle.oracle.charter import DividendTerms
from charter_oracle.oracle.strict_table import StrictTable


def read_dividends(t: StrictTable) -> DividendTerms:
    # oracle/dividends.py pays common only after every preferred rank is full; the opposite is refused.
    t.fixed_boolean("common_after_full_preferred", True)
    share = t.table("preferred_share_common", required=False)
    count, share_cite = None, ""
    if share is not None:
        # NVCA 2020 §1: a dividend on common is paid on each preferred share as if converted.
        count, share_cite = share.string("count", choices=("whole", "exact")), share.cite
        share.close()
    terms = DividendTerms(cite=t.cite, preferred_share_common=count, share_cite=share_cite,
                          like_distributions=t.strings("like_distributions", required=False),
                          like_cite=t.string("like_cite", required=False) or "")
    t.close()
    return terms
