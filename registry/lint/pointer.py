"""JSON pointers (RFC 6901): building them from tokens and reading a document with them."""

from __future__ import annotations

from typing import Any


def escape(token: object) -> str:
    """Escape one reference token (RFC 6901 §3: `~` → `~0`, then `/` → `~1`)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo `escape` (RFC 6901 §4: `~1` → `/` first, then `~0` → `~`)."""
    return token.replace("~1", "/").replace("~0", "~")


def join(base: str, *tokens: object) -> str:
    """Append reference tokens to a pointer."""
    return base + "".join("/" + escape(token) for token in tokens)


def tokens(pointer: str) -> list[str]:
    """The unescaped tokens of a pointer ("" is the whole document)."""
    if not pointer:
        return []
    return [unescape(token) for token in pointer.split("/")[1:]]


_MISSING = object()


def lookup(doc: Any, pointer: str) -> Any:
    """The value at `pointer`, or `MISSING` when any step does not exist."""
    value = doc
    for token in tokens(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return _MISSING
    return value


MISSING = _MISSING
