"""Local `$ref` resolution inside one OpenAPI document: RFC 6901 JSON pointers, depth-bounded.

Only local references (`#/…`) are followed; anything else is a `DocumentError` (the registry's
intake refuses external references, SECURITY-TESTS D08, and the sandbox never fetches one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal
from urllib.parse import unquote

Dialect = Literal["3.0", "3.1"]

MAX_REF_HOPS = 32  # a chain of $ref → $ref longer than this is a cycle (A→A, A→B→A)


class DocumentError(Exception):
    """The API's OpenAPI document cannot be used as it stands (not the caller's fault)."""


def dialect_of(document: Mapping[str, Any]) -> Dialect:
    """`3.1` for OpenAPI 3.1.x (JSON Schema 2020-12), `3.0` for 3.0.x (its own schema dialect)."""
    version = str(document.get("openapi", ""))
    if version.startswith("3.1"):
        return "3.1"
    if version.startswith("3.0"):
        return "3.0"
    raise DocumentError(f"unsupported OpenAPI version {version!r} (3.0.x or 3.1.x expected)")


def escape(segment: str | int) -> str:
    """One reference token, escaped per RFC 6901 §4."""
    return str(segment).replace("~", "~0").replace("/", "~1")


def join(pointer: str, *segments: str | int) -> str:
    """Append reference tokens to a JSON pointer."""
    return pointer + "".join("/" + escape(s) for s in segments)


def lookup(document: Any, pointer: str) -> Any:
    """The value a JSON pointer (RFC 6901 §4) names inside `document`."""
    node = document
    if not pointer:
        return node
    if not pointer.startswith("/"):
        raise DocumentError(f"invalid JSON pointer {pointer!r}")
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, Sequence) and not isinstance(node, str) and token.isdigit():
            index = int(token)
            if index >= len(node):
                raise DocumentError(f"$ref target {pointer!r} does not exist")
            node = node[index]
        else:
            raise DocumentError(f"$ref target {pointer!r} does not exist")
    return node


def deref(document: Mapping[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """Follow `$ref` chains from `node` (found at `pointer`); return the target and its pointer."""
    for _ in range(MAX_REF_HOPS):
        if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
            return node, pointer
        ref = node["$ref"]
        if not ref.startswith("#"):
            raise DocumentError(f"only local $refs are supported, not {ref!r}")
        pointer = unquote(ref[1:])
        node = lookup(document, pointer)
    raise DocumentError(f"$ref chain at {pointer!r} does not end (a reference cycle)")
