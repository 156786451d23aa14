"""Schema comparison in one direction: what a request may send, or what a response may carry.

A request schema may only accept more (widened types, added optional properties, relaxed
bounds); a response schema may only promise more (added properties, fewer types). `allOf`
parts are read together as one schema, `oneOf` / `anyOf` options compared by position, and
`$ref`s followed through `registry.openapi`; each pair of schemas is compared once per
direction, so recursive schemas end.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from registry.compat.report import Collector, resolved
from registry.openapi import OpenApiDocument, join

Direction = Literal["request", "response"]
Located = tuple[Any, str]
"""A node and its JSON pointer."""


@dataclass(frozen=True, slots=True)
class Context:
    """Where a schema sits: request or response, the operation (and status, media type) it
    belongs to, and the property path inside the body (`body.items[].name`)."""

    direction: Direction
    where: str
    label: str = ""

    @property
    def at(self) -> str:
        return f"{self.where} {self.label}".strip()

    def below(self, label: str) -> Context:
        return Context(self.direction, self.where, label)


UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")
OPTION_KEYWORDS = ("oneOf", "anyOf")
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Property:
    """A property as written (`raw`, maybe a `$ref`), where it is written, and its target."""

    raw: Any
    pointer: str
    node: Mapping[str, Any]


@dataclass
class SchemaView:
    """One schema with its `allOf` parts merged: what the checks read."""

    node: Mapping[str, Any]
    pointer: str
    types: frozenset[str] | None = None
    properties: dict[str, Property] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)


def view_of(doc: OpenApiDocument, node: Any, pointer: str, depth: int = 0) -> SchemaView | None:
    node, pointer = resolved(doc, node, pointer)
    if not isinstance(node, Mapping):
        return None  # a boolean schema (3.1) or something the linter already reports
    view = SchemaView(node, pointer, _types(node))
    parts = node.get("allOf")
    if isinstance(parts, list) and depth < MAX_DEPTH:
        for index, part in enumerate(parts):
            sub = view_of(doc, part, join(pointer, "allOf", index), depth + 1)
            if sub is None:
                continue
            view.types = view.types if view.types is not None else sub.types
            view.properties.update(sub.properties)
            view.required |= sub.required
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        for name, prop in properties.items():
            at = join(pointer, "properties", name)
            target, _ = resolved(doc, prop, at)
            view.properties[str(name)] = Property(
                prop, at, target if isinstance(target, Mapping) else {}
            )
    required = node.get("required")
    if isinstance(required, list):
        view.required |= {r for r in required if isinstance(r, str)}
    return view


def _types(node: Mapping[str, Any]) -> frozenset[str] | None:
    value = node.get("type")
    found = {value} if isinstance(value, str) else set(value) if isinstance(value, list) else None
    if found is None:
        return None
    if node.get("nullable") is True:  # OpenAPI 3.0's way of saying "or null"
        found.add("null")
    return frozenset(t for t in found if isinstance(t, str))


def _covered(narrow: frozenset[str], wide: frozenset[str]) -> bool:
    """Every value of a `narrow` type is also one of `wide` (an integer is a number)."""
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _type_name(types: frozenset[str] | None) -> str:
    return "/".join(sorted(types)) if types else "any"


def compare_schema(
    diff: Collector, ctx: Context, old: Located, new: Located, depth: int = 0
) -> None:
    """Compare the published schema `old` with the new one, both with their pointers."""
    before = view_of(diff.old, *old)
    after = view_of(diff.new, *new)
    if before is None or after is None or depth > MAX_DEPTH:
        return
    key = (before.pointer, after.pointer, ctx.direction)
    if key in diff.visited:
        return
    diff.visited.add(key)
    _compare_types(diff, ctx, before, after)
    _compare_enum(diff, ctx, before, after)
    _compare_bounds(diff, ctx, before, after)
    _compare_properties(diff, ctx, before, after, depth)
    old_items, new_items = before.node.get("items"), after.node.get("items")
    if isinstance(old_items, Mapping) and isinstance(new_items, Mapping):
        compare_schema(
            diff,
            ctx.below(f"{ctx.label}[]"),
            (old_items, join(before.pointer, "items")),
            (new_items, join(after.pointer, "items")),
            depth + 1,
        )
    _compare_options(diff, ctx, before, after, depth)


def _compare_types(diff: Collector, ctx: Context, before: SchemaView, after: SchemaView) -> None:
    old, new = before.types, after.types
    if old == new:
        return
    names = {"old": _type_name(old), "new": _type_name(new)}
    if ctx.direction == "request":
        narrowed = new is not None and (old is None or not _covered(old, new))
        kind = "request-type-narrowed" if narrowed else "request-type-widened"
    else:
        widened = old is not None and (new is None or not _covered(new, old))
        kind = "response-type-changed" if widened else "response-type-narrowed"
    diff.add(kind, join(after.pointer, "type"), where=ctx.at, **names)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _enum_values(node: Mapping[str, Any]) -> set[str] | None:
    values = node.get("enum")
    return {_canonical(v) for v in values} if isinstance(values, list) else None


def _compare_enum(diff: Collector, ctx: Context, before: SchemaView, after: SchemaView) -> None:
    old, new = _enum_values(before.node), _enum_values(after.node)
    if old == new:
        return
    pointer, at = join(after.pointer, "enum"), ctx.at
    if ctx.direction == "request":
        if new is None:
            return  # any value is accepted now
        if old is None:
            shown = ", ".join(sorted(new))
            diff.add(
                "request-constraint-narrowed", pointer, where=at, name="enum", old="any", new=shown
            )
            return
        for value in sorted(old - new):
            diff.add("request-enum-value-removed", pointer, where=at, name=value)
        for value in sorted(new - old):
            diff.add("request-enum-value-added", pointer, where=at, name=value)
    elif old is not None and new is None:
        shown = ", ".join(sorted(old))
        diff.add(
            "response-constraint-widened",
            after.pointer,
            where=at,
            name="enum",
            old=shown,
            new="any",
        )
    elif old is not None and new is not None:
        for value in sorted(new - old):
            diff.add("response-enum-value-added", pointer, where=at, name=value)


def _number(value: Any) -> float | None:
    return None if isinstance(value, bool) or not isinstance(value, int | float) else value


def _tighter(keyword: str, old: Any, new: Any) -> bool:
    if keyword == "pattern":
        return new is not None
    if keyword in UPPER_BOUNDS:
        return new is not None and (old is None or new < old)
    return new is not None and (old is None or new > old)


def _compare_bounds(diff: Collector, ctx: Context, before: SchemaView, after: SchemaView) -> None:
    """Bounds and patterns: tighter in a request or looser in a response breaks callers (a
    changed pattern counts as both)."""
    for keyword in (*UPPER_BOUNDS, *LOWER_BOUNDS, "pattern"):
        old, new = before.node.get(keyword), after.node.get(keyword)
        if keyword != "pattern":
            old, new = _number(old), _number(new)
        if old == new:
            continue
        tighter = _tighter(keyword, old, new)
        names = {"name": keyword, "old": _shown(old), "new": _shown(new)}
        pointer = join(after.pointer, keyword) if new is not None else after.pointer
        if ctx.direction == "request":
            kind = "request-constraint-narrowed" if tighter else "request-constraint-relaxed"
            diff.add(kind, pointer, where=ctx.at, **names)
        elif not tighter or (keyword == "pattern" and old is not None):
            diff.add("response-constraint-widened", pointer, where=ctx.at, **names)


def _shown(value: Any) -> str:
    return "none" if value is None else str(value)


def _compare_properties(
    diff: Collector, ctx: Context, before: SchemaView, after: SchemaView, depth: int
) -> None:
    request = ctx.direction == "request"
    for name, prop in after.properties.items():
        if name in before.properties or _hidden(ctx, prop.node):
            continue
        if not request:
            kind = "response-property-added"
        elif name in after.required:
            kind = "new-required-request-property"
        else:
            kind = "new-optional-request-property"
        diff.add(kind, prop.pointer, where=ctx.at, name=name)
    for name, old in before.properties.items():
        if _hidden(ctx, old.node):
            continue
        new = after.properties.get(name)
        if new is None:
            kind = "request-property-removed" if request else "response-property-removed"
            diff.add(kind, old.pointer, where=ctx.at, name=name)
            continue
        _compare_required(diff, ctx, name, (before, after), new.pointer)
        label = f"{ctx.label}.{name}".lstrip(".")
        below = ctx.below(label)
        compare_schema(diff, below, (old.raw, old.pointer), (new.raw, new.pointer), depth + 1)
    if request:  # `required` naming a property that is not described
        for name in sorted(after.required - before.required):
            if name not in after.properties and name not in before.properties:
                diff.add("new-required-request-property", after.pointer, where=ctx.at, name=name)


def _compare_required(
    diff: Collector,
    ctx: Context,
    name: str,
    views: tuple[SchemaView, SchemaView],
    pointer: str,
) -> None:
    was, now = name in views[0].required, name in views[1].required
    if was == now:
        return
    if ctx.direction == "request":
        kind = "request-property-became-required" if now else "request-property-became-optional"
    else:
        kind = "response-property-became-required" if now else "response-property-became-optional"
    diff.add(kind, pointer, where=ctx.at, name=name)


def _hidden(ctx: Context, node: Mapping[str, Any]) -> bool:
    """A read-only property never travels in a request, a write-only one never in a response."""
    return node.get("readOnly" if ctx.direction == "request" else "writeOnly") is True


def _compare_options(
    diff: Collector, ctx: Context, before: SchemaView, after: SchemaView, depth: int
) -> None:
    for keyword in OPTION_KEYWORDS:
        old, new = before.node.get(keyword), after.node.get(keyword)
        old_list = old if isinstance(old, list) else []
        new_list = new if isinstance(new, list) else []
        names = {"name": keyword, "old": str(len(old_list)), "new": str(len(new_list))}
        if ctx.direction == "request" and len(new_list) < len(old_list):
            pointer = join(before.pointer, keyword)
            diff.add("request-schema-option-removed", pointer, where=ctx.at, **names)
        if ctx.direction == "response" and old_list and len(new_list) > len(old_list):
            pointer = join(after.pointer, keyword)
            diff.add("response-schema-option-added", pointer, where=ctx.at, **names)
        for index, (a, b) in enumerate(zip(old_list, new_list, strict=False)):
            compare_schema(
                diff,
                ctx,
                (a, join(before.pointer, keyword, index)),
                (b, join(after.pointer, keyword, index)),
                depth + 1,
            )
