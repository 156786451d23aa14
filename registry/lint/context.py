"""A read-only view of an OpenAPI document for the checks: operations, parameters, responses,
schemas and named data items, with local `$ref`s resolved and odd shapes tolerated.

Every accessor copes with whatever the document holds (a list where a mapping belongs, a
dangling or cyclic `$ref`): the checks see empty values instead of exceptions. `$ref`s are
followed only within the document (`#/...`), at most `MAX_REF_HOPS` in a chain, never twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from registry.lint.pointer import join
from registry.openapi import HTTP_METHODS as METHODS
from registry.openapi import RefError, resolve

MAX_SCHEMAS = 20_000
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties")
_SCHEMA_ONES = ("items", "additionalProperties", "not")
_NOT_SCHEMA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
_VERSION_SEGMENT = re.compile(r"^v\d+$")
PAGING_NAMES = frozenset(
    {"limit", "offset", "page", "per_page", "page_size", "pagesize", "size", "count", "rows"}
    | {"itemsperpage", "maxresults"}
)
LIST_KEYS = ("results", "result", "items", "data", "records")


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: Any) -> str:
    """A string value, or "" for anything else (absent, number, mapping)."""
    return value if isinstance(value, str) else ""


def segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def is_version_segment(segment: str) -> bool:
    return bool(_VERSION_SEGMENT.match(segment))


def template_names(path: str) -> list[str]:
    return _TEMPLATE.findall(path)


MAX_SERVER_VARIANTS = 20


def server_variants(server: Any) -> list[str]:
    """The URLs a server object stands for, its variables filled in: the defaults first, then
    each `enum` value of one variable with the others at their defaults (OAS 3 §4.8.5).

    A variable without a default is left as written (`{name}`)."""
    node = as_dict(server)
    url = text(node.get("url"))
    variables = {str(k): as_dict(v) for k, v in as_dict(node.get("variables")).items()}
    defaults = {k: text(v.get("default")) or f"{{{k}}}" for k, v in variables.items()}

    def fill(values: dict[str, str]) -> str:
        return _TEMPLATE.sub(lambda m: values.get(m.group(1), m.group(0)), url)

    found = [fill(defaults)]
    for name, variable in variables.items():
        for choice in as_list(variable.get("enum")):
            candidate = fill({**defaults, name: str(choice)})
            if candidate not in found and len(found) < MAX_SERVER_VARIANTS:
                found.append(candidate)
    return found


@dataclass(frozen=True, slots=True)
class Operation:
    path: str
    method: str
    node: dict[str, Any]
    pointer: str
    path_item: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    location: str
    node: dict[str, Any]
    pointer: str


@dataclass(frozen=True, slots=True)
class Response:
    status: str
    node: dict[str, Any]
    pointer: str


@dataclass(frozen=True, slots=True)
class Media:
    type: str
    node: dict[str, Any]
    pointer: str


@dataclass(frozen=True, slots=True)
class Item:
    """A named data item: a schema property or a parameter, with its resolved schema."""

    name: str
    schema: dict[str, Any]
    pointer: str
    siblings: frozenset[str]  # names of the properties of the enclosing object (with itself)
    is_property: bool = True


class LintContext:
    """The document plus cached, defensive traversals the checks share."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    # -- references ---------------------------------------------------------------------
    def deref(self, value: Any, pointer: str) -> tuple[Any, str]:
        """Follow local `$ref`s; a dangling, external or cyclic one yields `({}, pointer)`."""
        try:
            return resolve(self.doc, value, pointer)
        except RefError as error:
            return {}, error.at

    def resolved(self, value: Any, pointer: str) -> tuple[dict[str, Any], str]:
        node, where = self.deref(value, pointer)
        return as_dict(node), where

    # -- operations -----------------------------------------------------------------------
    @cached_property
    def operations(self) -> list[Operation]:
        found: list[Operation] = []
        for path, raw in as_dict(self.doc.get("paths")).items():
            item, item_ptr = self.resolved(raw, join("/paths", path))
            for method in METHODS:
                node = item.get(method)
                if isinstance(node, dict):
                    found.append(Operation(str(path), method, node, join(item_ptr, method), item))
        return found

    def parameters(self, op: Operation) -> list[Param]:
        """Path-item parameters overridden by operation parameters of the same name and place."""
        merged: dict[tuple[str, str], Param] = {}
        base = op.pointer.rsplit("/", 1)[0]
        for owner, owner_ptr in ((op.path_item, base), (op.node, op.pointer)):
            for index, raw in enumerate(as_list(owner.get("parameters"))):
                node, ptr = self.resolved(raw, join(owner_ptr, "parameters", index))
                name, where = text(node.get("name")), text(node.get("in"))
                if name:
                    merged[(name, where)] = Param(name, where, node, ptr)
        return list(merged.values())

    def responses(self, op: Operation) -> list[Response]:
        found = []
        for status, raw in as_dict(op.node.get("responses")).items():
            node, ptr = self.resolved(raw, join(op.pointer, "responses", status))
            found.append(Response(str(status), node, ptr))
        return found

    def media(self, holder: dict[str, Any], pointer: str) -> list[Media]:
        return [
            Media(str(kind), node, join(pointer, "content", kind))
            for kind, node in as_dict(holder.get("content")).items()
            if isinstance(node, dict)
        ]

    def request_body(self, op: Operation) -> tuple[dict[str, Any], str]:
        return self.resolved(op.node.get("requestBody"), join(op.pointer, "requestBody"))

    def success_schema(self, op: Operation) -> tuple[dict[str, Any], str] | None:
        """The schema of the first 2xx JSON response, resolved."""
        for response in sorted(self.responses(op), key=lambda r: r.status):
            if not response.status.startswith("2"):
                continue
            for media in self.media(response.node, response.pointer):
                if "json" in media.type and "problem" not in media.type:
                    return self.resolved(media.node.get("schema"), join(media.pointer, "schema"))
        return None

    # -- schemas --------------------------------------------------------------------------
    def object_properties(self, schema: dict[str, Any], pointer: str) -> dict[str, Any]:
        """Property name → (resolved schema, pointer), merging `allOf` parts one level deep."""
        props: dict[str, Any] = {}
        parts = [(schema, pointer)]
        for index, part in enumerate(as_list(schema.get("allOf"))):
            parts.append(self.resolved(part, join(pointer, "allOf", index)))
        for part, part_ptr in parts:
            for name, raw in as_dict(part.get("properties")).items():
                props[str(name)] = self.resolved(raw, join(part_ptr, "properties", name))
        return props

    def list_like(self, op: Operation) -> bool:
        """The operation answers a list: an array, or an object wrapping one."""
        found = self.success_schema(op)
        if found is None:
            return False
        schema, pointer = found
        if schema.get("type") == "array":
            return True
        last = segments(op.path)[-1] if segments(op.path) else ""
        props = self.object_properties(schema, pointer)
        for key in (*LIST_KEYS, last):
            if key in props and as_dict(props[key][0]).get("type") == "array":
                return True
        return False

    def is_collection_get(self, op: Operation) -> bool:
        if op.method != "get":
            return False
        names = {p.name.lower() for p in self.parameters(op) if p.location == "query"}
        return bool(names & PAGING_NAMES) or self.list_like(op)

    @cached_property
    def schemas(self) -> list[tuple[dict[str, Any], str]]:
        """Every schema object written in the document (refs not followed), with its pointer."""
        found: list[tuple[dict[str, Any], str]] = []
        seen: set[int] = set()
        stack = list(reversed(self._schema_roots()))
        while stack and len(found) < MAX_SCHEMAS:
            schema, pointer = stack.pop()
            if id(schema) in seen:
                continue
            seen.add(id(schema))
            found.append((schema, pointer))
            stack.extend(reversed(list(_sub_schemas(schema, pointer))))
        return found

    def _schema_roots(self) -> list[tuple[dict[str, Any], str]]:
        roots: list[tuple[dict[str, Any], str]] = []
        components = as_dict(self.doc.get("components"))
        for name, node in as_dict(components.get("schemas")).items():
            if isinstance(node, dict):
                roots.append((node, join("/components/schemas", name)))
        stack: list[tuple[Any, str]] = [
            (v, join("", k)) for k, v in self.doc.items() if k != "components"
        ]
        stack += [(v, join("/components", k)) for k, v in components.items() if k != "schemas"]
        while stack:
            value, pointer = stack.pop()
            if isinstance(value, dict):
                for raw_key, child in value.items():
                    key = str(raw_key)
                    if key in _NOT_SCHEMA_KEYS or key.startswith("x-"):
                        continue
                    if key == "schema" and isinstance(child, dict):
                        roots.append((child, join(pointer, key)))
                    else:
                        stack.append((child, join(pointer, key)))
            elif isinstance(value, list):
                stack.extend((child, join(pointer, i)) for i, child in enumerate(value))
        return roots

    @cached_property
    def items(self) -> list[Item]:
        """Every schema property and every parameter, for the name-based heuristics."""
        found: list[Item] = []
        for schema, pointer in self.schemas:
            props = as_dict(schema.get("properties"))
            names = frozenset(str(n) for n in props)
            for name, raw in props.items():
                resolved, _ = self.resolved(raw, join(pointer, "properties", name))
                found.append(Item(str(name), resolved, join(pointer, "properties", name), names))
        seen: set[str] = set()
        for op in self.operations:
            for param in self.parameters(op):
                if param.pointer not in seen and param.location != "header":
                    seen.add(param.pointer)
                    schema, _ = self.resolved(param.node.get("schema"), param.pointer)
                    found.append(Item(param.name, schema, param.pointer, frozenset(), False))
        return found


def _sub_schemas(schema: dict[str, Any], pointer: str) -> Iterator[tuple[dict[str, Any], str]]:
    for key in _SCHEMA_MAPS:
        for name, child in as_dict(schema.get(key)).items():
            if isinstance(child, dict):
                yield child, join(pointer, key, name)
    for key in _SCHEMA_LISTS:
        for index, child in enumerate(as_list(schema.get(key))):
            if isinstance(child, dict):
                yield child, join(pointer, key, index)
    for key in _SCHEMA_ONES:
        child = schema.get(key)
        if isinstance(child, dict):
            yield child, join(pointer, key)
        elif key == "items" and isinstance(child, list):
            for index, sub in enumerate(child):
                if isinstance(sub, dict):
                    yield sub, join(pointer, key, index)
