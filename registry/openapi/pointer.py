"""JSON pointers (RFC 6901): building them from tokens and reading a document with them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class _Missing:
    """The type of `MISSING`: what `lookup` returns when a pointer names nothing."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


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


def lookup(document: Any, pointer: str) -> Any:
    """The value at `pointer` (RFC 6901 §4), or `MISSING` when any step does not exist or the
    pointer is not one (a non-empty pointer starts with "/")."""
    if pointer and not pointer.startswith("/"):
        return MISSING
    node = document
    for token in tokens(pointer):
        if isinstance(node, Mapping):
            if token not in node:
                return MISSING
            node = node[token]
        elif isinstance(node, Sequence) and not isinstance(node, str | bytes):
            if not token.isdigit() or int(token) >= len(node):
                return MISSING
            node = node[int(token)]
        else:
            return MISSING
    return node
