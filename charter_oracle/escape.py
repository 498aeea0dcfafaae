"""Escaping names that come from input files, for a terminal and for Markdown.

Holder names, class ids, cites and charter names are whatever an input file says.
Printed raw, ``"\\x1b]0;pwned\\x07"`` retitles the terminal, ``"\\x1b[2J"`` clears it, a
right-to-left override reorders what the reader sees; in a ``.md`` report, ``|``
breaks a table, ``<script>`` or ``[x](http://...)`` turns a name into markup. The
text itself stays intact (escaped, never dropped), so a name can still be found.
"""

from __future__ import annotations

import re

from charter_oracle.oracle.errors import one_line as _one_line

# C0 controls except newline and tab, DEL, C1 controls, and the Unicode bidirectional
# overrides and isolates (they reorder the characters that follow them on screen).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """Output for a terminal: control characters shown as ``\\xNN``, lines kept."""
    return _CONTROL.sub(_visible, text)


# An error message for stderr: one line whatever it quotes (newlines shown as ``\x0a``).
one_line = _one_line


# Markdown punctuation that can start markup inside a table cell or a line of text (a link or an
# image needs '[', so '(' and '!' may stay as they are: clauses read "IV.4(h)(i)"); HTML's three.
# '_' is escaped only at a word's edge: GitHub Markdown never emphasises inside a word, so
# class ids like series_a stay readable in the raw file.
_MARKDOWN = re.compile(r"([\\`*\[\]|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


class Markdown(str):
    """Text that is already Markdown (a link the report builds from a validated id): not escaped."""


# The index's link to a charter's report: ids are validated file names, so the link is safe as it is.
_REPORT_LINK = re.compile(r"\[([A-Za-z0-9][A-Za-z0-9._-]{0,63})\]\(\1\.md\)")


def for_markdown(value: object) -> str:
    """One cell or line of a ``.md`` report: HTML, Markdown punctuation and controls escaped."""
    if isinstance(value, Markdown) or not isinstance(value, str) or _REPORT_LINK.fullmatch(value):
        return value  # type: ignore[return-value]  # numbers stay numbers for the table's alignment
    text = "".join(_HTML.get(char, char) for char in value)
    text = _MARKDOWN.sub(r"\\\1", text)
    return one_line(text)


def code_fence(body: str) -> str:
    """A fenced block that the body cannot close: a fence longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return fence


def code_span(text: str) -> str:
    """Inline code that a backtick in the text cannot close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{one_line(text)}{pad}{ticks}"
