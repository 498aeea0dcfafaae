"""``charter-oracle pay-to-play CHARTER --events FILE``: financing events applied to the cap table, pay-to-play
conversions of the non-buyers (NVCA §4 optional provision) and the resulting cap table (``oracle/pay_to_play.py``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from tabulate import tabulate

NAME = "pay-to-play"


def register(sub: Any) -> Callable[[argparse.Namespace], None]:
    p = sub.add_parser(NAME, help="a financing's pay-to-play conversions and the cap table after it")
    from charter_oracle.cli import _charter_args  # late: cli imports this module while building its parser

    _charter_args(p)  # the options every charter command takes (OCF packages, --date, --interpret, --json)
    p.add_argument("--events", required=True, help="events file (TOML, [[events]] of kind \"financing\")")
    return run


def run(args: argparse.Namespace) -> None:
    from charter_oracle.cli import _loaded
    from charter_oracle.readable import readable

    answer = _loaded(args).pay_to_play(args.events)
    if args.json:
        sys.stdout.write(json.dumps(answer.to_json(), indent=2) + "\n")
        return
    rows = [[i, c.holder, c.series_id, c.shares, readable(c.pro_rata), c.bought, f"{c.new_shares} {c.into}",
             readable(c.fraction), c.cite] for i, o in enumerate(answer.outcomes) for c in o.conversions]
    head = (tabulate(rows, ["event", "holder", "series", "shares", "pro rata", "bought", "converted into",
                            "fraction (cash)", "clause"], disable_numparse=True) if rows else "nobody converts")
    sys.stdout.write(head + "\n\n# the cap table after the financing\n" + answer.to_json()["cap_table_toml"])
