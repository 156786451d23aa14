"""Example strings for schema formats and for simple regular-expression patterns.

The pattern generator understands the subset that API schemas use for codes and identifiers
(`^\\d{7}$`, `^[0-9]{13}$`, `^[A-Z]{2}-\\d+$`, `(foo|bar)`, escapes, classes, quantifiers);
anything else (look-arounds, back-references, Unicode properties) is not attempted. A generated
string is always checked with `re.search`, as the validator checks it.
"""

from __future__ import annotations

import re

FORMATS: dict[str, str] = {
    "date": "2026-01-01",
    "date-time": "2026-01-01T09:00:00+09:00",
    "time": "09:00:00+09:00",
    "duration": "P1D",
    "email": "user@example.jp",
    "idn-email": "user@example.jp",
    "hostname": "example.jp",
    "idn-hostname": "example.jp",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.jp/",
    "uri-reference": "https://example.jp/",
    "iri": "https://example.jp/",
    "iri-reference": "https://example.jp/",
    "uri-template": "https://example.jp/{id}",
    "url": "https://example.jp/",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "byte": "ZXhhbXBsZQ==",
    "binary": "example",
    "password": "password",
    "json-pointer": "/example",
    "relative-json-pointer": "0/example",
    "regex": "^example$",
}

_DIGIT = "\x00"  # stands for \\d until the end, so that a run of digits can count up
_CLASS_ESCAPES = {"d": _DIGIT, "w": "a", "s": " ", "D": "a", "W": "-", "S": "a"}


class _Unsupported(Exception):
    """The pattern uses a construct the generator does not attempt."""


def for_pattern(pattern: str) -> str | None:
    """A string that `re.search(pattern, …)` accepts, or None when the pattern is too complex."""
    try:
        text = _Parser(pattern).alternatives().replace(_DIGIT, "1")
    except (_Unsupported, IndexError):
        return None
    try:
        return text if re.search(pattern, text) else None
    except re.error:
        return None


class _Parser:
    """Recursive descent over the pattern, producing the shortest simple match of each atom."""

    def __init__(self, pattern: str) -> None:
        self._p = pattern
        self._i = 0

    def alternatives(self) -> str:
        first = self._sequence()
        while self._peek() == "|":  # later branches are parsed (to move on) and dropped
            self._i += 1
            self._sequence()
        return first

    def _sequence(self) -> str:
        out: list[str] = []
        while self._i < len(self._p) and self._peek() not in ("|", ")"):
            atom = self._atom()
            low, high = self._quantifier()
            if high is not None and high < low:
                raise _Unsupported
            out.append(_repeat(atom, low))
        return "".join(out)

    def _peek(self) -> str:
        return self._p[self._i] if self._i < len(self._p) else ""

    def _atom(self) -> str:
        ch = self._p[self._i]
        self._i += 1
        if ch in "^$":
            return ""
        if ch == ".":
            return "a"
        if ch == "\\":
            return self._escape()
        if ch == "[":
            return self._class()
        if ch == "(":
            return self._group()
        if ch in "*+?{":
            raise _Unsupported
        return ch

    def _escape(self) -> str:
        ch = self._p[self._i : self._i + 1]
        self._i += 1
        if ch in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[ch]
        if ch == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", self._p[self._i : self._i + 4]):
            self._i += 4
            return chr(int(self._p[self._i - 4 : self._i], 16))
        if ch.isalnum() or not ch:
            raise _Unsupported  # \b, \p{…}, back-references, …
        return ch

    def _class(self) -> str:
        end = self._p.find("]", self._i + 1)
        while end > 0 and self._p[end - 1] == "\\":
            end = self._p.find("]", end + 1)
        if end < 0:
            raise _Unsupported
        body, self._i = self._p[self._i : end], end + 1
        first = body[0] if body and body[0] not in "^\\" else ""
        if body.startswith("\\u") and re.fullmatch(r"[0-9a-fA-F]{4}", body[2:6]):
            first = chr(int(body[2:6], 16))
        for candidate in (first, *"a0A_-. "):
            try:
                if candidate and re.fullmatch("[" + body + "]", candidate):
                    return _DIGIT if body in ("0-9", "\\d") else candidate
            except re.error as exc:
                raise _Unsupported from exc
        raise _Unsupported

    def _group(self) -> str:
        at = self._i
        if self._p.startswith("?:", at):
            self._i += 2
        elif self._p.startswith("?P<", at) or (
            self._p.startswith("?<", at) and self._p[at + 2 : at + 3] not in ("=", "!")
        ):
            close = self._p.find(">", at)
            if close < 0:
                raise _Unsupported
            self._i = close + 1
        elif self._peek() == "?":
            raise _Unsupported  # look-around and inline flags
        text = self.alternatives()
        if self._peek() != ")":
            raise _Unsupported
        self._i += 1
        return text

    def _quantifier(self) -> tuple[int, int | None]:
        ch = self._peek()
        bounds: tuple[int, int | None] = (1, 1)
        if ch in ("*", "?"):
            self._i, bounds = self._i + 1, (0, None if ch == "*" else 1)
        elif ch == "+":
            self._i, bounds = self._i + 1, (1, None)
        elif ch == "{":
            found = re.compile(r"\{(\d+)(,(\d*))?\}").match(self._p, self._i)
            if found is None:
                raise _Unsupported
            self._i = found.end()
            low = int(found.group(1))
            high = (
                low if found.group(2) is None else int(found.group(3)) if found.group(3) else None
            )
            bounds = (low, high)
        if self._peek() in ("?", "+") and bounds != (1, 1):
            self._i += 1  # lazy or possessive: same shortest match
        return bounds


def _repeat(atom: str, count: int) -> str:
    """`count` copies; a digit atom counts up (`\\d{7}` → 1234567) to look like a code."""
    if atom == _DIGIT:
        return "".join(str((i + 1) % 10) for i in range(count))
    return atom * count
