"""A generated corpus of hostile and careless inputs, each with its exact expected outcome.

``cases()`` returns every case; ``tests/hostile/test_corpus.py`` runs them in-process
through ``charter_oracle.cli.main``. ``python tests/hostile/corpus.py`` prints the
counts by category. A case is a command line (``{d}`` is the case's own directory,
``{cap}`` a bundled cap table), the files it needs, and either a refusal (exit status
and the words its one stderr line must name) or a right answer (exit 0 and a check of
stdout). Categories follow issue 16:

* ``special-files``: FIFOs, devices, directories, dangling links, empty paths as every input file;
* ``bounds``: size, digit runs, dotted keys, nesting, encoding, before any parsing;
* ``charter-types``: every leaf of a charter file given a value of the wrong type;
* ``non-ascii-digits``: Arabic-Indic and full-width digits in every number of a charter and on the command line;
* ``loose-values``: the issue's list (strings for booleans and lists, zero day counts, caps,
  duplicate ids, ``format = true``, option holders, voting power 3/2, type errors in cap
  tables, actions and closes, dates out of range);
* ``command-line``: bad option values;
* ``destinations``: ``check``'s report, JUnit, baseline and summary destinations, ids as paths;
* ``right-answers``: equivalent inputs give identical answers; hostile names are escaped, not refused.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

BUNDLED = Path(__file__).resolve().parents[2] / "oracle" / "bundled"
CAP = {name: str(BUNDLED / f"{name}.cap-table.toml") for name in ("example-modern", "infinity-1996", "nvidia-1998", "byzantine-1999")}
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Case:
    category: str
    name: str
    argv: tuple[str, ...]
    files: tuple[tuple[str, Any], ...] = ()  # name -> bytes | str | ("fifo",) | ("dir",) | ("symlink", target)
    status: int = 2
    words: tuple[str, ...] = ()  # each must appear (case-insensitively) in the one stderr line
    check_out: Callable[[str], bool] | None = None  # right answers: a check of stdout
    env: tuple[tuple[str, str], ...] = ()
    ascii_stdout: bool = False
    untouched: tuple[str, ...] = ()  # files under {d} that must keep their bytes
    same_as: tuple[str, ...] = ()  # right answers: argv whose stdout must be identical

    @property
    def id(self) -> str:
        return f"{self.category}:{self.name}"


def _text(name: str) -> str:
    return (BUNDLED / f"{name}.toml").read_text(encoding="utf-8")


# --- a minimal TOML writer (the corpus mutates parsed charters and writes them back) -------------


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a JSON string is a TOML basic string (same escapes)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def dumps(data: dict[str, Any]) -> str:
    """Top-level scalars, then every table as an inline table, arrays of tables as [[...]]."""
    lines = []
    tables = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
            tables.append((key, value))
        else:
            lines.append(f"{json.dumps(key)} = {_value(value)}")
    for key, rows in tables:
        for row in rows:
            lines += ["", f"[[{json.dumps(key)}]]"] + [f"{json.dumps(k)} = {_value(v)}" for k, v in row.items()]
    return "\n".join(lines) + "\n"


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, path + (k,))]
    if isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
        return [leaf for i, v in enumerate(node) for leaf in _leaves(v, path + (i,))]
    return [(path, node)]


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


def _key(path: tuple[Any, ...]) -> str:
    return next(str(p) for p in reversed(path) if isinstance(p, str))


def _wrong_values(value: Any) -> list[tuple[str, Any]]:
    """Values of a type the leaf can never take (so each must be refused, naming the key)."""
    if isinstance(value, bool):
        return [("string-false", "false"), ("string-true", "true"), ("int", 1)]
    if isinstance(value, int):
        return [("bool", True), ("word", "many"), ("float", 1.5)]
    if isinstance(value, str):
        return [("bool", True), ("table", {"x": "1"}), ("list", [value])]
    if isinstance(value, list):
        return [("string", "x" if not value else str(value[0])), ("int", 5)]
    if isinstance(value, dt.date):
        return [("bool", False), ("bad-month", "1996-13-01"), ("year-1", dt.date(1, 1, 1))]
    return []


def _numeric(value: Any) -> bool:
    return isinstance(value, str) and any(c.isdigit() for c in value) and all(c in "0123456789./-" for c in value)


def charter_type_cases() -> list[Case]:
    out = []
    for name in ("example-modern", "infinity-1996"):
        data = tomllib.loads(_text(name))
        for n, (path, value) in enumerate(_leaves(data)):
            key = _key(path)
            wrongs = _wrong_values(value)
            # One wrong type per leaf, taken in turn (every leaf tried, every kind of wrong value
            # used), which keeps the whole corpus around ten seconds of CPU.
            for label, wrong in wrongs[n % len(wrongs):][:1] if wrongs else ():
                label_path = ".".join(str(p) for p in path)
                out.append(Case(
                    "charter-types", f"{name}:{label_path}={label}",
                    ("votes", "{d}/c.toml", "--cap-table", CAP[name]),
                    files=(("c.toml", dumps(_set(data, path, wrong))),), words=(key,),
                ))
    return out


def non_ascii_cases() -> list[Case]:
    out = []
    for name in ("example-modern", "infinity-1996"):
        data = tomllib.loads(_text(name))
        for path, value in _leaves(data):
            if not _numeric(value):
                continue
            for label, table in (("arabic", ARABIC), ("full-width", FULL_WIDTH)):
                out.append(Case(
                    "non-ascii-digits", f"{name}:{'.'.join(str(p) for p in path)}:{label}",
                    ("votes", "{d}/c.toml", "--cap-table", CAP[name]),
                    files=(("c.toml", dumps(_set(data, path, value.translate(table)))),), words=(_key(path),),
                ))
    for label, table in (("arabic", ARABIC), ("full-width", FULL_WIDTH)):
        for option, argv in (
            ("--proceeds", ("waterfall", "nvidia-1998", "--proceeds", "25000000")),
            ("--amount", ("dividend", "nvidia-1998", "--amount", "1000")),
            ("--fair-market-value", ("convert", "nvidia-1998", "--holder", "X", "--fair-market-value", "12")),
            ("--discount", ("value", "infinity-1996", "--closes", "{d}/closes.toml", "--distribution-date", "1999-06-30",
                            "--discount", "0.25")),
            ("--distribution-date", ("value", "infinity-1996", "--closes", "{d}/closes.toml", "--distribution-date",
                                     "1999-06-30")),
        ):
            argv = tuple(a.translate(table) if i == len(argv) - 1 else a for i, a in enumerate(argv))
            out.append(Case("non-ascii-digits", f"cli{option}:{label}", argv, files=(("closes.toml", CLOSES),),
                            words=(option,)))
        for key, good in (("shares", "8000000"),):
            text = Path(CAP["example-modern"]).read_text(encoding="utf-8").replace(
                f"{key} = {good}", f'{key} = "{good.translate(table)}"', 1)
            out.append(Case("non-ascii-digits", f"cap-table.{key}:{label}", ("votes", "example-modern", "--cap-table", "{d}/t.toml"),
                            files=(("t.toml", text),), words=(key,)))
        out.append(Case("non-ascii-digits", f"closes.price:{label}",
                        ("value", "infinity-1996", "--closes", "{d}/x.toml", "--distribution-date", "1999-06-30"),
                        files=(("x.toml", CLOSES.replace('"10.00"', '"' + "10.00".translate(table) + '"', 1)),), words=("price",)))
        out.append(Case("non-ascii-digits", f"action.shares:{label}", ("comply", "example-modern", "--action", "{d}/a.toml"),
                        files=(("a.toml", f'action = "issue"\nclass = "common"\nshares = "{"100".translate(table)}"\n'),),
                        words=("shares",)))
    return out


CLOSES = "".join(f'[[closes]]\ndate = "1999-06-{day:02d}"\nprice = "10.00"\n\n' for day in range(1, 29))

# --- special files and bounds, for every input file of every command -----------------------------

INPUTS = {
    # option -> (argv with {f} for the file under test)
    "charter": ("votes", "{f}", "--cap-table", CAP["example-modern"]),
    "--cap-table": ("votes", "example-modern", "--cap-table", "{f}"),
    "--events": ("adjust", "nvidia-1998", "--events", "{f}"),
    "--action": ("comply", "example-modern", "--action", "{f}"),
    "--closes": ("value", "infinity-1996", "--closes", "{f}", "--distribution-date", "1999-06-30"),
    "--baseline": ("check", "byzantine-1999", "--no-mutants", "--out", "{d}/out", "--baseline", "{f}"),
}


def _argv(template: tuple[str, ...], f: str) -> tuple[str, ...]:
    return tuple(a.replace("{f}", f) for a in template)


def special_file_cases() -> list[Case]:
    out = []
    for option, template in INPUTS.items():
        specials = [
            ("fifo", (("x.toml", ("fifo",)),), "{d}/x.toml", ("not a regular file",)),
            ("dev-zero", (), "/dev/zero", ("not a regular file",)),
            ("dev-urandom", (), "/dev/urandom", ("not a regular file",)),
            ("dev-null", (), "/dev/null", ("not a regular file",)),
            ("directory", (("x.toml", ("dir",)),), "{d}/x.toml", ("directory",)),
            ("missing", (), "{d}/missing.toml", ("no such file",)),
            ("link-to-dev-zero", (("x.toml", ("symlink", "/dev/zero")),), "{d}/x.toml", ("not a regular file",)),
            ("dangling-link", (("x.toml", ("symlink", "/nonexistent/target")),), "{d}/x.toml", ("no such file",)),
            ("link-to-fifo", (("p", ("fifo",)), ("x.toml", ("symlink", "p"))), "{d}/x.toml", ("not a regular file",)),
            ("socket", (("s", ("socket",)),), "{d}/s", ("not a regular file",)),
        ]
        for label, files, path, words in specials:
            out.append(Case("special-files", f"{option}:{label}", _argv(template, path), files=files,
                            words=(words[0], _what(option))))
    return out


def _what(option: str) -> str:
    return {"charter": "charter", "--cap-table": "cap table", "--events": "events file", "--action": "action file",
            "--closes": "closes file", "--baseline": "--baseline"}[option]


def bound_cases() -> list[Case]:
    out = []
    big_int = "x = " + "9" * 3_000_000 + "\n"
    dotted = "[" + ".".join(["a"] * 200_000) + "]\n"
    nested = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    nested_tables = "x = " + "{a = " * 100 + "1" + "}" * 100 + "\n"
    for option, template in INPUTS.items():
        what = _what(option)
        bodies = [
            ("oversized", "# " + "x" * (5 * 1024 * 1024) + "\n", ("limit",)),
            ("3MB-integer", big_int, ("digits",)),
            ("long-integer-in-string", 'x = "' + "1" * 5000 + '"\n', ("digits",)),
            ("200000-dotted-parts", dotted, ("dotted",)),
            ("dotted-key", ".".join(["a"] * 100) + " = 1\n", ("dotted",)),
            ("nested-arrays", nested, ("nested",)),
            ("nested-inline-tables", nested_tables, ("nested",)),
            ("not-utf8", b"x = \"\xff\xfe\"\n", ("utf-8",)),
            ("binary", bytes(range(256)), ("utf-8",) if option != "--baseline" else ("utf-8",)),
            ("not-toml", "this is not [toml\n" if option != "--baseline" else "{not json", ("valid",)),
        ]
        for label, body, words in bodies:
            if option == "--baseline" and label in ("200000-dotted-parts", "dotted-key", "nested-inline-tables"):
                continue  # JSON has no dotted keys; nesting is bounded by the JSON parser's recursion guard
            out.append(Case("bounds", f"{option}:{label}", _argv(template, "{d}/x.toml"), files=(("x.toml", body),),
                            words=(what,) + words))
    out.append(Case("bounds", "--baseline:nested-json", _argv(INPUTS["--baseline"], "{d}/x.json"),
                    files=(("x.json", "[" * 100_000 + "]" * 100_000),), words=("--baseline", "json")))
    return out


# --- the loose values --------------------------------------------------------------------

EM = "example-modern"


def _charter_edit(name: str, old: str, new: str, label: str, words: tuple[str, ...], count: int = 1) -> Case:
    text = _text(name)
    assert text.count(old) >= count, (name, old)
    return Case("loose-values", f"{name}:{label}", ("votes", "{d}/c.toml", "--cap-table", CAP[name]),
                files=(("c.toml", text.replace(old, new, count)),), words=words)


def _action(label: str, body: str, words: tuple[str, ...], charter: str = EM, status: int = 2) -> Case:
    return Case("loose-values", f"action:{label}", ("comply", charter, "--action", "{d}/a.toml"),
                files=(("a.toml", body),), words=words, status=status)


def _cap(label: str, body: str, words: tuple[str, ...], charter: str = EM) -> Case:
    return Case("loose-values", f"cap-table:{label}", ("votes", charter, "--cap-table", "{d}/t.toml"),
                files=(("t.toml", body),), words=words)


def _closes(label: str, body: str, words: tuple[str, ...]) -> Case:
    return Case("loose-values", f"closes:{label}",
                ("value", "infinity-1996", "--closes", "{d}/x.toml", "--distribution-date", "1999-06-30"),
                files=(("x.toml", body),), words=words)


HOLDING = '[[holdings]]\nholder = "A"\nclass = "common"\nshares = 10\n'


def loose_value_cases() -> list[Case]:
    out = [
        _charter_edit(EM, "firm_commitment_required = true", 'firm_commitment_required = "false"', "firm-commitment-string",
                      ("firm_commitment_required",)),
        _charter_edit("infinity-1996", 'exceptions = ["primary-issuance"]', 'exceptions = "primary-issuance"',
                      "exceptions-string", ("exceptions",)),
        _charter_edit("infinity-1996", "valuation_days = 30", "valuation_days = 0", "valuation-days-0", ("valuation_days",)),
        _charter_edit("infinity-1996", "valuation_days = 30", "valuation_days = -30", "valuation-days-negative", ("valuation_days",)),
        _charter_edit("infinity-1996", "day_count = 365", "day_count = 0", "day-count-0", ("day_count",)),
        _charter_edit("infinity-1996", "day_count = 365", 'day_count = "0"', "day-count-string-0", ("day_count",)),
        _charter_edit(EM, 'cap_per_share = "6.00"', 'cap_per_share = "1.00"', "cap-below-preference", ("cap_per_share",)),
        _charter_edit(EM, 'classes = ["series_a1", "series_a2", "series_b", "series_c"]\nbasis = "as-converted"\nthreshold = "1/2"',
                      'classes = []\nbasis = "as-converted"\nthreshold = "1/2"', "empty-consent-classes", ("classes",)),
        _charter_edit(EM, 'classes = ["series_a1", "series_a2", "series_b", "series_c"]\nbasis',
                      'classes = ["series_b", "series_b"]\nbasis', "repeated-consent-class", ("classes",)),
        _charter_edit(EM, "format = 1", "format = true", "format-true", ("format",)),
        _charter_edit(EM, "format = 1", 'format = "1"', "format-string", ("format",)),
        _charter_edit(EM, "format = 1", "format = 1.0", "format-float", ("format",)),
        _charter_edit(EM, "format = 1", "format = 2", "format-2", ("format",)),
        _charter_edit("infinity-1996", 'id = "infinity.valuation-window"', 'id = "infinity.vote-tie"',
                      "duplicate-interpretation-id", ("interpretations", "twice")),
        _charter_edit("infinity-1996", 'id = "infinity.valuation-window"', 'id = "all.equilibrium"',
                      "interpretation-redeclares-global", ("interpretations", "global")),
        _charter_edit(EM, "[[consents]]\nid", _text(EM)[_text(EM).index("[[consents]]"):] + "\n[[consents]]\nid",
                      "duplicate-consent-id", ("consents", "duplicate")),
        _charter_edit(EM, 'id = "example-modern"', 'id = "./../../ESCAPED"', "id-path", ("charter.id",)),
        _charter_edit(EM, 'id = "example-modern"', 'id = "index"', "id-index", ("charter.id",)),
        _charter_edit(EM, 'id = "example-modern"', 'id = "a/b"', "id-slash", ("charter.id",)),
        _charter_edit(EM, 'id = "example-modern"', 'id = ".hidden"', "id-dot", ("charter.id",)),
        _charter_edit(EM, 'id = "example-modern"', 'id = "' + "x" * 65 + '"', "id-long", ("charter.id",)),
        _charter_edit(EM, 'id = "example-modern"', 'id = "ex\\u001b[2J"', "id-escape", ("charter.id",)),
        _charter_edit(EM, 'date = "2024-06-01"', "date = 0001-01-01", "date-year-1", ("date", "supported")),
        _charter_edit(EM, 'date = "2024-06-01"', "date = 9999-12-31", "date-year-9999", ("date", "supported")),
        _charter_edit(EM, 'date = "2024-06-01"', 'date = "2024-02-30"', "date-feb-30", ("date",)),
    ]
    # The action file: types decide answers, so every key is type-checked.
    merger = 'action = "merger"\ntransaction = "merger"\n'
    out += [
        _action("firm-commitment-string", 'action = "offering"\nprice = "20"\ngross = "60000000"\nfirm_commitment = "false"\n',
                ("firm_commitment",)),
        _action("firm-commitment-int", 'action = "offering"\nprice = "20"\ngross = "60000000"\nfirm_commitment = 1\n',
                ("firm_commitment",)),
        _action("flags-string", merger + 'voting-power-retained = "1/4"\nflags = "primary-issuance"\n', ("flags",)),
        _action("flags-int", merger + 'voting-power-retained = "1/4"\nflags = 5\n', ("flags",)),
        _action("flags-list-of-int", merger + 'voting-power-retained = "1/4"\nflags = [5]\n', ("flags",)),
        _action("voting-power-3/2", merger + 'voting-power-retained = "3/2"\n', ("voting-power-retained",)),
        _action("voting-power-negative", merger + 'voting-power-retained = "-1/2"\n', ("voting-power-retained",)),
        _action("voting-power-float", merger + "voting-power-retained = 0.5\n", ("voting-power-retained",)),
        _action("voting-power-bool", merger + "voting-power-retained = true\n", ("voting-power-retained",)),
        _action("transaction-int", 'action = "merger"\ntransaction = 7\n', ("transaction",)),
        _action("transaction-list", 'action = "merger"\ntransaction = ["merger"]\n', ("transaction",)),
        _action("action-list", 'action = ["issue"]\n', ("action",)),
        _action("action-empty", 'action = ""\n', ("action",)),
        _action("action-missing", 'class = "common"\n', ("action",)),
        _action("approving-string", 'action = "merger"\napproving = "Seed Fund"\n', ("approving",)),
        _action("approving-list-of-int", 'action = "merger"\napproving = [1]\n', ("approving",)),
        _action("approving-unknown", 'action = "merger"\napproving = ["Nobody"]\n', ("nobody",)),
        _action("class-list", 'action = "issue"\nclass = ["common"]\nshares = 10\n', ("class",)),
        _action("class-int", 'action = "issue"\nclass = 7\nshares = 10\n', ("class",)),
        _action("class-unknown", 'action = "issue"\nclass = "series_z"\nshares = 10\n', ("series_z",)),
        _action("shares-negative", 'action = "issue"\nclass = "common"\nshares = -10\n', ("shares",)),
        _action("shares-float", 'action = "issue"\nclass = "common"\nshares = 1.5\n', ("shares",)),
        _action("shares-missing", 'action = "issue"\nclass = "common"\n', ("shares",)),
        _action("price-float", 'action = "offering"\nprice = 20.5\ngross = "60000000"\n', ("price",)),
        _action("gross-bool", 'action = "offering"\nprice = "20"\ngross = true\n', ("gross",)),
        _action("unknown-key", 'action = "merger"\nvoting_power_retained = "1/4"\n', ("voting_power_retained",)),
        _action("measure-missing", merger, ("voting-power-retained",)),
    ]
    # Cap tables: type errors anywhere are refusals naming the key.
    head = 'as_of = "2026-06-30"\n'
    out += [
        _cap("class-list", head + '[[holdings]]\nholder = "A"\nclass = ["common"]\nshares = 10\n', ("class",)),
        _cap("class-int", head + '[[holdings]]\nholder = "A"\nclass = 7\nshares = 10\n', ("class",)),
        _cap("class-table", head + '[[holdings]]\nholder = "A"\nclass = {x = 1}\nshares = 10\n', ("class",)),
        _cap("holder-int", head + '[[holdings]]\nholder = 7\nclass = "common"\nshares = 10\n', ("holder",)),
        _cap("holder-empty", head + '[[holdings]]\nholder = ""\nclass = "common"\nshares = 10\n', ("holder",)),
        _cap("holder-blank", head + '[[holdings]]\nholder = "  "\nclass = "common"\nshares = 10\n', ("holder",)),
        _cap("shares-string-float", head + '[[holdings]]\nholder = "A"\nclass = "common"\nshares = "1.5"\n', ("shares",)),
        _cap("shares-exponent", head + '[[holdings]]\nholder = "A"\nclass = "common"\nshares = "1e3"\n', ("shares",)),
        _cap("shares-bool", head + '[[holdings]]\nholder = "A"\nclass = "common"\nshares = true\n', ("shares",)),
        _cap("shares-negative", head + '[[holdings]]\nholder = "A"\nclass = "common"\nshares = -1\n', ("shares",)),
        _cap("holdings-table", head + '[holdings]\nholder = "A"\n', ("holdings",)),
        _cap("holdings-string", head + 'holdings = "A"\n', ("holdings",)),
        _cap("holdings-empty", head + "holdings = []\n", ("holdings",)),
        _cap("option-holder-int", head + HOLDING + '[[options]]\nholder = 7\nshares = 10\nexercise_price = "1"\n', ("holder",)),
        _cap("option-holder-empty", head + HOLDING + '[[options]]\nholder = ""\nshares = 10\nexercise_price = "1"\n', ("holder",)),
        _cap("option-price-float", head + HOLDING + '[[options]]\nholder = "P"\nshares = 10\nexercise_price = 1.0\n',
             ("exercise_price",)),
        _cap("options-string", head + HOLDING + 'options = "pool"\n', ("options",)),
        _cap("conversion-prices-list", head + HOLDING + "conversion_prices = [1]\n", ("conversion_prices",)),
        _cap("conversion-price-zero", head + HOLDING + '[conversion_prices]\nseries_b = "0"\n', ("series_b",)),
        _cap("conversion-price-bool", head + HOLDING + "[conversion_prices]\nseries_b = true\n", ("series_b",)),
        _cap("conversion-price-unknown-series", head + HOLDING + '[conversion_prices]\ncommon = "1"\n', ("common",)),
        _cap("dividends-table-string", head + HOLDING + 'declared_unpaid_dividends = "1"\n', ("declared_unpaid_dividends",)),
        _cap("issue-date-bad", head + HOLDING + '[issue_dates]\nseries_b = "2026-02-30"\n', ("issue_dates",)),
        _cap("as-of-missing", HOLDING, ("as_of",)),
        _cap("as-of-int", "as_of = 20260630\n" + HOLDING, ("as_of",)),
        _cap("as-of-compact", 'as_of = "20260630"\n' + HOLDING, ("as_of",)),
        _cap("as-of-year-1", "as_of = 0001-01-01\n" + HOLDING, ("as_of", "supported")),
        _cap("as-of-year-9999", "as_of = 9999-12-31\n" + HOLDING, ("as_of", "supported")),
        _cap("as-of-datetime", "as_of = 2026-06-30T10:00:00\n" + HOLDING, ("as_of",)),
        _cap("as-of-arabic", 'as_of = "٢٠٢٦-٠٦-٣٠"\n' + HOLDING, ("as_of",)),
        _cap("unknown-key", head + HOLDING + "extra = 1\n", ("extra",)),
        _cap("holding-extra-key", head + '[[holdings]]\nholder = "A"\nclass = "common"\nshares = 10\nnote = "x"\n', ("holdings",)),
        _cap("too-many-common", head + '[[holdings]]\nholder = "A"\nclass = "common"\nshares = 10000000000000\n', ("authorized",)),
    ]
    out += [
        _closes("price-bool", '[[closes]]\ndate = "1999-06-01"\nprice = true\n', ("price",)),
        _closes("price-float", '[[closes]]\ndate = "1999-06-01"\nprice = 10.5\n', ("price",)),
        _closes("price-negative", '[[closes]]\ndate = "1999-06-01"\nprice = "-1"\n', ("price",)),
        _closes("date-int", "[[closes]]\ndate = 19990601\nprice = \"10\"\n", ("date",)),
        _closes("date-bad-day", '[[closes]]\ndate = "1999-02-30"\nprice = "10"\n', ("date",)),
        _closes("date-year-1", '[[closes]]\ndate = 0001-01-01\nprice = "10"\n', ("date",)),
        _closes("closes-table", '[closes]\ndate = "1999-06-01"\n', ("closes",)),
        _closes("closes-string", 'closes = "x"\n', ("closes",)),
        _closes("duplicate-date", '[[closes]]\ndate = "1999-06-01"\nprice = "10"\n[[closes]]\ndate = "1999-06-01"\nprice = "11"\n',
                ("two closes",)),
        _closes("row-extra-key", '[[closes]]\ndate = "1999-06-01"\nprice = "10"\nvolume = 5\n', ("closes[0]",)),
    ]
    return out


def command_line_cases() -> list[Case]:
    out = []
    for value, word in (("", "--proceeds"), (" ", "--proceeds"), ("nan", "--proceeds"), ("inf", "--proceeds"),
                        ("-inf", "--proceeds"), ("1e999", "--proceeds"), ("1e31", "--proceeds"), ("-5", "negative"),
                        ("1,000", "--proceeds"), ("0x10", "--proceeds"), ("1_000", "--proceeds"), ("1/0", "zero"),
                        ("5/", "--proceeds"), ("--", "--proceeds"), ("1" * 200, "--proceeds"), ("١٠٠", "--proceeds"),
                        ("12\u00a0000", "--proceeds"), ("1.2.3", "--proceeds"), ("$100", "--proceeds"), ("1e-999", "--proceeds")):
        out.append(Case("command-line", f"--proceeds={value!r}", ("waterfall", "nvidia-1998", f"--proceeds={value}"),
                        words=(word,)))
    for value in ("1996-02-30", "19960701", "1996-W01-1", "0001-01-01", "9999-12-31", "tomorrow", ""):
        out.append(Case("command-line", f"--distribution-date={value!r}",
                        ("value", "infinity-1996", "--closes", "{d}/c.toml", f"--distribution-date={value}"),
                        files=(("c.toml", CLOSES),), words=("--distribution-date",)))
    for value, word in (("1", "discount"), ("2", "discount"), ("-1/2", "negative"), ("x", "--discount")):
        out.append(Case("command-line", f"--discount={value!r}",
                        ("value", "infinity-1996", "--closes", "{d}/c.toml", "--distribution-date", "1999-06-30",
                         f"--discount={value}"), files=(("c.toml", CLOSES),), words=(word,)))
    for argv, words in (
        (("--interpret", "infinity.vote-tie=half-up", "--interpret", "infinity.vote-tie=half-even"), ("infinity.vote-tie", "twice")),
        (("--interpret", "infinity.vote-tie"), ("expected id=value",)),
        (("--interpret", "=half-up"), ("expected id=value",)),
        (("--interpret", "infinity.vote-tie=sideways"), ("sideways",)),
        (("--interpret", "nvidia.price-rounding=1/100"), ("nvidia.price-rounding",)),
        (("--interpret", "infinity.vote-tie=half-up\x1b[2J"), ("infinity.vote-tie",)),
    ):
        out.append(Case("command-line", "interpret:" + "|".join(argv[1::2]), ("votes", "infinity-1996") + argv, words=words))
    for holder in ("Nobody", "", "\x1b[31mred", "Seed Fund\n"):
        out.append(Case("command-line", f"--holder={holder!r}", ("convert", "example-modern", f"--holder={holder}"),
                        words=("holder",)))
    out += [
        Case("command-line", "unknown-charter", ("votes", "no-such-charter"), words=("no-such-charter",)),
        Case("command-line", "charter-escape-name", ("votes", "\x1b]0;pwned\x07"), words=("\\x1b",)),
        Case("command-line", "no-cap-table-for-file", ("votes", "{d}/c.toml"), files=(("c.toml", _text(EM).replace(
            'id = "example-modern"', 'id = "mine"')),), words=("--cap-table",)),
        Case("command-line", "unknown-command", ("frobnicate",), words=("frobnicate",)),
        Case("command-line", "missing-proceeds", ("waterfall", "nvidia-1998"), words=("--proceeds",)),
        Case("command-line", "check-profile", ("check", "byzantine-1999", "--profile", "nightly", "--out", "{d}/o"),
             words=("--profile",)),
        Case("command-line", "check-cap-table-two-charters",
             ("check", "byzantine-1999", "nvidia-1998", "--cap-table", CAP["nvidia-1998"], "--out", "{d}/o"),
             words=("exactly one",)),
    ]
    return out


# --- check's destinations: refused before the run ----------------------------------------------------

CHECK = ("check", "byzantine-1999", "--no-mutants")


def destination_cases() -> list[Case]:
    old = (("out/index.md", "old index\n"), ("out/byzantine-1999.md", "old report\n"))
    keep = ("out/index.md", "out/byzantine-1999.md")
    out = [
        Case("destinations", "out-empty", CHECK + ("--out", ""), words=("--out", "empty")),
        Case("destinations", "out-blank", CHECK + ("--out", "  "), words=("--out", "empty")),
        Case("destinations", "out-is-file", CHECK + ("--out", "{d}/f"), files=(("f", "precious\n"),), status=3,
             words=("--out", "is a file"), untouched=("f",)),
        Case("destinations", "out-is-symlink", CHECK + ("--out", "{d}/link"), files=(("real", ("dir",)), ("link", ("symlink", "real"))),
             status=3, words=("--out", "symbolic link")),
        Case("destinations", "out-dangling-symlink", CHECK + ("--out", "{d}/link"), files=(("link", ("symlink", "{d}/nowhere")),),
             status=3, words=("--out", "symbolic link")),
        Case("destinations", "out-proc", CHECK + ("--out", "/proc/self/reports"), words=("--out", "/proc")),
        Case("destinations", "out-sys", CHECK + ("--out", "/sys/reports"), words=("--out", "/sys")),
        Case("destinations", "out-dev", CHECK + ("--out", "/dev/reports"), words=("--out", "/dev")),
        Case("destinations", "out-root", CHECK + ("--out", "/"), words=("--out",)),
        Case("destinations", "out-package-source", CHECK + ("--out", "{pkg}/oracle"), words=("--out", "source")),
        Case("destinations", "out-inside-package", CHECK + ("--out", "{pkg}/oracle/bundled"), words=("--out", "source")),
        Case("destinations", "out-package-parent", CHECK + ("--out", "{pkg}"), words=("--out", "source")),
        Case("destinations", "out-holds-directory", CHECK + ("--out", "{d}/out"), files=old + (("out/sub", ("dir",)),),
             status=3, words=("--out", "sub"), untouched=keep),
        Case("destinations", "out-holds-fifo", CHECK + ("--out", "{d}/out"), files=old + (("out/p", ("fifo",)),),
             status=3, words=("--out", "'p'"), untouched=keep),
        Case("destinations", "out-parent-missing", CHECK + ("--out", "{d}/no/such/out"), status=3, words=("--out", "parent")),
        Case("destinations", "out-parent-is-file", CHECK + ("--out", "{d}/f/out"), files=(("f", "x"),), status=3,
             words=("--out", "not a directory")),
        Case("destinations", "junit-is-directory", CHECK + ("--out", "{d}/out", "--junit", "{d}/j"), files=old + (("j", ("dir",)),),
             status=3, words=("--junit", "directory"), untouched=keep),
        Case("destinations", "junit-parent-missing", CHECK + ("--out", "{d}/out", "--junit", "{d}/no/j.xml"), files=old,
             status=3, words=("--junit",), untouched=keep),
        Case("destinations", "junit-overwrites-index", CHECK + ("--out", "{d}/out", "--junit", "{d}/out/index.md"), files=old,
             words=("--junit", "index.md"), untouched=keep),
        Case("destinations", "junit-overwrites-report", CHECK + ("--out", "{d}/out", "--junit", "{d}/out/byzantine-1999.json"),
             files=old, words=("--junit", "byzantine-1999.json"), untouched=keep),
        Case("destinations", "junit-overwrites-svg-via-dotdot",
             CHECK + ("--out", "{d}/out", "--junit", "{d}/out/../out/byzantine-1999.svg"), files=old,
             words=("--junit", "byzantine-1999.svg"), untouched=keep),
        Case("destinations", "junit-is-out", CHECK + ("--out", "{d}/out", "--junit", "{d}/out"), files=old,
             words=("--junit", "report directory"), untouched=keep),
        Case("destinations", "junit-empty", CHECK + ("--out", "{d}/out", "--junit", ""), files=old,
             words=("--junit", "empty"), untouched=keep),
        Case("destinations", "write-baseline-is-directory", CHECK + ("--out", "{d}/out", "--write-baseline", "{d}/b"),
             files=old + (("b", ("dir",)),), status=3, words=("--write-baseline", "directory"), untouched=keep),
        Case("destinations", "write-baseline-overwrites-report",
             CHECK + ("--out", "{d}/out", "--write-baseline", "{d}/out/byzantine-1999.md"), files=old,
             words=("--write-baseline", "byzantine-1999.md"), untouched=keep),
        Case("destinations", "write-baseline-is-junit",
             CHECK + ("--out", "{d}/out", "--write-baseline", "{d}/x.xml", "--junit", "{d}/x.xml"), files=old,
             words=("another option",), untouched=keep),
        Case("destinations", "write-baseline-parent-missing",
             CHECK + ("--out", "{d}/out", "--write-baseline", "{d}/none/b.json"), files=old, status=3,
             words=("--write-baseline",), untouched=keep),
        Case("destinations", "summary-is-directory", CHECK + ("--out", "{d}/out"), files=old + (("s", ("dir",)),),
             env=(("GITHUB_STEP_SUMMARY", "{d}/s"),), status=3, words=("github_step_summary", "directory"), untouched=keep),
        Case("destinations", "summary-parent-missing", CHECK + ("--out", "{d}/out"), files=old,
             env=(("GITHUB_STEP_SUMMARY", "{d}/none/s.md"),), status=3, words=("github_step_summary",), untouched=keep),
        Case("destinations", "summary-dev-full", CHECK + ("--out", "{d}/out"), files=old,
             env=(("GITHUB_STEP_SUMMARY", "/proc/self/status"),), status=3, words=("github_step_summary",), untouched=keep),
        Case("destinations", "baseline-is-directory", CHECK + ("--out", "{d}/out", "--baseline", "{d}/b"),
             files=old + (("b", ("dir",)),), words=("--baseline", "directory"), untouched=keep),
        Case("destinations", "baseline-not-a-baseline", CHECK + ("--out", "{d}/out", "--baseline", "{d}/b.json"),
             files=old + (("b.json", '{"accepted": 5}'),), words=("--baseline", "not a baseline"), untouched=keep),
        Case("destinations", "baseline-list", CHECK + ("--out", "{d}/out", "--baseline", "{d}/b.json"),
             files=old + (("b.json", "[1, 2]"),), words=("--baseline", "not a baseline"), untouched=keep),
        Case("destinations", "id-escapes-out", ("check", "{d}/c.toml", "--cap-table", CAP[EM], "--no-mutants", "--out", "{d}/deep/er/out"),
             files=(("c.toml", _text(EM).replace('id = "example-modern"', 'id = "./../../ESCAPED"')), ("deep/er", ("dir",))),
             words=("charter.id",)),
        Case("destinations", "id-index-collides", ("check", "{d}/c.toml", "--cap-table", CAP[EM], "--no-mutants", "--out", "{d}/out"),
             files=(("c.toml", _text(EM).replace('id = "example-modern"', 'id = "index"')),), words=("charter.id",)),
        Case("destinations", "two-charters-one-id",
             ("check", "byzantine-1999", "byzantine-1999", "--no-mutants", "--out", "{d}/out"),
             files=old, words=("same id",), untouched=keep),
    ]
    return out


# --- right answers: equivalent inputs agree; hostile names are escaped, not refused ----------------------


def _payload(out: str) -> Any:
    return json.loads(out)


def right_answer_cases() -> list[Case]:
    out = []
    for charter in ("nvidia-1998", "infinity-1996", "example-modern", "byzantine-1999"):
        base = ("waterfall", charter, "--json", "--proceeds")
        for form in ("25000000.0", "+25000000", " 25000000 ", "50000000/2", "2.5e7", "25000000.000000", "250000000e-1"):
            out.append(Case("right-answers", f"{charter}:proceeds={form!r}", base + (form,), status=0,
                            same_as=base + ("25000000",)))
    hostile = ["\x1b]0;pwned\x07Ops", "\x1b[2J<b>Bold</b>", "A | B", "[click](http://x)", "\u202eevil", "名前 株式会社",
               "Zoë \\ \"quoted\"", "tab\tname", "new\nline", "`tick` *star* _u_"]
    for i, name in enumerate(hostile):
        table = ('as_of = "2026-06-30"\n[[holdings]]\nholder = ' + json.dumps(name) + '\nclass = "common"\nshares = 1000\n'
                 '[[holdings]]\nholder = "Plain"\nclass = "series_b"\nshares = 1000\n')
        out.append(Case("right-answers", f"escaped-waterfall-{i}", ("waterfall", EM, "--cap-table", "{d}/t.toml", "--proceeds", "1000000"),
                        files=(("t.toml", table),), status=0, check_out=_no_raw_controls))
        out.append(Case("right-answers", f"escaped-votes-{i}", ("votes", EM, "--cap-table", "{d}/t.toml"),
                        files=(("t.toml", table),), status=0, check_out=_no_raw_controls))
        out.append(Case("right-answers", f"json-keeps-name-{i}", ("votes", EM, "--cap-table", "{d}/t.toml", "--json"),
                        files=(("t.toml", table),), status=0, check_out=lambda o, n=name: n in _payload(o)["holders"]))
        out.append(Case("right-answers", f"ascii-terminal-{i}", ("votes", EM, "--cap-table", "{d}/t.toml"),
                        files=(("t.toml", table),), status=0, ascii_stdout=True, check_out=_no_raw_controls))
    # Whitespace and zeros that are honest: accepted with the same answer.
    out.append(Case("right-answers", "zero-proceeds", ("waterfall", EM, "--json", "--proceeds", "0"), status=0,
                    check_out=lambda o: all(v == "0" for v in _payload(o)["holders"].values())))
    out.append(Case("right-answers", "interpret-twice-same", ("votes", "infinity-1996", "--json", "--interpret",
                                                              "infinity.vote-tie=half-even", "--interpret", "infinity.vote-tie=half-even"),
                    status=0, same_as=("votes", "infinity-1996", "--json", "--interpret", "infinity.vote-tie=half-even")))
    return out


def _no_raw_controls(out: str) -> bool:
    bad = [c for c in out if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c == "\u202e"]
    return not bad


def cases() -> list[Case]:
    every = (special_file_cases() + bound_cases() + charter_type_cases() + non_ascii_cases() + loose_value_cases()
             + command_line_cases() + destination_cases() + right_answer_cases())
    ids = [c.id for c in every]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]
    return every


def counts() -> Counter[str]:
    return Counter(c.category for c in cases())


if __name__ == "__main__":
    total = counts()
    for category, n in sorted(total.items()):
        print(f"{category:20} {n}")
    print(f"{'total':20} {sum(total.values())}")
