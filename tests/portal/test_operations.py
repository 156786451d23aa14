"""The page model follows `$ref`s with the shared resolver and survives broken ones."""

from __future__ import annotations

from typing import Any

from portal.operations import operations, resolve

PARAM = {"name": "page", "in": "query", "schema": {"type": "integer"}, "description": "頁"}


def _doc(parameters: list[Any], components: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "paths": {"/items": {"get": {"parameters": parameters, "responses": {}}}},
        "components": components,
    }


def test_a_ref_chain_is_followed_to_its_target() -> None:
    doc = _doc(
        [{"$ref": "#/components/parameters/Alias"}],
        {"parameters": {"Alias": {"$ref": "#/components/parameters/Page"}, "Page": PARAM}},
    )
    [op] = operations(doc)
    assert [(p.name, p.location, p.description) for p in op.parameters] == [("page", "query", "頁")]


def test_cyclic_dangling_and_external_refs_are_left_as_they_are() -> None:
    cyclic = {"$ref": "#/components/parameters/A"}
    doc = _doc([], {"parameters": {"A": {"$ref": "#/components/parameters/B"}, "B": cyclic}})
    for node in (cyclic, {"$ref": "#/components/nowhere"}, {"$ref": "https://x.test/a.yaml"}):
        assert resolve(doc, node) is node


def test_an_escaped_pointer_reaches_a_key_with_a_slash() -> None:
    doc = _doc([{"$ref": "#/components/parameters/a~1b"}], {"parameters": {"a/b": PARAM}})
    [op] = operations(doc)
    assert op.parameters[0].name == "page"
