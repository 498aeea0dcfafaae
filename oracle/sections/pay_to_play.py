"""``[series.pay_to_play]``: non-buyers in a qualified financing convert (NVCA 2020 §4, optional provision)."""

from __future__ import annotations

from charter_oracle.oracle.charter import Series
from charter_oracle.oracle.series_extras import PayToPlayTerms
from charter_oracle.oracle.strict_table import StrictTable


def read_pay_to_play(t: StrictTable) -> PayToPlayTerms:
    terms = PayToPlayTerms(cite=t.cite, converts_to=t.string("converts_to"),
                           basis=t.string("basis", choices=("series", "all-preferred")))
    t.close()
    return terms


def check_converts_to(root: StrictTable, series: tuple[Series, ...], class_ids: set[str]) -> None:
    """Each ``converts_to`` names common or another series (a shadow series), never the series itself."""
    for s in series:
        if s.pay_to_play is None:
            continue
        target = s.pay_to_play.converts_to
        if target == s.id or target not in class_ids:
            why = "a series cannot convert into itself" if target == s.id else "not a class of this charter"
            raise root.fail(f"series.{s.id}.pay_to_play.converts_to",
                            f"{target!r}: {why} (classes: {', '.join(sorted(class_ids))})")
