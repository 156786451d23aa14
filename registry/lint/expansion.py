"""The guard against `allOf` bombs: how much work a document's schema combinators expand to.

For every schema with `allOf`, the structural validator (openapi-spec-validator) collects the
property names of each branch by walking `allOf`/`anyOf`/`oneOf`/`items`/`not` through their
`$ref`s, without memo. A branch that uses the next schema twice, which uses the next twice, …
doubles the walk at each level: 60 small schemas stand for 2⁶⁰ steps and the validator never
finishes (17 levels already take half a minute). Here the same walk is counted with a memo
per schema, without recursion, so it costs linear time however large the expansion.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registry.openapi import try_resolve

MAX_COMBINATOR_STEPS = 50_000
"""Steps the validator may spend collecting `allOf` properties (real documents: hundreds)."""

_LISTS = ("allOf", "anyOf", "oneOf")
_SINGLES = ("items", "not")


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    """The schema a (chain of) local `$ref` leads to, or None."""
    found = try_resolve(doc, node)
    return found[0] if found is not None and isinstance(found[0], dict) else None


def _branches(doc: dict[str, Any], schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in _LISTS:
        value = schema.get(key)
        for branch in value if isinstance(value, list) else ():
            resolved = _resolve(doc, branch)
            if resolved is not None:
                yield resolved
    for key in _SINGLES:
        resolved = _resolve(doc, schema.get(key))
        if resolved is not None:
            yield resolved


def _walk_cost(doc: dict[str, Any], root: dict[str, Any], memo: dict[int, int]) -> int:
    """Calls of the validator's property collection on `root`, memoised by schema identity."""
    active: set[int] = set()
    stack: list[tuple[dict[str, Any], bool]] = [(root, False)]
    while stack:
        schema, done = stack.pop()
        if done:
            memo[id(schema)] = 1 + sum(memo.get(id(b), 1) for b in _branches(doc, schema))
            active.discard(id(schema))
        elif id(schema) not in memo and id(schema) not in active:
            active.add(id(schema))
            stack.append((schema, True))
            stack.extend((b, False) for b in _branches(doc, schema))
    return memo[id(root)]


def _all_of_holders(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack: list[Any] = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("allOf"), list):
                yield value
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def combinator_steps_exceed(doc: dict[str, Any], limit: int = MAX_COMBINATOR_STEPS) -> bool:
    """Whether collecting `allOf` properties would take the validator more than `limit` steps."""
    memo: dict[int, int] = {}
    total = 0
    for holder in _all_of_holders(doc):
        for branch in holder["allOf"]:
            resolved = _resolve(doc, branch)
            if resolved is not None:
                total += _walk_cost(doc, resolved, memo)
                if total > limit:
                    return True
    return False
