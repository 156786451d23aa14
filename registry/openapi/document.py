"""`OpenApiDocument`: the parsed document and what the linter, the sandbox and CORS read of it.

Each view is computed once, on first use, and kept: build one model per document and share it.
Views are tolerant: a path item behind a broken `$ref` appears with an empty node and its
`problem`, so a strict reader (the sandbox) can refuse it and a tolerant one (the linter, CORS)
can read on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from registry.openapi.pointer import join
from registry.openapi.refs import DocumentError, RefError, resolve
from registry.openapi.templates import PathTemplate, path_parts

Dialect = Literal["3.0", "3.1"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The operations a Path Item Object can hold (OpenAPI 3.x), in the specification's order."""


def dialect_of(document: Mapping[str, Any]) -> Dialect:
    """`3.1` for OpenAPI 3.1.x (JSON Schema 2020-12), `3.0` for 3.0.x (its own schema dialect)."""
    version = str(document.get("openapi", ""))
    if version.startswith("3.1"):
        return "3.1"
    if version.startswith("3.0"):
        return "3.0"
    raise DocumentError(f"unsupported OpenAPI version {version!r} (3.0.x or 3.1.x expected)")


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation: `method` is lower case, `pointer` locates `node` in the document."""

    path: str
    method: str
    node: Mapping[str, Any]
    pointer: str
    path_item: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PathItem:
    """One entry of `paths`, its `$ref` followed; `problem` says why `node` is empty."""

    template: PathTemplate
    node: Mapping[str, Any]
    pointer: str
    problem: RefError | None = None

    @property
    def path(self) -> str:
        return self.template.template

    @property
    def methods(self) -> tuple[str, ...]:
        """The declared operations' methods (lower case, in `HTTP_METHODS` order)."""
        return tuple(m for m in HTTP_METHODS if isinstance(self.node.get(m), Mapping))

    def operations(self) -> tuple[Operation, ...]:
        return tuple(
            Operation(self.path, m, self.node[m], join(self.pointer, m), self.node)
            for m in self.methods
        )


class OpenApiDocument:
    """A read-only model of one OpenAPI document (see the module docstring)."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    @cached_property
    def dialect(self) -> Dialect:
        """`DocumentError` when the document is not OpenAPI 3.0.x or 3.1.x."""
        return dialect_of(self.raw)

    def resolve(self, node: Any, pointer: str = "") -> tuple[Any, str]:
        """Follow `$ref`s from `node` within this document (`RefError` when they break)."""
        return resolve(self.raw, node, pointer)

    @cached_property
    def path_items(self) -> tuple[PathItem, ...]:
        """Every entry of `paths` in document order (none when `paths` is not a mapping)."""
        paths = self.raw.get("paths")
        if not isinstance(paths, Mapping):
            return ()
        items: list[PathItem] = []
        for template, raw in paths.items():
            if not isinstance(template, str):
                continue
            pointer = join("/paths", template)
            compiled = PathTemplate.compile(template)
            try:
                node, at = resolve(self.raw, raw, pointer)
            except RefError as error:
                items.append(PathItem(compiled, {}, error.at, error))
                continue
            if isinstance(node, Mapping):
                items.append(PathItem(compiled, node, at))
        return tuple(items)

    @cached_property
    def operations(self) -> tuple[Operation, ...]:
        """Every operation, path by path in document order."""
        return tuple(op for item in self.path_items for op in item.operations())

    @cached_property
    def _by_specificity(self) -> tuple[PathItem, ...]:
        return tuple(sorted(self.path_items, key=lambda item: item.template.rank))

    def matching(self, path: str) -> list[tuple[PathItem, dict[str, str]]]:
        """The path items whose template matches a request path, most specific first, each
        with its path parameters."""
        parts = path_parts(path)
        found = []
        for item in self._by_specificity:
            params = item.template.match(parts)
            if params is not None:
                found.append((item, params))
        return found

    def methods_at(self, path: str) -> tuple[str, ...]:
        """The methods the document declares for a request path (lower case, `HTTP_METHODS`
        order), over every matching template; empty when no template matches."""
        declared = {m for item, _ in self.matching(path) for m in item.methods}
        return tuple(m for m in HTTP_METHODS if m in declared)

    @cached_property
    def servers(self) -> tuple[str, ...]:
        """The `url` of each top-level Server Object, in document order."""
        servers = self.raw.get("servers")
        if not isinstance(servers, list):
            return ()
        return tuple(
            s["url"] for s in servers if isinstance(s, Mapping) and isinstance(s.get("url"), str)
        )
