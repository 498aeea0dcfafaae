"""The ``charter-oracle`` command: a thin layer over the oracle, the solver and the reports.

Every command computes its whole answer before printing anything, so bad input
never leaves half an output behind; every ``OracleError`` becomes one line on
stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tabulate import tabulate

from charter_oracle.oracle import bundled
from charter_oracle.oracle.adjustments import load_events, reservation_shortfall, run_ledger
from charter_oracle.oracle.cap_table import CapTable, load_cap_table
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import load_charter, read_toml
from charter_oracle.oracle.compliance import check_action
from charter_oracle.oracle.conversion import convert_holder
from charter_oracle.oracle.dividends import allocate_dividend
from charter_oracle.oracle.errors import InputError, OracleError
from charter_oracle.oracle.exact import format_exact, format_money, parse_amount
from charter_oracle.oracle.interpretations import parse_choices
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.valuation import load_closes, market_value
from charter_oracle.oracle.voting import count_votes

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        from charter_oracle.process import say  # one line, whatever the option's value holds

        say(message)
        raise SystemExit(EXIT_BAD_INPUT)


def _load(args: argparse.Namespace) -> tuple[Charter, CapTable]:
    charter = load_charter(args.charter, parse_choices(args.interpret or []))
    path = args.cap_table
    if path is None:
        path = bundled.reference_cap_table(args.charter)
        if path is None:
            raise InputError(f"charter {args.charter!r} is not bundled: give its cap table with --cap-table FILE")
    return charter, load_cap_table(path, charter)


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: Callable[[], str]) -> None:
    out = json.dumps(payload, indent=2) if args.json else text()
    sys.stdout.write(out + "\n")


def cmd_list(args: argparse.Namespace) -> None:
    rows = []
    payload = []
    for charter_id in bundled.CHARTER_IDS:
        charter = load_charter(charter_id)
        classes = ", ".join(charter.class_ids)
        rows.append([charter.id, charter.name, charter.date.isoformat(), classes])
        payload.append({"id": charter.id, "name": charter.name, "date": charter.date.isoformat(),
                        "classes": list(charter.class_ids)})
    _emit(args, {"charters": payload}, lambda: tabulate(rows, ["id", "company", "date", "classes"]))


def cmd_waterfall(args: argparse.Namespace) -> None:
    charter, table = _load(args)
    proceeds = parse_amount(args.proceeds, "--proceeds")
    result = distribute(charter, table, proceeds)
    payload = {
        "charter": charter.id,
        "proceeds": format_exact(proceeds),
        "classes": {cid: {"amount": format_exact(a), "converted": cid in result.converted} for cid, a in result.classes},
        "holders": {h: format_exact(a) for h, a in result.holders},
        "stable_outcomes": [sorted(o) for o in result.stable_outcomes],
        "steps": [{"class": s.class_id, "amount": format_exact(s.amount), "cite": s.cite, "what": s.what}
                  for s in result.steps],
        "interpretations": dict(charter.chosen),
    }

    def text() -> str:
        lines = [f"{charter.name} ({charter.id}): liquidation of {format_money(proceeds)}", ""]
        lines.append(tabulate(
            [[s.class_id, format_money(s.amount), s.what, s.cite] for s in result.steps] or [["-", "$0.00", "nothing to pay", "-"]],
            ["class", "amount", "step", "clause"],
        ))
        lines += ["", tabulate(
            [[cid, format_money(a), "converts" if cid in result.converted else "", format_exact(a)] for cid, a in result.classes],
            ["class", "total", "choice", "exact"],
        )]
        lines += ["", tabulate([[h, format_money(a), format_exact(a)] for h, a in result.holders], ["holder", "amount", "exact"])]
        if len(result.stable_outcomes) > 1:
            outs = "; ".join("{" + ", ".join(sorted(o)) + "}" for o in result.stable_outcomes)
            lines += ["", f"Several stable conversion outcomes: {outs} (all.equilibrium chose the first)."]
        lines += ["", "interpretations: " + ", ".join(f"{k}={v}" for k, v in charter.chosen)]
        return "\n".join(lines)

    _emit(args, payload, text)


def cmd_votes(args: argparse.Namespace) -> None:
    charter, table = _load(args)
    count = count_votes(charter, table)
    payload = {
        "charter": charter.id,
        "holders": {v.holder: v.total for v in count.holders},
        "total": count.total,
        "detail": {v.holder: {"common": v.common, "preferred_exact": format_exact(v.preferred_exact),
                              "preferred": v.preferred} for v in count.holders},
        "cite": count.cite,
        "interpretations": dict(charter.chosen),
    }

    def text() -> str:
        rows = [[v.holder, v.common, format_exact(v.preferred_exact), v.preferred, v.total] for v in count.holders]
        rows.append(["total", "", "", "", count.total])
        return (f"Votes under {charter.id} ({count.cite}: preferred as converted, aggregated per holder, "
                f"then rounded {charter.voting.tie})\n\n"
                + tabulate(rows, ["holder", "common", "preferred (exact)", "preferred", "votes"]))

    _emit(args, payload, text)


def cmd_adjust(args: argparse.Namespace) -> None:
    charter, table = _load(args)
    events = load_events(args.events)
    result = run_ledger(charter, table, events)
    payload = {
        "charter": charter.id,
        "initial": {sid: format_exact(p) for sid, p in result.initial.conversion_prices.items()},
        "after": [
            {"event": i, "kind": e.kind, "conversion_prices": {sid: format_exact(p) for sid, p in s.conversion_prices.items()},
             "reservation_shortfall": reservation_shortfall(charter, s)}
            for i, (e, s) in enumerate(zip(result.events, result.states))
        ],
        "notes": [{"event": n.event, "series": n.series, "before": format_exact(n.before), "after": format_exact(n.after),
                   "cite": n.cite, "what": n.what} for n in result.notes],
        "interpretations": dict(charter.chosen),
    }

    def text() -> str:
        series = [s.id for s in charter.series]
        rows = [["start", ""] + [format_exact(result.initial.price(s)) for s in series]]
        for i, (event, state) in enumerate(zip(result.events, result.states)):
            rows.append([i, f"{event.kind} {event.date}"] + [format_exact(state.price(s)) for s in series])
        notes = [[n.event, n.series, format_exact(n.before), format_exact(n.after), n.what, n.cite] for n in result.notes]
        return (tabulate(rows, ["event", "what"] + series) + "\n\n"
                + tabulate(notes, ["event", "series", "before", "after", "why", "clause"]))

    _emit(args, payload, text)


def cmd_convert(args: argparse.Namespace) -> None:
    charter, table = _load(args)
    fmv = parse_amount(args.fair_market_value, "--fair-market-value")
    result = convert_holder(charter, table, args.holder, None, fmv)
    payload = {
        "charter": charter.id, "holder": result.holder,
        "converted": dict(result.converted), "common_exact": format_exact(result.common_exact),
        "whole_shares": result.whole_shares, "fraction": format_exact(result.fraction),
        "cash_in_lieu": format_exact(result.cash_in_lieu),
        "designated_after": dict(result.designated_after), "cites": list(result.cites),
        "interpretations": dict(charter.chosen),
    }
    _emit(args, payload, lambda: tabulate([[k, json.dumps(v) if not isinstance(v, str) else v]
                                           for k, v in payload.items() if k != "interpretations"]))


def cmd_dividend(args: argparse.Namespace) -> None:
    charter, table = _load(args)
    amount = parse_amount(args.amount, "--amount")
    result = allocate_dividend(charter, table, amount)
    payload = {
        "charter": charter.id, "amount": format_exact(amount),
        "classes": {c: format_exact(a) for c, a in result.classes},
        "holders": {h: format_exact(a) for h, a in result.holders},
        "undistributed": format_exact(result.undistributed),
        "cites": dict(result.cites), "interpretations": dict(charter.chosen),
    }
    cites = dict(result.cites)
    _emit(args, payload, lambda: tabulate([[c, format_money(a), format_exact(a), cites.get(c, "")] for c, a in result.classes],
                                          ["class", "dividend", "exact", "clause"]))


def cmd_comply(args: argparse.Namespace) -> None:
    charter, table = _load(args)
    raw = read_toml(Path(args.action), "action file")
    checks = check_action(charter, table, raw)
    payload = {"charter": charter.id, "checks": [{"check": c.name, "ok": c.ok, "cite": c.cite, "what": c.what} for c in checks],
               "interpretations": dict(charter.chosen)}
    _emit(args, payload, lambda: tabulate([[c.name, "ok" if c.ok else "NO", c.what, c.cite] for c in checks],
                                          ["check", "result", "why", "clause"]))


def cmd_value(args: argparse.Namespace) -> None:
    charter = load_charter(args.charter, parse_choices(args.interpret or []))
    closes = load_closes(args.closes)
    distribution = parse_date(args.distribution_date, "--distribution-date")
    v = market_value(charter, closes, distribution, parse_amount(args.discount, "--discount"))
    payload = {"charter": charter.id, "value": format_exact(v.value), "average": format_exact(v.average),
               "window": [v.window[0].isoformat(), v.window[1].isoformat()], "closes_used": len(v.closes_used),
               "cite": v.cite, "interpretations": dict(charter.chosen)}
    _emit(args, payload, lambda: tabulate([[k, v2] for k, v2 in payload.items() if k != "interpretations"]))


def _charter_args(parser: argparse.ArgumentParser, cap_table: bool = True) -> None:
    parser.add_argument("charter", help="a bundled charter id or the path of a charter file")
    if cap_table:
        parser.add_argument("--cap-table", help="cap-table file (default: the bundled reference cap table)")
    parser.add_argument("--interpret", action="append", metavar="ID=VALUE", help="choose an interpretation (repeatable)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="charter-oracle", description="What a corporate charter means in money and votes, exactly.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("list", help="the bundled charters")
    p.add_argument("--json", action="store_true")
    COMMANDS["list"] = cmd_list

    p = sub.add_parser("waterfall", help="who is paid what at an exit")
    _charter_args(p)
    p.add_argument("--proceeds", required=True, help="exit proceeds, a decimal string")
    COMMANDS["waterfall"] = cmd_waterfall

    p = sub.add_parser("votes", help="votes per holder, preferred as converted")
    _charter_args(p)
    COMMANDS["votes"] = cmd_votes

    p = sub.add_parser("adjust", help="conversion prices after a ledger of events")
    _charter_args(p)
    p.add_argument("--events", required=True, help="events file (TOML, [[events]])")
    COMMANDS["adjust"] = cmd_adjust

    p = sub.add_parser("convert", help="convert a holder's preferred: whole shares and cash in lieu")
    _charter_args(p)
    p.add_argument("--holder", required=True)
    p.add_argument("--fair-market-value", default="0", help="per common share, for the cash in lieu")
    COMMANDS["convert"] = cmd_convert

    p = sub.add_parser("dividend", help="allocate a declared dividend in priority order")
    _charter_args(p)
    p.add_argument("--amount", required=True)
    COMMANDS["dividend"] = cmd_dividend

    p = sub.add_parser("comply", help="consents, authorized shares, reservation and triggers of a proposed action")
    _charter_args(p)
    p.add_argument("--action", required=True, help="action file (TOML)")
    COMMANDS["comply"] = cmd_comply

    p = sub.add_parser("value", help="market value of securities distributed in a liquidation")
    _charter_args(p, cap_table=False)
    p.add_argument("--closes", required=True, help="closes file (TOML, [[closes]] date and price)")
    p.add_argument("--distribution-date", required=True)
    p.add_argument("--discount", default="0", help="restricted-securities discount, a fraction below 1")
    COMMANDS["value"] = cmd_value

    for name, register in _extensions():
        COMMANDS[name] = register(sub)
    return parser


def _extensions() -> list[tuple[str, Callable[[Any], Callable[[argparse.Namespace], None]]]]:
    """Commands that live above the oracle (solver, invariants, reports), registered if importable."""
    found = []
    for module_name in ("charter_oracle.solve_command", "charter_oracle.check_command", "charter_oracle.mutants_command"):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ImportError:
            continue
        found.append((module.NAME, module.register))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (exit statuses, interrupts, closed stdout and escaping: ``process``)."""
    from charter_oracle.process import run_main

    return run_main(_main, argv)


def _main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except OracleError as error:
        print(f"charter-oracle: {error}", file=sys.stderr)
        return error.exit_status  # 2 for bad input; 3 for a destination that cannot be written
    except RecursionError:
        print("charter-oracle: input nested too deeply", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        raise  # not a success: process.run_main says so (check keeps its verdict status itself)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
