"""Report lines for the NVCA extras: redemption and pay-to-play terms (each with its clause), warrants and vesting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import format_exact


def extra_terms_lines(charter: Charter, table: CapTable, tabulate: Callable[..., str]) -> list[str]:
    """Markdown blocks for the terms the main table has no column for; nothing when the charter has none."""
    out: list[str] = []
    rows: list[list[Any]] = []
    for s in charter.series:
        r = s.redemption
        if r is not None:
            start = r.start_date.isoformat() if r.start_date else f"{r.start_anniversary} years after first issue"
            rows.append([s.id, "redemption", f"at the request of {r.request.describe()} of {s.id}, from {start}; "
                         f"{r.installments} installment(s) every {r.installment_months} months, the first "
                         f"{r.notice_days} days after the request; ${format_exact(r.price_per_share)}/share plus "
                         "accrued and declared unpaid dividends", r.cite])
        p = s.pay_to_play
        if p is not None:
            rows.append([s.id, "pay-to-play", f"in a qualified financing, a holder buying less than its pro rata amount "
                         f"(basis: {p.basis}) converts all its {s.id} into {p.converts_to}", p.cite])
    if rows:
        out += [tabulate(rows, ["class", "term", "what", "clause"], tablefmt="github"), ""]
    return out


def grant_lines(charter: Charter, table: CapTable, tabulate: Callable[..., str]) -> list[str]:
    """Warrants, and the vested counts of options, for the cap-table section (the options table has no vesting)."""
    grants = [[o.holder, "option", charter.common.id, f"{o.shares:,}", f"{o.vested:,}", format_exact(o.exercise_price)]
              for o in table.options if o.vested is not None]
    grants += [[w.holder, "warrant", w.class_id, f"{w.shares:,}", "all" if w.vested is None else f"{w.vested:,}",
                format_exact(w.exercise_price)] for w in table.warrants]
    if not grants:
        return []
    return [tabulate(grants, ["holder", "grant", "class", "shares", "vested", "exercise price"], tablefmt="github"), ""]
