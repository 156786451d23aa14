"""The operations of an OpenAPI document, flattened for the pages: parameters, bodies, examples.

`$ref`s are followed by the shared resolver (`registry.openapi`: local references only, one hop
limit), so a hostile or cyclic document cannot make the page generator loop; what cannot be
resolved shows as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from registry.openapi.refs import try_resolve

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
"""Page order of an operation's methods: the reader's order, not the document's (TRACE is
refused at the edge, so it is never documented)."""


def resolve(doc: Mapping[str, Any], node: Any) -> Any:
    """Follow `$ref` chains of `node` (not into its children); `node` itself when they break."""
    resolved = try_resolve(doc, node)
    return node if resolved is None else resolved[0]


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    description: str
    schema: Mapping[str, Any]
    example: Any = None
    has_example: bool = False
    explode: bool = True


@dataclass(frozen=True)
class Example:
    name: str
    summary: str
    value: Any


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    media_type: str | None
    schema: Any
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    request_media_type: str | None = None
    request_schema: Any = None
    request_examples: tuple[Example, ...] = ()
    responses: tuple[Response, ...] = field(default=())

    @property
    def anchor(self) -> str:
        """A stable HTML id for the operation's section."""
        base = self.operation_id or f"{self.method}-{self.path}"
        return "op-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in base).strip("-")


def _example_of(doc: Mapping[str, Any], node: Mapping[str, Any]) -> tuple[bool, Any]:
    if "example" in node:
        return True, node["example"]
    examples = node.get("examples")
    if isinstance(examples, Mapping):
        for raw in examples.values():
            ex = resolve(doc, raw)
            if isinstance(ex, Mapping) and "value" in ex:
                return True, ex["value"]
    return False, None


def _parameter(doc: Mapping[str, Any], raw: Any) -> Parameter | None:
    node = resolve(doc, raw)
    if not isinstance(node, Mapping) or not isinstance(node.get("name"), str):
        return None
    schema = resolve(doc, node.get("schema") or {})
    schema = schema if isinstance(schema, Mapping) else {}
    has, value = _example_of(doc, node)
    if not has:
        has, value = _example_of(doc, schema)
    style_form = node.get("style", "form") == "form"
    return Parameter(
        name=node["name"],
        location=str(node.get("in", "query")),
        required=bool(node.get("required")) or node.get("in") == "path",
        description=str(node.get("description") or ""),
        schema=schema,
        example=value,
        has_example=has,
        explode=bool(node.get("explode", style_form)),
    )


def _examples(doc: Mapping[str, Any], media: Mapping[str, Any]) -> tuple[Example, ...]:
    found = []
    if "example" in media:
        found.append(Example("example", "", media["example"]))
    examples = media.get("examples")
    if isinstance(examples, Mapping):
        for name, raw in examples.items():
            ex = resolve(doc, raw)
            if isinstance(ex, Mapping) and "value" in ex:
                found.append(Example(str(name), str(ex.get("summary") or ""), ex["value"]))
    return tuple(found)


def _content(doc: Mapping[str, Any], holder: Any) -> tuple[str | None, Any, tuple[Example, ...]]:
    node = resolve(doc, holder)
    content = node.get("content") if isinstance(node, Mapping) else None
    if not isinstance(content, Mapping) or not content:
        return None, None, ()
    media_type = next((m for m in content if "json" in m), next(iter(content)))
    media = content[media_type] if isinstance(content[media_type], Mapping) else {}
    return str(media_type), media.get("schema"), _examples(doc, media)


def _responses(doc: Mapping[str, Any], raw: Any) -> tuple[Response, ...]:
    out = []
    for status, holder in raw.items() if isinstance(raw, Mapping) else ():
        node = resolve(doc, holder)
        description = str(node.get("description") or "") if isinstance(node, Mapping) else ""
        media_type, schema, examples = _content(doc, node)
        out.append(Response(str(status), description, media_type, schema, examples))
    return tuple(sorted(out, key=lambda r: r.status))


def operations(doc: Mapping[str, Any]) -> list[Operation]:
    """Every operation, in document order (paths, then the usual method order)."""
    found = []
    paths = doc.get("paths")
    for path, raw_item in paths.items() if isinstance(paths, Mapping) else ():
        item = resolve(doc, raw_item)
        if not isinstance(item, Mapping):
            continue
        shared = [p for p in (_parameter(doc, r) for r in item.get("parameters") or ()) if p]
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            own = [p for p in (_parameter(doc, r) for r in op.get("parameters") or ()) if p]
            names = {(p.name, p.location) for p in own}
            params = [*own, *(p for p in shared if (p.name, p.location) not in names)]
            media_type, schema, examples = _content(doc, op.get("requestBody"))
            found.append(
                Operation(
                    method=method.upper(),
                    path=str(path),
                    operation_id=str(op.get("operationId") or ""),
                    summary=str(op.get("summary") or ""),
                    description=str(op.get("description") or ""),
                    deprecated=op.get("deprecated") is True,
                    parameters=tuple(params),
                    request_media_type=media_type,
                    request_schema=schema,
                    request_examples=examples,
                    responses=_responses(doc, op.get("responses")),
                )
            )
    return found
