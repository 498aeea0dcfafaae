"""The command-line options every command that takes ``--cap-table`` gets for OCF packages.

``--class-map OCF_CLASS_ID=CHARTER_CLASS_ID`` (repeatable) maps a stock class the names
do not match (OCF packages only: refused with a TOML cap table); ``--date YYYY-MM-DD`` takes the
cap table at that date instead of its ``as_of`` (an OCF package is replayed up to it; cumulative
dividends and interest legs accrue to it).
"""

from __future__ import annotations

import argparse
from typing import Any

from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.ocf.mapping import parse_class_map


def add_ocf_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--class-map", action="append", metavar="OCF_CLASS_ID=CHARTER_CLASS_ID",
                        help="OCF package: the charter class of an OCF stock class (repeatable)")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="the cap table as of this date (default: its as_of): an OCF package is replayed up to "
                             "it; cumulative dividends and interest legs accrue to it")


def ocf_options(args: argparse.Namespace) -> dict[str, Any]:
    """``class_map`` and ``as_of`` for ``load_with_table`` / ``load`` (None when not given)."""
    values = getattr(args, "class_map", None) or []
    date = getattr(args, "date", None)
    return {"class_map": parse_class_map(values) or None,
            "as_of": parse_date(date, "--date") if date is not None else None}
