"""Names from input files are escaped in Markdown reports and on the terminal, never dropped."""

from __future__ import annotations

from charter_oracle.escape import code_span, for_markdown, for_terminal, one_line
from charter_oracle.oracle.cap_table import build_cap_table, cap_table_to_toml
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.report import CharterReport, InvariantRow, index_markdown, to_json, to_markdown

HOSTILE = ["<script>alert(1)</script>", "A | B", "[click](http://evil)", "\x1b]0;pwned\x07Ops", "*bold* _em_", "new\nline"]


def _report() -> CharterReport:
    charter = load_charter("example-modern")
    rows = [{"holder": name, "class": "common", "shares": 10} for name in HOSTILE]
    table = build_cap_table({"as_of": "2026-06-30", "holdings": rows}, charter, "test")
    finding = InvariantRow("conservation", "payouts sum to the proceeds", "oracle", "IV.B.2", "violated", "x",
                           {"explanation": "holder <b>A | B</b> got `1`", "replay": "holder = \"```\"", "case": {"proceeds": "1"}})
    return CharterReport(charter, table, (finding,), (), (), (), {})


def test_markdown_report_escapes_holder_names_and_keeps_them_findable():
    md = to_markdown(_report())
    assert "<script>" not in md and "&lt;script&gt;alert\\(1)&lt;/script&gt;" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md  # escaped, not dropped
    assert "| A \\| B " in md  # a pipe cannot split the table row
    assert "\\[click\\](http://evil)" in md and "[click](http://evil)" not in md
    assert "\x1b" not in md and "\\x1b\\]0;pwned\\x07Ops" in md
    assert "\\*bold\\* \\_em\\_" in md
    assert "new\\x0aline" in md  # one table row per holder, whatever the name
    assert "holder &lt;b&gt;A \\| B&lt;/b&gt; got \\`1\\`" in md
    # a replay holding ``` is fenced by a longer fence, so it cannot close the block early
    assert "````toml\nholder = \"```\"\n````" in md


def test_json_report_keeps_names_exactly():
    data = to_json(_report())
    assert 'holder = "<script>alert(1)</script>"' in data["cap_table"]  # machines get the name as it is
    assert 'holder = "new\\u000Aline"' in data["cap_table"]  # as valid TOML


def test_cap_table_written_back_is_valid_toml_for_any_name():
    import tomllib

    text = cap_table_to_toml(_report().table)
    assert [h["holder"] for h in tomllib.loads(text)["holdings"]] == HOSTILE


def test_index_links_stay_links():
    md = index_markdown([_report()])
    header, _, row = md.split("\n")[2:5]
    assert row.split("|")[1].strip() == "[example-modern](example-modern.md)"
    # every column is there: charter, six verdict counts, breakpoints, status (one violated row)
    assert [c.strip() for c in row.split("|")[2:-1]] == ["0", "0", "0", "1", "0", "0", "0", "0", "0", "FAIL"], md
    assert len(header.split("|")) == len(row.split("|"))


def test_terminal_and_one_line_escapes():
    assert for_terminal("a\x1b[2Jb\u202ec\nd\te") == "a\\x1b[2Jb\\u202ec\nd\te"
    assert one_line("a\nb\rc\u2028d") == "a\\x0ab\\x0dc\\u2028d"
    assert for_markdown("x_y") == "x_y" and for_markdown(5) == 5
    assert code_span("a`b") == "``a`b``"
