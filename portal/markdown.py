"""Small helpers that write safe Markdown: provider texts never become markup by accident."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

_TABLE_SPECIALS = str.maketrans({"|": "\\|", "\n": " ", "\r": " "})


def escape(text: str) -> str:
    """Provider text as literal text: HTML escaped (no raw HTML from a document reaches the
    page), and the Markdown characters that would start markup backslash-escaped."""
    out = html.escape(text, quote=False)
    for char in "\\`*_[]{}#!|":
        out = out.replace(char, "\\" + char)
    return out


def cell(text: str) -> str:
    """Text for one table cell: escaped, on one line."""
    return escape(text).translate(_TABLE_SPECIALS)


def paragraph(text: str) -> str:
    """A multi-line provider description as paragraphs (blank lines kept, lines escaped)."""
    return "\n".join(escape(line.strip()) for line in text.strip().splitlines())


def fenced(code: str, language: str, indent: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run in `code`."""
    longest = max((len(run) for run in code.split("\n") for run in _runs(run)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = [f"{fence}{language}", *code.splitlines(), fence]
    return "\n".join(indent + line if line else line for line in lines)


def _runs(line: str) -> list[str]:
    runs, current = [], ""
    for char in line:
        if char == "`":
            current += char
        elif current:
            runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


def code(text: str) -> str:
    """Provider text as inline code: raw HTML, never a Markdown code span, so a backtick in a
    parameter name cannot end the span and let what follows be read as markup."""
    return "<code>" + html.escape(text).replace("|", "&#124;") + "</code>"


SAFE_SCHEMES = ("http", "https", "mailto")


def link(text: str, href: str) -> str:
    """A link, unless `href` has a scheme other than http(s)/mailto (a `javascript:` URL in a
    provider's document becomes plain text)."""
    scheme = urlsplit(href.strip()).scheme.lower()
    if scheme and scheme not in SAFE_SCHEMES:
        return escape(text)
    return f"[{escape(text)}]({href.strip().replace(' ', '%20').replace(')', '%29')})"
