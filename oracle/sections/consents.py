"""``[[consents]]``: protective provisions and supermajorities."""

from __future__ import annotations

from charter_oracle.oracle.charter import ConsentRule
from charter_oracle.oracle.sections.thresholds import read_threshold
from charter_oracle.oracle.strict_table import StrictTable


def read_consent(t: StrictTable, class_ids: set[str]) -> ConsentRule:
    classes = t.nonempty_strings("classes")
    for cls in (*classes, *t.strings("while_outstanding", required=False)):
        if cls != "*" and cls not in class_ids:
            raise t.fail("classes", f"unknown class {cls!r}")
    rule = ConsentRule(
        id=t.string("id"), cite=t.cite, classes=classes,
        basis=t.string("basis", choices=("shares", "as-converted", "voting-power")),
        threshold=read_threshold(t, t.cite), actions=t.strings("actions"),
        while_outstanding=t.strings("while_outstanding", required=False),
        on_deemed_liquidation=t.boolean("on_deemed_liquidation", False),
        exempt=_exempt(t),
    )
    t.close()
    return rule


def _exempt(t: StrictTable) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``exempt = { ACTION = [FLAG, ...] }``: the flags that take an action outside a consent rule."""
    inner = t.table("exempt", required=False, cited=False)
    if inner is None:
        return ()
    pairs = tuple((str(action), inner.nonempty_strings(action)) for action in sorted(inner.data))
    inner.close()
    return pairs
