"""Schema-valid example values built from a schema, for responses that declare no example.

Objects get their required and all other properties (`writeOnly` ones only when required),
enums their first value, strings a value for their `format` or `pattern` (falling back to the
schema's `example`), numbers a value within `minimum`/`maximum`/`multipleOf`, arrays
`minItems` items (at least one), `oneOf`/`anyOf` their first branch and `allOf` its merged
parts. Recursion through `$ref` is bounded: past `SOFT_DEPTH` only required properties and
`minItems` items are built and a nullable schema (or branch) gives `null`; past `HARD_DEPTH`
(an unsatisfiable required cycle) the value is `None`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from gateway.sandbox import strings
from gateway.sandbox.params import types_of
from registry.openapi import resolve

SOFT_DEPTH = 6
HARD_DEPTH = 24
_COMBINE = ("properties", "required")


def synthesise(document: Mapping[str, Any], schema: Any) -> Any:
    """A value valid against `schema` (whose local `$ref`s point into `document`)."""
    return _Synthesiser(document).value(schema, 0, 0)


class _Synthesiser:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document

    def value(self, schema: Any, depth: int, variant: int) -> Any:
        if depth > HARD_DEPTH:
            return None
        schema = self._resolve(schema)
        if "allOf" in schema:
            schema = self._merge(schema, depth)
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return enum[variant % len(enum)]
        if depth >= SOFT_DEPTH and _allows_null(schema):
            return None  # deep in a recursion, null ends it
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                branch = branches[0]
                if depth >= SOFT_DEPTH:
                    ends = [b for b in branches if _allows_null(self._resolve(b))]
                    branch = ends[0] if ends else branch
                rest = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
                merged = self._merge({**rest, "allOf": [branch]}, depth)
                return self.value(merged, depth + 1, variant)
        kind = _kind(schema)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind in ("integer", "number"):
            return _number(schema, kind == "integer", variant)
        if kind == "boolean":
            return variant % 2 == 0
        if kind == "null":
            return None
        return _string(schema, variant)

    def _resolve(self, schema: Any) -> Mapping[str, Any]:
        node = resolve(self._document, schema, "")[0]
        if node is True or not isinstance(node, Mapping):
            return {}
        return node

    def _merge(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        """`allOf` folded into one schema: properties and required lists combined."""
        out = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema.get("allOf") or []:
            resolved = self._resolve(part)
            if "allOf" in resolved and depth < HARD_DEPTH:
                resolved = self._merge(resolved, depth + 1)
            for key, value in resolved.items():
                if key == "properties":
                    out[key] = {**(out.get(key) or {}), **value}
                elif key == "required":
                    out[key] = [*(out.get(key) or []), *value]
                else:
                    out.setdefault(key, value)
        return out

    def _object(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        properties: Mapping[str, Any] = schema.get("properties") or {}
        required = [str(r) for r in schema.get("required") or []]
        names = list(required) if depth >= SOFT_DEPTH else [*properties, *required]
        out: dict[str, Any] = {}
        extra = schema.get("additionalProperties")
        for name in dict.fromkeys(names):
            sub = properties.get(name, extra if isinstance(extra, Mapping) else {})
            if name not in required and self._resolve(sub).get("writeOnly"):
                continue
            out[name] = self.value(sub, depth + 1, 0)
        wanted = int(schema.get("minProperties") or 0)
        index = 0
        while len(out) < wanted and extra is not False:
            index += 1
            out.setdefault(f"property{index}", self.value(extra or {}, depth + 1, index))
        return out

    def _array(self, schema: Mapping[str, Any], depth: int) -> list[Any]:
        prefix = schema.get("prefixItems") or []
        low = int(schema.get("minItems") or 0)
        high = schema.get("maxItems")
        count = low if depth >= SOFT_DEPTH else max(low, 1)
        if isinstance(high, int):
            count = min(count, high)
        items = schema.get("items")
        out = [self.value(prefix[i], depth + 1, 0) for i in range(min(count, len(prefix)))]
        if items is False:
            return out
        distinct = bool(schema.get("uniqueItems"))
        for i in range(len(out), count):
            out.append(self.value(items or {}, depth + 1, i if distinct else 0))
        return out


def _allows_null(schema: Mapping[str, Any]) -> bool:
    """3.0 `nullable: true` or a 3.1 `type` that includes "null"."""
    return schema.get("nullable") is True or "null" in types_of(schema)


def _kind(schema: Mapping[str, Any]) -> str:
    kinds = [k for k in types_of(schema) if k != "null"]
    if kinds:
        return kinds[0]
    if types_of(schema):
        return "null"
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "multipleOf")):
        return "number"
    return "string"


def _bound(schema: Mapping[str, Any], inclusive: str, exclusive: str) -> tuple[float | None, bool]:
    """A bound and whether it is exclusive: 3.1 numeric or 3.0 boolean `exclusive*`."""
    excl = schema.get(exclusive)
    if isinstance(excl, (int, float)) and not isinstance(excl, bool):
        return float(excl), True
    value = schema.get(inclusive)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), excl is True
    return None, False


def _number(schema: Mapping[str, Any], integer: bool, variant: int) -> int | float:
    low, low_excl = _bound(schema, "minimum", "exclusiveMinimum")
    high, high_excl = _bound(schema, "maximum", "exclusiveMaximum")
    step = schema.get("multipleOf")
    if integer:
        lo = None if low is None else (math.floor(low) + 1 if low_excl else math.ceil(low))
        hi = None if high is None else (math.ceil(high) - 1 if high_excl else math.floor(high))
        value = lo if lo is not None else min(1, hi) if hi is not None else 1
        value += variant
        if isinstance(step, int) and step > 0:
            value = math.ceil(value / step) * step
        return value
    if low is not None:
        number = (low + high) / 2 if low_excl and high is not None else low + 1 if low_excl else low
    elif high is not None:
        number = high - 1 if high_excl or high < 1.5 else 1.5
    else:
        number = 1.5
    if isinstance(step, (int, float)) and step > 0:
        return math.ceil(number / step) * step
    return number + variant


def _string(schema: Mapping[str, Any], variant: int) -> str:
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in strings.FORMATS:
        return strings.FORMATS[fmt]
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        generated = strings.for_pattern(pattern)
        if generated is not None:
            return generated
        example = schema_example(schema)
        if isinstance(example, str):
            return example
    text = "string" if variant == 0 else f"string{variant}"
    low, high = schema.get("minLength"), schema.get("maxLength")
    if isinstance(high, int) and len(text) > high:
        text = text[:high] if variant == 0 else text[-high:]
    if isinstance(low, int) and len(text) < low:
        text += "x" * (low - len(text))
    return text


def schema_example(schema: Mapping[str, Any]) -> Any:
    """The schema's own `example` (3.0) or first `examples` entry (3.1), if any."""
    if "example" in schema:
        return schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    return None
