"""Request validation against one OpenAPI operation: path, query and header parameters, body.

Every violation is reported, each with where it is: `in` (query, path, header, body), `name`
(the parameter, or the body property concerned) and `pointer`, an RFC 6901 pointer into that
part of the request seen as one JSON document — `/limit` for the query parameter `limit`,
`/ids/1` for its second item, `/address/postal_code` inside a JSON body ("" is the whole body).
Validators are compiled once per operation and kept on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

import orjson

from gateway.pipeline import Header
from gateway.sandbox import params
from gateway.sandbox.index import Operation, Parameter, SandboxIndex
from gateway.sandbox.schemas import SchemaChecker
from registry.openapi import join, resolve

Location = Literal["query", "path", "header", "body"]
MAX_BODY_DEPTH = 64  # deeper JSON would only exhaust the validator's recursion
_UNCHECKED = object()
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})  # OpenAPI 3.x: ignored


@dataclass(frozen=True, slots=True)
class Violation:
    location: Location
    name: str
    pointer: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "in": self.location,
            "name": self.name,
            "pointer": self.pointer,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class RequestParts:
    """The parts of a request that are validated; `query` is decoded, in order."""

    path_params: Mapping[str, str]
    query: list[tuple[str, str]]
    headers: list[Header]
    body: bytes

    @staticmethod
    def decode_query(raw: bytes) -> list[tuple[str, str]]:
        return parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode("latin-1")
        for key, value in self.headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None


def media_base(content_type: str) -> str:
    """`application/json` from `Application/JSON; charset=utf-8`."""
    return content_type.split(";", 1)[0].strip().lower()


def is_json(media_type: str) -> bool:
    base = media_base(media_type)
    return base == "application/json" or base.endswith("+json")


def declared_media(content_type: str, declared: Mapping[str, Any]) -> str | None:
    """The declared media-type key that covers `content_type`: exact, then `type/*`, `*/*`."""
    base = media_base(content_type)
    by_base = {media_base(key): key for key in declared}
    for candidate in (base, base.split("/", 1)[0] + "/*", "*/*"):
        if candidate in by_base:
            return by_base[candidate]
    return None


class OperationValidator:
    """Validates requests against one operation; build it with `validator_for`."""

    def __init__(self, index: SandboxIndex, operation: Operation) -> None:
        self._index = index
        self._params = [
            (p, index.compiler.checker(p.schema_pointer) if p.schema_pointer else None)
            for p in operation.parameters
            if p.location in ("query", "path", "header")
            and not (p.location == "header" and p.name.lower() in _IGNORED_HEADERS)
        ]
        body_pointer = join(operation.pointer, "requestBody")
        body, body_pointer = resolve(
            index.document, operation.node.get("requestBody"), body_pointer
        )
        self._body: Mapping[str, Any] | None = body if isinstance(body, Mapping) else None
        self._media: dict[str, SchemaChecker | None] = {}
        for media, spec in ((self._body or {}).get("content") or {}).items():
            has_schema = isinstance(spec, Mapping) and spec.get("schema") is not None
            schema_at = join(body_pointer, "content", media, "schema")
            self._media[media] = index.compiler.checker(schema_at) if has_schema else None

    def validate(self, parts: RequestParts) -> list[Violation]:
        """Every violation, parameters first (in declaration order), then the body."""
        found: list[Violation] = []
        for param, checker in self._params:
            found.extend(self._parameter(param, checker, parts))
        found.extend(self._request_body(parts))
        return found

    def _resolve(self, schema: Any) -> Mapping[str, Any]:
        node = resolve(self._index.document, schema, "")[0]
        return node if isinstance(node, Mapping) else {}

    def _parameter(
        self, param: Parameter, checker: SchemaChecker | None, parts: RequestParts
    ) -> list[Violation]:
        location: Location = param.location  # type: ignore[assignment]
        value = self._value(param, parts)
        if value is params.MISSING:
            if not param.required:
                return []
            what = f"{location} parameter {param.name!r}"
            return [Violation(location, param.name, join("", param.name), f"{what} is required")]
        if checker is None:
            return []
        return [
            Violation(location, param.name, join("", param.name) + issue.pointer, issue.message)
            for issue in checker.issues(value)
        ]

    def _value(self, param: Parameter, parts: RequestParts) -> Any:
        if param.location == "query":
            return params.query_value(param, parts.query, self._resolve)
        if param.location == "path":
            text = parts.path_params.get(param.name)
            return params.MISSING if text is None else params.path_value(param, text, self._resolve)
        text = parts.header(param.name)
        return params.MISSING if text is None else params.header_value(param, text, self._resolve)

    def _request_body(self, parts: RequestParts) -> list[Violation]:
        if self._body is None:
            return [_body_error("", "this operation takes no request body")] if parts.body else []
        if not parts.body:
            return (
                [_body_error("", "a request body is required")]
                if self._body.get("required")
                else []
            )
        content_type = parts.header("content-type") or ""
        media = declared_media(content_type, self._media) if content_type else None
        if media is None:
            accepted = ", ".join(self._media) or "none"
            given = repr(content_type) if content_type else "missing"
            message = f"content type {given} is not accepted here (accepted: {accepted})"
            return [Violation("header", "content-type", "/content-type", message)]
        checker = self._media[media]
        value = self._parse(media, parts.body)
        if isinstance(value, Violation):
            return [value]
        if checker is None or value is _UNCHECKED:
            return []
        return [_body_error(issue.pointer, issue.message) for issue in checker.issues(value)]

    def _parse(self, media: str, body: bytes) -> Any:
        """The body as a value to validate, a `Violation`, or `_UNCHECKED` for other media."""
        if is_json(media):
            try:
                value = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                return _body_error("", f"the body is not valid JSON: {exc}")
            if not _shallow(value):
                return _body_error("", f"the body nests deeper than {MAX_BODY_DEPTH} levels")
            return value
        if media_base(media) == "application/x-www-form-urlencoded":
            schema = self._resolve(_schema_of(self._body or {}, media))
            props = schema.get("properties") or {}
            fields = RequestParts.decode_query(body)
            return {k: params.coerce(v, self._resolve(props.get(k) or {})) for k, v in fields}
        return _UNCHECKED  # other media types are accepted as they are


def validator_for(index: SandboxIndex, operation: Operation) -> OperationValidator:
    """The operation's validator, compiled on first use and kept on the operation."""
    if operation.compiled is None:
        operation.compiled = OperationValidator(index, operation)
    return operation.compiled


def _schema_of(body: Mapping[str, Any], media: str) -> Any:
    return ((body.get("content") or {}).get(media) or {}).get("schema") or {}


def _body_error(pointer: str, message: str) -> Violation:
    name = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~") if pointer else ""
    return Violation("body", name, pointer, message)


def _shallow(value: Any) -> bool:
    """True when the JSON value nests at most `MAX_BODY_DEPTH` levels (checked iteratively)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_BODY_DEPTH:
            return False
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return True
