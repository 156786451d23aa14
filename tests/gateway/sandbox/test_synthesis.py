"""Synthesised bodies validate against their own schema (checked with the request validator)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest

from gateway.sandbox.schemas import SchemaCompiler
from gateway.sandbox.strings import FORMATS, for_pattern
from gateway.sandbox.synthesis import HARD_DEPTH, synthesise
from registry.openapi import Dialect, join
from tests.gateway.sandbox.documents import facilities, houjin

COMMON: list[dict[str, Any]] = [
    {},
    {"type": "string", "minLength": 10},
    {"type": "string", "maxLength": 3},
    {"type": "string", "pattern": r"^\d{7}$"},
    {"type": "string", "pattern": r"^[0-9]{13}$"},
    {"type": "string", "pattern": r"^(0[1-9]|[1-3][0-9]|4[0-7])$"},
    {"type": "string", "pattern": r"^[ぁ-ん]{2,4}$"},
    {"type": "string", "format": "date"},
    {"type": "string", "format": "date-time"},
    {"type": "string", "format": "email"},
    {"type": "string", "format": "uri"},
    {"type": "string", "format": "uuid"},
    {"type": "string", "format": "ipv4"},
    {"type": "string", "enum": ["東京都", "大阪府"]},
    {"type": "integer", "minimum": 5, "maximum": 5},
    {"type": "integer", "maximum": -3},
    {"type": "integer", "minimum": 10, "multipleOf": 7},
    {"type": "number", "minimum": 0.5},
    {"type": "number", "maximum": 0.25},
    {"type": "number", "multipleOf": 0.5},
    {"type": "boolean"},
    {"type": "array", "minItems": 3, "uniqueItems": True, "items": {"type": "integer"}},
    {"type": "array", "minItems": 2, "uniqueItems": True, "items": {"type": "string"}},
    {"type": "array", "maxItems": 0},
    {"type": "object", "minProperties": 2, "additionalProperties": {"type": "integer"}},
    {
        "type": "object",
        "required": ["a", "b"],
        "properties": {"a": {"type": "integer"}},
        "additionalProperties": {"type": "string"},
    },
    {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"required": ["extra"], "properties": {"extra": {"type": "string", "format": "date"}}},
        ]
    },
    {"oneOf": [{"$ref": "#/components/schemas/Base"}, {"type": "integer"}]},
    {"anyOf": [{"type": "string", "maxLength": 2}, {"type": "integer"}]},
    {"$ref": "#/components/schemas/Tree"},
    {"$ref": "#/components/schemas/Linked"},
]
ONLY_30: list[dict[str, Any]] = [
    {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
    {"type": "number", "maximum": 1, "exclusiveMaximum": True},
    {"type": "string", "nullable": True, "format": "date"},
]
ONLY_31: list[dict[str, Any]] = [
    {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 3},
    {"type": "number", "exclusiveMinimum": 1, "maximum": 2},
    {"type": ["null", "string"], "format": "date-time"},
    {"const": "施設"},
    {"type": "array", "prefixItems": [{"type": "integer"}, {"const": "x"}], "items": False},
    {"type": "string", "examples": ["ignored"], "pattern": r"^[A-Z]{2}-\d{4}$"},
]
SHARED = {
    "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
    "Tree": {
        "type": "object",
        "required": ["label"],
        "properties": {
            "label": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
        },
    },
    "Linked": {
        "type": "object",
        "required": ["value", "next"],
        "properties": {
            "value": {"type": "integer"},
            "next": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Linked"}]},
        },
    },
}


def _document(dialect: Dialect, schemas: list[dict[str, Any]]) -> dict[str, Any]:
    named = {f"S{i}": schema for i, schema in enumerate(schemas)}
    if dialect == "3.0":  # 3.0 has no "null" type: the linked list ends with nullable
        linked: dict[str, Any] = dict(SHARED["Linked"])
        linked["properties"] = {
            "value": {"type": "integer"},
            "next": {"$ref": "#/components/schemas/Linked"},
        }
        linked["nullable"] = True
        shared = {**SHARED, "Linked": linked}
    else:
        shared = SHARED
    return {
        "openapi": "3.0.3" if dialect == "3.0" else "3.1.0",
        "paths": {},
        "components": {"schemas": {**shared, **named}},
    }


def _assert_all_valid(document: Mapping[str, Any], dialect: Dialect) -> int:
    compiler = SchemaCompiler(document, dialect)
    schemas = document["components"]["schemas"]
    for name in schemas:
        value = synthesise(document, schemas[name])
        issues = compiler.checker(join("/components/schemas", name)).issues(value)
        assert issues == [], (name, schemas[name], value)
    return len(schemas)


@pytest.mark.parametrize("dialect", ["3.0", "3.1"])
def test_synthesised_values_validate(dialect: Dialect) -> None:
    extra = ONLY_30 if dialect == "3.0" else ONLY_31
    document = _document(dialect, COMMON + extra)
    assert _assert_all_valid(document, dialect) == len(SHARED) + len(COMMON) + len(extra)


def test_test_documents_schemas_synthesise_validly() -> None:
    assert _assert_all_valid(houjin(), "3.0") >= 5
    assert _assert_all_valid(facilities(), "3.1") >= 6


def test_values_look_like_their_formats() -> None:
    document = _document("3.1", [])
    assert synthesise(document, {"type": "string", "format": "date"}) == "2026-01-01"
    assert synthesise(document, {"format": "date-time", "type": "string"}).endswith("+09:00")
    assert synthesise(document, {"type": "string", "pattern": r"^\d{7}$"}) == "1234567"
    assert synthesise(document, {"enum": ["東京都", "大阪府"]}) == "東京都"
    assert synthesise(document, {"type": "string", "pattern": r"^\p{L}$", "example": "あ"}) == "あ"
    assert FORMATS["email"] == synthesise(document, {"type": "string", "format": "email"})


def test_recursion_is_bounded() -> None:
    tree = synthesise(_document("3.1", []), {"$ref": "#/components/schemas/Tree"})
    depth = 0
    node = tree
    while node.get("children"):
        node, depth = node["children"][0], depth + 1
    assert 1 <= depth < HARD_DEPTH
    endless = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {
                "E": {
                    "type": "object",
                    "required": ["e"],
                    "properties": {"e": {"$ref": "#/components/schemas/E"}},
                }
            }
        },
    }
    value = synthesise(endless, {"$ref": "#/components/schemas/E"})  # unsatisfiable: terminates
    levels = 0
    while isinstance(value, dict):
        value, levels = value["e"], levels + 1
    assert levels <= HARD_DEPTH + 1


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\d{3}-\d{4}$",
        r"^[A-Z][a-z]+$",
        r"^(?:ab|cd)+e?$",
        r"^\(0\d{1,4}\)\d{1,4}-\d{4}$",
        r"^[^\s]{3}$",
        r"^[\w.+-]+@[\w-]+\.jp$",
        r"^[\u3041-\u3096]+$",
        r"^v\d+$",
    ],
)
def test_pattern_generator_output_matches(pattern: str) -> None:
    generated = for_pattern(pattern)
    assert generated is not None
    assert re.search(pattern, generated)


@pytest.mark.parametrize("pattern", [r"^(?=a)b$", r"^\p{L}+$", r"^(a)\1$", "[", r"^a{3,1}$"])
def test_pattern_generator_declines_what_it_cannot_do(pattern: str) -> None:
    assert for_pattern(pattern) is None
