"""The ``charter-oracle`` command: a thin layer over the oracle, the solver and the reports.

Every command computes its whole answer before printing anything, so bad input
never leaves half an output behind; every ``OracleError`` becomes one line on
stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tabulate import tabulate

from charter_oracle.api import LoadedCharter, load, value_of
from charter_oracle.oracle import bundled
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import InputError, InternalInconsistency, OracleError
from charter_oracle.oracle.exact import format_money, parse_amount
from charter_oracle.ocf_options import add_ocf_options, ocf_options
from charter_oracle.readable import readable
from charter_oracle.oracle.interpretations import parse_choices

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1  # an internal inconsistency is a bug report, like a failed check, never bad input


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        from charter_oracle.process import say  # one line, whatever the option's value holds

        say(message)
        raise SystemExit(EXIT_BAD_INPUT)


def _loaded(args: argparse.Namespace) -> LoadedCharter:
    """The charter and cap table the options name (the API loads them; this only reads the options)."""
    return load(args.charter, args.cap_table, parse_choices(args.interpret or []), **ocf_options(args))


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
    loaded = _loaded(args)
    charter, answer = loaded.charter, loaded.waterfall(parse_amount(args.proceeds, "--proceeds"))
    result = answer.distribution

    def text() -> str:
        lines = [f"{charter.name} ({charter.id}): liquidation of {format_money(answer.proceeds)}", ""]
        lines.append(tabulate(
            [[s.class_id, format_money(s.amount), s.what, s.cite] for s in result.steps] or [["-", "$0.00", "nothing to pay", "-"]],
            ["class", "amount", "step", "clause"],
        ))
        lines += ["", tabulate(
            [[cid, format_money(a), "converts" if cid in result.converted else "", readable(a)] for cid, a in result.classes],
            ["class", "total", "choice", "exact"],
        )]
        lines += ["", tabulate([[h, format_money(a), readable(a)] for h, a in result.holders], ["holder", "amount", "exact"])]
        if len(result.stable_outcomes) > 1:
            outs = "; ".join("{" + ", ".join(sorted(o)) + "}" for o in result.stable_outcomes)
            lines += ["", f"Several stable conversion outcomes: {outs} (all.equilibrium chose the first)."]
        if result.exercised:  # all.options-in-exit = cash-exercise
            lines += ["", f"Exercised in the exit (their {format_money(result.paid_in)} joined the proceeds): " + "; ".join(
                f"{e.holder} {e.shares:,} {e.class_id} at {format_money(e.exercise_price)}" for e in result.exercised)]
        lines += ["", "interpretations: " + ", ".join(f"{k}={v}" for k, v in charter.chosen)]
        return "\n".join(lines)

    _emit(args, answer.to_json(), text)


def cmd_votes(args: argparse.Namespace) -> None:
    loaded = _loaded(args)
    charter, answer = loaded.charter, loaded.votes()
    count = answer.count

    def text() -> str:
        rows = [[v.holder, v.common, readable(v.preferred_exact), v.preferred, v.total] for v in count.holders]
        rows.append(["total", "", "", "", count.total])
        return (f"Votes under {charter.id} ({count.cite}: preferred as converted, aggregated per holder, "
                f"then rounded {charter.voting.tie})\n\n"
                + tabulate(rows, ["holder", "common", "preferred (exact)", "preferred", "votes"]))

    _emit(args, answer.to_json(), text)


def cmd_adjust(args: argparse.Namespace) -> None:
    loaded = _loaded(args)
    charter, answer = loaded.charter, loaded.adjust(args.events)
    result = answer.ledger

    def text() -> str:
        series = [s.id for s in charter.series]
        rows = [["start", "", ""] + [readable(result.initial.price(s)) for s in series]]
        for i, (event, state, short) in enumerate(zip(result.events, result.states, answer.reservation_shortfalls)):
            rows.append([i, f"{event.kind} {event.date}", f"{short:,}" if short else "none"]
                        + [readable(state.price(s)) for s in series])
        notes = [[n.event, n.series, readable(n.before), readable(n.after), n.what, n.cite] for n in result.notes]
        return (tabulate(rows, ["event", "what", "reservation shortfall"] + series, disable_numparse=True) + "\n\n"
                + tabulate(notes, ["event", "series", "before", "after", "why", "clause"], disable_numparse=True))

    _emit(args, answer.to_json(), text)


def cmd_convert(args: argparse.Namespace) -> None:
    loaded = _loaded(args)
    answer = loaded.convert(args.holder, parse_amount(args.fair_market_value, "--fair-market-value"))
    r = answer.result

    def text() -> str:
        converted = ", ".join(f"{n:,} {sid}" for sid, n in dict(r.converted).items() if n) or "nothing"
        rows = [["holder", r.holder], ["preferred converted", converted],
                ["common (exact)", readable(r.common_exact)], ["common issued (whole shares)", f"{r.whole_shares:,}"],
                ["fraction paid in cash", readable(r.fraction)], ["cash in lieu", format_money(r.cash_in_lieu)],
                ["declared dividends paid", format_money(r.declared_dividends)]]
        rows += [[f"{sid} designated after retirement", f"{n:,}"] for sid, n in dict(r.designated_after).items()]
        if r.authorized_preferred_after is not None:
            rows += [["authorized preferred after retirement", f"{r.authorized_preferred_after:,}"]]
        rows += [["clauses", "; ".join(r.cites)]]
        return tabulate(rows, disable_numparse=True)

    _emit(args, answer.to_json(), text)


def cmd_dividend(args: argparse.Namespace) -> None:
    loaded = _loaded(args)
    paid = {}
    for pair in args.paid_this_year or []:
        if "=" not in pair:
            raise InputError(f"--paid-this-year {pair!r}: expected SERIES=AMOUNT (per share)")
        series_id, value = (part.strip() for part in pair.split("=", 1))
        paid[series_id] = parse_amount(value, f"--paid-this-year {series_id}")
    answer = loaded.dividend(parse_amount(args.amount, "--amount"), args.kind, paid)
    result, cites = answer.allocation, dict(answer.allocation.cites)

    def text() -> str:
        return (tabulate([[c, format_money(a), readable(a), cites.get(c, "")] for c, a in result.classes],
                         ["class", "dividend", "exact", "clause"], disable_numparse=True)
                + "\n\n" + tabulate([[h, format_money(a), readable(a)] for h, a in result.holders],
                                     ["holder", "dividend", "exact"], disable_numparse=True)
                + f"\n\nundistributed: {format_money(result.undistributed)}")

    _emit(args, answer.to_json(), text)


def cmd_comply(args: argparse.Namespace) -> None:
    answer = _loaded(args).comply(Path(args.action))
    _emit(args, answer.to_json(), lambda: tabulate([[c.name, "ok" if c.ok else "NO", c.what, c.cite] for c in answer.checks],
                                                   ["check", "result", "why", "clause"]))


def cmd_value(args: argparse.Namespace) -> None:
    # The valuation reads only the charter and the closes; a --cap-table given is still loaded and
    # checked (every command takes the common options, and a wrong file is refused, not ignored).
    charter = _loaded(args).charter if args.cap_table else load_charter(args.charter, parse_choices(args.interpret or []))
    day = parse_date(args.distribution_date, "--distribution-date")
    answer = value_of(charter, Path(args.closes), day, parse_amount(args.discount, "--discount"))
    v = answer.valuation

    def text() -> str:
        return tabulate([["value", format_money(v.value), readable(v.value)],
                         ["average close", format_money(v.average), readable(v.average)],
                         ["window", f"{v.window[0].isoformat()} .. {v.window[1].isoformat()}", ""],
                         ["closes used", f"{len(v.closes_used)}", ""], ["clause", v.cite, ""]], disable_numparse=True)

    _emit(args, answer.to_json(), text)


def _charter_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("charter", help="a bundled charter id or the path of a charter file")
    parser.add_argument("--cap-table", help="cap-table file or OCF package (default: the bundled reference cap table)")
    add_ocf_options(parser)
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
    p.add_argument("--kind", default="cash", help="cash (out of earnings, the default), cash-not-from-earnings, "
                   "other-securities or property: the last three go to the preferred as converted where the charter says so")
    p.add_argument("--paid-this-year", action="append", metavar="SERIES=AMOUNT",
                   help="per share, a series' preference already paid this fiscal year (repeatable)")
    COMMANDS["dividend"] = cmd_dividend

    p = sub.add_parser("comply", help="consents, authorized shares, reservation and triggers of a proposed action")
    _charter_args(p)
    p.add_argument("--action", required=True, help="action file (TOML)")
    COMMANDS["comply"] = cmd_comply

    p = sub.add_parser("value", help="market value of securities distributed in a liquidation")
    _charter_args(p)
    p.add_argument("--closes", required=True, help="closes file (TOML, [[closes]] date and price)")
    p.add_argument("--distribution-date", required=True)
    p.add_argument("--discount", default="0", help="restricted-securities discount, a fraction below 1")
    COMMANDS["value"] = cmd_value

    for name, register in _extensions():
        COMMANDS[name] = register(sub)
    return parser


def _extensions() -> list[tuple[str, Callable[[Any], Callable[[argparse.Namespace], None]]]]:
    """Commands that live above the oracle (solver, invariants, reports). Imported here, when the parser is
    built, so that the oracle's commands do not load Z3 or Hypothesis at import; every dependency is
    required, so a failing import is a bug to see, never a command silently missing."""
    found = []
    for module_name in ("charter_oracle.solve_command", "charter_oracle.sweep_command", "charter_oracle.check_command",
                        "charter_oracle.mutants_command", "charter_oracle.init_command",
                        "charter_oracle.conform_command", "charter_oracle.conformance_command",
                        "charter_oracle.redeem_command", "charter_oracle.pay_to_play_command"):
        module = __import__(module_name, fromlist=["register"])
        found.append((module.NAME, module.register))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (exit statuses, interrupts, closed stdout and escaping: ``process``)."""
    from charter_oracle.process import run_main

    return run_main(_main, argv)


@functools.lru_cache(maxsize=1)
def _parser() -> argparse.ArgumentParser:
    # Built once per process: parsing leaves a parser as it found it, and building one costs milliseconds
    # (argparse looks up its translations for every option), which a process answering many calls repeats.
    return build_parser()


def _main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except InternalInconsistency as error:  # our bug, not the user's input: never exit 2
        print(f"charter-oracle: internal inconsistency (a bug in charter-oracle; please report it): {error}",
              file=sys.stderr)
        return EXIT_INTERNAL
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
