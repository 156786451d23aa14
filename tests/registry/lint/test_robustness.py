"""The linter on hostile or odd documents: never crashes, never loops, never fetches."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from registry.lint import lint_document
from tests.registry.lint.documents import list_op, patched
from tests.services import free_port

ODD_SHAPES: list[Any] = [
    {},
    {"openapi": 3.1, "info": "x", "servers": "https://x", "security": {"a": 1}},
    {"paths": [], "components": []},
    {"paths": {"/a": [], "/b": None, 7: {"get": {}}}},
    {"paths": {"/a": {"get": [], "post": "x", "parameters": {"x": 1}}}},
    {"paths": {"/a/{a}": {"get": {"parameters": [None, 1, "x", {"$ref": 5}, {"name": 1}]}}}},
    {"paths": {"/a": {"get": {"responses": {"200": None, 404: {"content": []}}}}}},
    {"paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": []}}}}}}},
    {"paths": {"/a": {"get": {"responses": {"200": {"content": {"a/json": {"schema": 3}}}}}}}},
    {"components": {"schemas": {"A": {"properties": []}, "B": {"properties": {"x": None}}}}},
    {"components": {"schemas": {"C": {"items": [1, {"$ref": "#/components/schemas/C"}]}}}},
    {"components": {"schemas": {"D": {"allOf": "x", "properties": {"lat": {"type": ["x"]}}}}}},
    {"components": {"securitySchemes": [], "parameters": {"p": {"$ref": "#/x/~2"}}}},
    {"info": {"license": "MIT", "contact": [], "version": {"a": 1}}, "tags": [1, None]},
    {"x-keywords": "a", "x-lint-ignore": "ATG-DOC-01", "externalDocs": [], "x-open-data": "yes"},
    {"paths": {"/a": {"$ref": "#/paths/~1a"}}},
]


@pytest.mark.parametrize("doc", ODD_SHAPES, ids=range(len(ODD_SHAPES)))
def test_every_rule_runs_on_odd_shapes(doc: dict[str, Any]) -> None:
    report = lint_document(doc)
    assert not [f for f in report.findings if "could not run" in f.message_en]
    assert 0 <= report.score <= 100


def test_recursive_ref_cycles_terminate_with_a_finding() -> None:
    def patch(doc: dict[str, Any]) -> None:
        doc["components"]["parameters"]["loop_a"] = {"$ref": "#/components/parameters/loop_b"}
        doc["components"]["parameters"]["loop_b"] = {"$ref": "#/components/parameters/loop_a"}
        list_op(doc)["parameters"].append({"$ref": "#/components/parameters/loop_a"})
        library = doc["components"]["schemas"]["library"]
        library["properties"]["parent"] = {"$ref": "#/components/schemas/library"}

    report = lint_document(patched(patch))
    cycles = [f for f in report.findings if f.rule == "ATG-DOC-01" and "cycle" in f.message_en]
    assert {f.path for f in cycles} >= {
        "/components/parameters/loop_a/$ref",
        "/paths/~1libraries/get/parameters/2/$ref",
    }


class Canary:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.connections = 0
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", self.port))
        self._sock.settimeout(0.05)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    listener = Canary()
    try:
        yield listener
    finally:
        listener.close()


def test_external_refs_are_findings_and_are_never_fetched(canary: Canary) -> None:
    url = f"http://127.0.0.1:{canary.port}/schemas.yaml#/library"

    def patch(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"]["remote"] = {"$ref": url}
        doc["components"]["schemas"]["library"]["properties"]["remote"] = {"$ref": url}
        list_op(doc)["parameters"].append({"$ref": "other.yaml#/parameters/x"})

    report = lint_document(patched(patch))
    external = {f.path for f in report.findings if "external $ref" in f.message_en}
    assert external == {
        "/components/schemas/remote/$ref",
        "/components/schemas/library/properties/remote/$ref",
        "/paths/~1libraries/get/parameters/2/$ref",
    }
    assert report.errors >= 3
    assert canary.connections == 0
    with socket.create_connection(("127.0.0.1", canary.port), timeout=2):
        pass
    for _ in range(200):  # the canary itself works: it does see a real connection
        if canary.connections:
            break
        threading.Event().wait(0.01)
    assert canary.connections == 1


def test_a_long_ref_chain_is_followed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `$ref` of a chain was followed to its end: N²/2 lookups (minutes for a 1 MB file).
    The lookups are counted, not timed; the real function still does the work."""
    from registry.lint import structure

    calls = 0
    real_lookup = structure.lookup

    def counting_lookup(doc: Any, pointer: str) -> Any:
        nonlocal calls
        calls += 1
        return real_lookup(doc, pointer)

    monkeypatch.setattr(structure, "lookup", counting_lookup)
    n = 400
    schemas: dict[str, Any] = {
        f"s{i}": {"$ref": f"#/components/schemas/s{i + 1}"} for i in range(n)
    }
    schemas[f"s{n}"] = {"$ref": "#/components/schemas/nowhere"}
    doc = {"openapi": "3.0.3", "info": {"title": "T", "version": "1.0.0"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    report = lint_document(doc)
    dangling = [f for f in report.findings if "does not exist" in f.message_en]
    # one defect, one finding: the dangling end, not every ref that leads to it
    assert [f.path for f in dangling] == [f"/components/schemas/s{n}/$ref"]
    assert calls <= 3 * (n + 1)


def test_a_ref_bomb_is_a_finding_and_is_not_validated() -> None:
    """Each schema uses the next twice, so depth d stands for 2^d nodes, which the structural
    validator walked expanded (17: half a minute; 60: forever). It is an ATG-DOC-01 error now,
    found at once."""
    depth = 17
    schemas: dict[str, Any] = {
        f"s{i}": {"allOf": [{"$ref": f"#/components/schemas/s{i + 1}"}] * 2} for i in range(depth)
    }
    schemas[f"s{depth}"] = {"type": "object"}
    doc = patched(lambda d: d["components"]["schemas"].update(schemas))
    report = lint_document(doc)
    bomb = [f for f in report.findings if "expand too far" in f.message_en]
    assert [(f.rule, f.severity.value) for f in bomb] == [("ATG-DOC-01", "error")]


def test_recursive_and_shared_schemas_are_not_a_bomb() -> None:
    def patch(doc: dict[str, Any]) -> None:
        library = doc["components"]["schemas"]["library"]
        library["properties"]["parent"] = {"$ref": "#/components/schemas/library"}
        library["properties"]["branches"] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/library"},
        }

    report = lint_document(patched(patch))
    assert not [f for f in report.findings if f.rule == "ATG-DOC-01"]
