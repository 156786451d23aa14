"""The shared OpenAPI document model: `$ref` resolution, path items, methods, matching, servers."""

from __future__ import annotations

from typing import Any

import pytest

from registry.openapi import (
    MAX_REF_HOPS,
    MISSING,
    OpenApiDocument,
    RefError,
    lookup,
    resolve,
    try_resolve,
)

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "servers": [{"url": "https://api.example.go.jp/v1"}, {"description": "no url"}, "junk"],
    "paths": {
        "/users/{id}": {"get": {"x": 1}, "delete": {"x": 2}, "parameters": []},
        "/users/me": {"get": {"x": 3}, "summary": "not an operation"},
        "/files/{name}.{ext}": {"$ref": "#/components/pathItems/file"},
        "/broken": {"$ref": "#/components/pathItems/missing"},
        "/odd": ["not", "a", "mapping"],
    },
    "components": {
        "pathItems": {"file": {"put": {"x": 4}, "get": "not a mapping"}},
        "schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
            "a b": {"type": "string"},
            "C": {"$ref": "#/components/schemas/a%20b"},
        },
    },
}


def test_refs_resolve_locally_with_percent_decoding() -> None:
    node, at = resolve(DOC, {"$ref": "#/components/schemas/C"}, "/x")
    assert node == {"type": "string"}
    assert at == "/components/schemas/a b"
    assert resolve(DOC, {"type": "integer"}, "/here") == ({"type": "integer"}, "/here")


@pytest.mark.parametrize(
    ("ref", "problem", "at"),
    [
        ("#/components/schemas/A", "cycle", "/components/schemas/B"),
        ("https://attacker.invalid/x.yaml", "external", "/start"),
        ("#/components/schemas/nope", "dangling", "/start"),
        ("#not-a-pointer", "dangling", "/start"),
    ],
)
def test_broken_refs_name_their_problem(ref: str, problem: str, at: str) -> None:
    with pytest.raises(RefError) as raised:
        resolve(DOC, {"$ref": ref}, "/start")
    assert raised.value.problem == problem
    assert raised.value.at == at
    assert try_resolve(DOC, {"$ref": ref}, "/start") is None


def test_a_long_chain_is_cut_at_the_hop_limit() -> None:
    schemas = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(MAX_REF_HOPS)}
    schemas[f"S{MAX_REF_HOPS}"] = {"type": "string"}
    doc = {"components": {"schemas": schemas}}
    assert resolve(doc, {"$ref": "#/components/schemas/S1"})[0] == {"type": "string"}
    with pytest.raises(RefError) as raised:
        resolve(doc, {"$ref": "#/components/schemas/S0"})
    assert raised.value.problem == "cycle"


def test_lookup_returns_missing_instead_of_raising() -> None:
    assert lookup(DOC, "/paths/~1users~1me/get/x") == 3
    assert lookup(DOC, "/servers/0/url") == "https://api.example.go.jp/v1"
    assert lookup(DOC, "/servers/9") is MISSING
    assert lookup(DOC, "/paths/~1users~1me/get/x/deeper") is MISSING
    assert lookup(DOC, "no-slash") is MISSING
    assert lookup(DOC, "") is DOC


def test_path_items_follow_refs_and_keep_broken_ones_visible() -> None:
    model = OpenApiDocument(DOC)
    items = {item.path: item for item in model.path_items}
    assert set(items) == {"/users/{id}", "/users/me", "/files/{name}.{ext}", "/broken"}
    assert items["/users/{id}"].methods == ("get", "delete")
    assert items["/files/{name}.{ext}"].methods == ("put",)
    assert items["/files/{name}.{ext}"].pointer == "/components/pathItems/file"
    broken = items["/broken"]
    assert broken.node == {}
    assert broken.problem is not None
    assert broken.problem.problem == "dangling"
    ops = [(op.path, op.method, op.pointer) for op in model.operations]
    assert ops == [
        ("/users/{id}", "get", "/paths/~1users~1{id}/get"),
        ("/users/{id}", "delete", "/paths/~1users~1{id}/delete"),
        ("/users/me", "get", "/paths/~1users~1me/get"),
        ("/files/{name}.{ext}", "put", "/components/pathItems/file/put"),
    ]


def test_matching_prefers_literal_segments_and_methods_are_the_union() -> None:
    model = OpenApiDocument(DOC)
    matched = model.matching("/users/me")
    assert [item.path for item, _ in matched] == ["/users/me", "/users/{id}"]
    assert matched[1][1] == {"id": "me"}
    assert model.methods_at("/users/me") == ("get", "delete")
    assert model.methods_at("/users/42") == ("get", "delete")
    assert model.methods_at("/files/report.pdf") == ("put",)
    assert model.matching("/files/report.pdf")[0][1] == {"name": "report", "ext": "pdf"}
    assert model.methods_at("/nothing/here") == ()


def test_servers_and_dialect() -> None:
    model = OpenApiDocument(DOC)
    assert model.servers == ("https://api.example.go.jp/v1",)
    assert model.dialect == "3.1"
    assert OpenApiDocument({"openapi": "3.0.3"}).dialect == "3.0"
    assert OpenApiDocument({"paths": "nope", "servers": {}}).path_items == ()
    assert OpenApiDocument({"servers": {}}).servers == ()
