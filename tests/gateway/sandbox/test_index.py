"""The operation index: template matching, literal precedence, 405/404, $ref chains, caching."""

from __future__ import annotations

import pytest

from gateway.compiled_routes import CompiledRoutes
from gateway.sandbox.index import Match, MethodNotAllowed, SandboxIndex
from registry.openapi import DocumentError, lookup, resolve
from tests.gateway.sandbox.documents import facilities, houjin, route_for


@pytest.fixture
def index() -> SandboxIndex:
    return SandboxIndex.for_document(houjin())


def test_templated_path_matches_and_captures_parameters(index: SandboxIndex) -> None:
    found = index.match("GET", "/corporations/1000012345678")
    assert isinstance(found, Match)
    assert found.operation.template == "/corporations/{corporate_number}"
    assert found.path_params == {"corporate_number": "1000012345678"}


def test_literal_segment_wins_over_a_templated_one(index: SandboxIndex) -> None:
    found = index.match("GET", "/corporations/search")
    assert isinstance(found, Match)
    assert found.operation.template == "/corporations/search"
    assert found.path_params == {}


def test_partly_templated_segment(index: SandboxIndex) -> None:
    found = index.match("GET", "/files/報告書.json")
    assert isinstance(found, Match)
    assert found.path_params == {"name": "報告書"}
    assert index.match("GET", "/files/report.txt") is None


def test_known_path_with_unknown_method_lists_allowed_methods(index: SandboxIndex) -> None:
    found = index.match("PUT", "/corporations/1000012345678")
    assert found == MethodNotAllowed(("GET", "DELETE", "HEAD"))


def test_unknown_paths_do_not_match(index: SandboxIndex) -> None:
    assert index.match("GET", "/nothing") is None
    assert index.match("GET", "/corporations/1/extra") is None
    assert index.match("GET", "/") is None


def test_head_is_served_by_get(index: SandboxIndex) -> None:
    found = index.match("HEAD", "/tree")
    assert isinstance(found, Match)
    assert found.operation.method == "get"


def test_parameters_merge_path_level_and_resolve_refs(index: SandboxIndex) -> None:
    found = index.match("GET", "/corporations")
    assert isinstance(found, Match)
    names = [(p.name, p.location) for p in found.operation.parameters]
    assert ("limit", "query") in names
    limit = next(p for p in found.operation.parameters if p.name == "limit")
    assert limit.schema_pointer == "/components/parameters/limit/schema"
    item = index.match("GET", "/corporations/1000012345678")
    assert isinstance(item, Match)
    assert [p.name for p in item.operation.parameters] == ["corporate_number"]


def test_dialect_is_taken_from_the_document() -> None:
    assert SandboxIndex.for_document(houjin()).dialect == "3.0"
    assert SandboxIndex.for_document(facilities()).dialect == "3.1"
    with pytest.raises(DocumentError, match="unsupported OpenAPI version"):
        SandboxIndex.for_document({"swagger": "2.0", "paths": {}})


def test_ref_cycles_and_external_refs_are_document_errors() -> None:
    doc = {
        "components": {
            "schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/A"},
            }
        }
    }
    with pytest.raises(DocumentError, match="cycle"):
        resolve(doc, {"$ref": "#/components/schemas/A"}, "")
    with pytest.raises(DocumentError, match="only local"):
        resolve(doc, {"$ref": "https://attacker.invalid/x.yaml"}, "")
    with pytest.raises(DocumentError, match="does not exist"):
        resolve(doc, {"$ref": "#/components/schemas/C"}, "")


def test_pointer_tokens_are_unescaped() -> None:
    doc = {"paths": {"/a/{b}": {"get": {"x": 1}}, "m~n": [10, 20]}}
    assert lookup(doc, "/paths/~1a~1{b}/get/x") == 1
    assert lookup(doc, "/paths/m~0n/1") == 20


def test_index_is_rebuilt_only_when_the_document_changes() -> None:
    routes = CompiledRoutes()
    route = route_for(houjin())
    first = routes.for_entry(route).document.sandbox_index()
    assert routes.for_entry(route).document.sandbox_index() is first
    assert routes.for_entry(route.model_copy()).document.sandbox_index() is first
    assert routes.for_entry(route_for(houjin())).document.sandbox_index() is first  # equal
    changed = houjin()
    changed["info"]["title"] = "changed"
    replaced = routes.for_entry(route_for(changed)).document.sandbox_index()
    assert replaced is not first
    other = routes.for_entry(route_for(facilities(), slug="facilities"))
    assert other.document.sandbox_index() is not replaced
