"""``charter-oracle redeem CHARTER --series S --requested-by NAME ... [--request-date D] [--funds A,B,...]``:
the NVCA §6 redemption schedule per holder (``oracle/redemption.py``; the API's ``LoadedCharter.redeem``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from tabulate import tabulate

NAME = "redeem"


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    p = sub.add_parser(NAME, help="redemption at the holders' request: the schedule per holder, shortfalls pro rata")
    from charter_oracle.cli import _charter_args  # late: cli imports this module while building its parser

    _charter_args(p)  # the options every charter command takes (OCF packages, --date, --interpret, --json)
    p.add_argument("--series", required=True, help="the series to redeem")
    p.add_argument("--requested-by", action="append", required=True, metavar="HOLDER",
                   help="a holder making the request (repeatable)")
    p.add_argument("--request-date", help="the day the request is made (default: the cap table's as_of)")
    p.add_argument("--funds", metavar="A,B,...", help="funds legally available on each redemption date (default: enough)")
    return run


def run(args: argparse.Namespace) -> None:
    from charter_oracle.cli import _loaded
    from charter_oracle.oracle.dates import parse_date
    from charter_oracle.oracle.exact import format_money, parse_amount
    from charter_oracle.readable import readable

    loaded = _loaded(args)
    funds = None if args.funds is None else [parse_amount(f.strip(), f"--funds[{i}]")
                                             for i, f in enumerate(args.funds.split(","))]
    day = None if args.request_date is None else parse_date(args.request_date, "--request-date")
    answer = loaded.redeem(args.series, args.requested_by, day, funds)
    if args.json:
        sys.stdout.write(json.dumps(answer.to_json(), indent=2) + "\n")
        return
    s = answer.schedule
    lines = [tabulate([[c.name, "ok" if c.ok else "NO", c.what, c.cite] for c in s.checks],
                      ["check", "result", "why", "clause"], disable_numparse=True)]
    rows = [[i.number, i.date.isoformat(), h.holder, readable(h.shares_due), readable(h.shares_redeemed),
             format_money(h.amount_paid), format_money(i.price_per_share)]
            for i in s.installments for h in i.holders]
    if rows:
        lines += ["", tabulate(rows, ["#", "date", "holder", "shares due", "redeemed", "paid", "price/share"],
                               disable_numparse=True)]
        lines += [f"shortfall on {i.date.isoformat()}: {format_money(i.shortfall)}" for i in s.installments if i.shortfall]
        lines += [f"unredeemed after the last date: {h} {readable(n)} shares" for h, n in s.unredeemed]
    else:
        lines += ["", f"no redemption: the request does not meet {s.cite}"]
    sys.stdout.write("\n".join(lines) + "\n")
