"""Local `$ref` resolution: one hop limit and one set of failure kinds for every reader.

Only references inside the document (`#/…`, the fragment percent-decoded per RFC 6901 §6) are
followed; an external one is never fetched (SECURITY-TESTS D08). `resolve` raises `RefError`
(the sandbox answers it as a broken document); `try_resolve` returns None instead (the linter
reports the reference in its own rule and reads the rest of the document as if it were empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import unquote

from registry.openapi.pointer import MISSING, lookup

MAX_REF_HOPS = 32
"""References followed in one chain; a longer chain is taken for a cycle (A→A, A→B→A)."""

RefProblem = Literal["external", "dangling", "cycle"]


class DocumentError(Exception):
    """The OpenAPI document cannot be used as it stands (not the caller's fault)."""


class RefError(DocumentError):
    """A `$ref` that cannot be followed; `at` is the pointer of the last node reached."""

    def __init__(self, problem: RefProblem, message: str, at: str) -> None:
        super().__init__(message)
        self.problem: RefProblem = problem
        self.at = at


def resolve(document: Any, node: Any, pointer: str = "") -> tuple[Any, str]:
    """Follow `$ref`s from `node` (found at `pointer`); the target and its pointer."""
    seen: set[str] = set()
    for _ in range(MAX_REF_HOPS + 1):
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        if not isinstance(ref, str):
            return node, pointer
        if len(seen) == MAX_REF_HOPS or ref in seen:
            break
        seen.add(ref)
        if not ref.startswith("#"):
            raise RefError("external", f"only local $refs are supported, not {ref!r}", pointer)
        target_pointer = unquote(ref[1:])
        target = lookup(document, target_pointer)
        if target is MISSING:
            raise RefError("dangling", f"$ref target {target_pointer!r} does not exist", pointer)
        node, pointer = target, target_pointer
    raise RefError("cycle", f"$ref chain at {pointer!r} does not end (a reference cycle)", pointer)


def try_resolve(document: Any, node: Any, pointer: str = "") -> tuple[Any, str] | None:
    """`resolve`, or None when the chain is external, dangling or cyclic."""
    try:
        return resolve(document, node, pointer)
    except RefError:
        return None
