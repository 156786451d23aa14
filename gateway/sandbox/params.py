"""Parameter values from their wire form: OpenAPI 3.x `style`/`explode`, then type coercion.

Query, path and header values arrive as strings. Before schema validation they become what the
schema asks for (integer, number, boolean, array, object) when they parse as such; a value that
does not parse stays a string, so the validator reports the type mismatch in its own words.
Supported styles: query `form` (exploded or comma-separated), `spaceDelimited`,
`pipeDelimited`, `deepObject`; path and header `simple`, path `label` and `matrix`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from gateway.sandbox.index import Parameter

Resolve = Callable[[Any], Mapping[str, Any]]
_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


class Missing:
    """Marks a parameter that the request does not carry."""


MISSING = Missing()


def types_of(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """The schema's `type` as a tuple (3.1 allows a list), inferred from keywords when absent."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return (declared,)
    if isinstance(declared, list):
        return tuple(str(t) for t in declared)
    if "items" in schema or "prefixItems" in schema:
        return ("array",)
    if "properties" in schema:
        return ("object",)
    return ()


def coerce(text: str, schema: Mapping[str, Any]) -> Any:
    """A scalar string as the schema's type when it parses as one, else the string itself."""
    for kind in types_of(schema):
        if kind == "integer" and _INTEGER.fullmatch(text):
            return int(text)
        if kind == "number" and _NUMBER.fullmatch(text):
            return int(text) if _INTEGER.fullmatch(text) else float(text)
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        if kind == "null" and text in ("", "null"):
            return None
    return text


def query_value(param: Parameter, pairs: list[tuple[str, str]], resolve: Resolve) -> Any:
    """The parameter's value from the decoded query pairs (in order), or `MISSING`."""
    if param.json_content:
        return _json(_first(pairs, param.name))
    kinds = types_of(param.schema)
    if "object" in kinds:
        return _query_object(param, pairs, resolve)
    values = [v for k, v in pairs if k == param.name]
    if not values:
        return MISSING
    if "array" not in kinds:
        return coerce(values[0], param.schema)
    if not (param.style == "form" and param.explode):
        values = values[0].split(_DELIMITERS.get(param.style, ",")) if values[0] else []
    return _items(values, param.schema, resolve)


def path_value(param: Parameter, text: str, resolve: Resolve) -> Any:
    """A path parameter's value (styles `simple`, `label`, `matrix`)."""
    if param.json_content:
        return _json(text)
    separator = ","
    if param.style == "label":
        text = text.removeprefix(".")
        separator = "." if param.explode else ","
    elif param.style == "matrix":
        text = text.removeprefix(";" + param.name + "=")
        separator = ";" + param.name + "=" if param.explode else ","
    return _simple(param, text, separator, resolve)


def header_value(param: Parameter, text: str, resolve: Resolve) -> Any:
    """A header parameter's value (style `simple`)."""
    if param.json_content:
        return _json(text)
    return _simple(param, text.strip(), ",", resolve)


def _simple(param: Parameter, text: str, separator: str, resolve: Resolve) -> Any:
    kinds = types_of(param.schema)
    if "array" in kinds:
        return _items(text.split(separator) if text else [], param.schema, resolve)
    if "object" in kinds:
        if param.explode:
            pairs = [(p.partition("=")[0], p.partition("=")[2]) for p in text.split(separator) if p]
        else:
            flat = text.split(separator)
            pairs = list(zip(flat[::2], flat[1::2], strict=False))
        return _properties(dict(pairs), param.schema, resolve)
    return coerce(text, param.schema)


def _query_object(param: Parameter, pairs: list[tuple[str, str]], resolve: Resolve) -> Any:
    if param.style == "deepObject":
        prefix = param.name + "["
        found = {k[len(prefix) : -1]: v for k, v in pairs if k.startswith(prefix) and k[-1] == "]"}
    elif param.explode:
        names = set((param.schema.get("properties") or {}).keys())
        found = {k: v for k, v in pairs if k in names}
    else:
        raw = _first(pairs, param.name)
        if raw is None:
            return MISSING
        flat = raw.split(",")
        found = dict(zip(flat[::2], flat[1::2], strict=False))
    return _properties(found, param.schema, resolve) if found else MISSING


def _items(values: list[str], schema: Mapping[str, Any], resolve: Resolve) -> list[Any]:
    items = resolve(schema.get("items") or {})
    return [coerce(v, items) for v in values]


def _properties(
    values: Mapping[str, str], schema: Mapping[str, Any], resolve: Resolve
) -> dict[str, Any]:
    properties = schema.get("properties") or {}
    return {k: coerce(v, resolve(properties.get(k) or {})) for k, v in values.items()}


def _first(pairs: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in pairs if k == name), None)


def _json(text: str | None) -> Any:
    """A `content: application/json` parameter: its JSON value (unparseable → the string)."""
    if text is None:
        return MISSING
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return text
