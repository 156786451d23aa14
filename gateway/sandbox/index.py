"""The operation index of one OpenAPI document: path templates matched to operations.

Path items, `$ref`s and template matching come from the shared document model
(`registry.openapi`): when several templates match, the most specific wins. Methods are checked
after the path, so a known path with an unknown method is a 405 (RFC 9110 §15.5.6, with `Allow`)
and an unknown path a 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gateway.sandbox.schemas import SchemaCompiler
from registry.openapi import (
    HTTP_METHODS,
    Dialect,
    DocumentError,
    OpenApiDocument,
    PathItem,
    PathTemplate,
    join,
    resolve,
)
from registry.openapi.templates import path_parts

if TYPE_CHECKING:
    from gateway.sandbox.validation import OperationValidator


@dataclass(frozen=True, slots=True)
class Parameter:
    """One declared parameter, `$ref`s resolved; `schema_pointer` locates its schema."""

    name: str
    location: str  # query | path | header | cookie
    required: bool
    style: str
    explode: bool
    schema: Mapping[str, Any]
    schema_pointer: str | None
    json_content: bool = False  # declared with `content: application/json` instead of a schema


@dataclass(slots=True)
class Operation:
    """One operation of the document; validators are compiled on first use and kept."""

    method: str
    template: str
    pointer: str
    node: Mapping[str, Any]
    parameters: tuple[Parameter, ...]
    compiled: OperationValidator | None = field(default=None)  # built on first request


@dataclass(frozen=True, slots=True)
class Match:
    operation: Operation
    path_params: dict[str, str]


@dataclass(frozen=True, slots=True)
class MethodNotAllowed:
    allow: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Template:
    template: PathTemplate
    operations: Mapping[str, Operation]

    @property
    def rank(self) -> tuple[int, ...]:
        return self.template.rank


class SandboxIndex:
    """Everything the sandbox needs to know about one document, built once per document."""

    def __init__(
        self, document: Mapping[str, Any], dialect: Dialect, templates: list[_Template]
    ) -> None:
        self.document = document
        self.dialect = dialect
        self.compiler = SchemaCompiler(document, dialect)
        self._templates = sorted(templates, key=lambda t: t.rank)

    @classmethod
    def for_document(cls, document: Mapping[str, Any] | OpenApiDocument) -> SandboxIndex:
        """Index every path and operation; `DocumentError` when the document cannot be served."""
        model = document if isinstance(document, OpenApiDocument) else OpenApiDocument(document)
        dialect = model.dialect
        paths = model.raw.get("paths") or {}
        if not isinstance(paths, Mapping):
            raise DocumentError("`paths` is not a mapping")
        templates = [_compile_template(model.raw, item) for item in model.path_items]
        return cls(model.raw, dialect, templates)

    def operations(self) -> list[Operation]:
        """Every operation of the document, most specific templates first."""
        return [op for t in self._templates for op in t.operations.values()]

    def match(self, method: str, path: str) -> Match | MethodNotAllowed | None:
        """The operation for this request, a 405 with the allowed methods, or None (404)."""
        parts = path_parts(path)
        allowed: set[str] = set()
        wanted = method.lower()
        for template in self._templates:
            params = template.template.match(parts)
            if params is None:
                continue
            operation = template.operations.get(wanted)
            if operation is None and wanted == "head":
                operation = template.operations.get("get")  # HEAD is GET without a body
            if operation is not None:
                return Match(operation, params)
            allowed.update(template.operations)
        if not allowed:
            return None
        if "get" in allowed:
            allowed.add("head")
        return MethodNotAllowed(tuple(m.upper() for m in HTTP_METHODS if m in allowed))


def _compile_template(document: Mapping[str, Any], item: PathItem) -> _Template:
    if item.problem is not None:
        raise item.problem
    shared = _parameters(document, item.node.get("parameters"), join(item.pointer, "parameters"))
    operations: dict[str, Operation] = {}
    for op in item.operations():
        own = _parameters(document, op.node.get("parameters"), join(op.pointer, "parameters"))
        merged = {
            (p.name.lower() if p.location == "header" else p.name, p.location): p
            for p in (*shared, *own)
        }
        operations[op.method] = Operation(
            op.method, op.path, op.pointer, op.node, tuple(merged.values())
        )
    return _Template(item.template, operations)


def _parameters(document: Mapping[str, Any], nodes: Any, pointer: str) -> list[Parameter]:
    """Declared parameters with `$ref`s resolved (OpenAPI 3.x Parameter Object)."""
    if not isinstance(nodes, list):
        return []
    found: list[Parameter] = []
    for i, raw in enumerate(nodes):
        node, at = resolve(document, raw, join(pointer, i))
        if not isinstance(node, Mapping) or "name" not in node or "in" not in node:
            raise DocumentError(f"parameter at {at!r} lacks `name` or `in`")
        location = str(node["in"])
        style = str(node.get("style") or ("form" if location in ("query", "cookie") else "simple"))
        schema, schema_at = node.get("schema"), join(at, "schema")
        json_content = False
        content = node.get("content")
        if schema is None and isinstance(content, Mapping) and content:
            media = next(iter(content))
            schema, schema_at = content[media].get("schema"), join(at, "content", media, "schema")
            json_content = "json" in str(media)
        resolved = resolve(document, schema, schema_at)[0] if schema is not None else {}
        found.append(
            Parameter(
                name=str(node["name"]),
                location=location,
                required=bool(node.get("required")) or location == "path",
                style=style,
                explode=bool(node.get("explode", style == "form")),
                schema=resolved if isinstance(resolved, Mapping) else {},
                schema_pointer=schema_at if schema is not None else None,
                json_content=json_content,
            )
        )
    return found
