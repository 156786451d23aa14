"""The demo APIs through the sandbox: every example and every synthesised body is schema-valid."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson
import pytest

from gateway.sandbox.index import Match, Parameter, SandboxIndex
from gateway.sandbox.selection import Preferences, choose
from gateway.sandbox.synthesis import synthesise
from gateway.sandbox.validation import RequestParts, validator_for
from registry.demo_apis import DEMO_DOCUMENTS
from registry.intake import load_document
from registry.openapi import HTTP_METHODS as METHODS
from registry.openapi import join, resolve


def _load(path: Path) -> dict[str, Any]:
    return load_document(path.read_bytes())


def _as_json(value: Any) -> Any:
    """What a client receives: the value after JSON encoding (YAML dates become strings)."""
    return orjson.loads(orjson.dumps(value))


def _responses(index: SandboxIndex) -> Iterator[tuple[str, str, str, str, Mapping[str, Any]]]:
    """(path, method, status, media type, media spec) for every JSON response with a schema."""
    for template, item in index.document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, Mapping):
                continue
            for status, raw in operation["responses"].items():
                response = resolve(index.document, raw, "")[0]
                for media, spec in (response.get("content") or {}).items():
                    if "json" in media and "schema" in spec:
                        yield template, method, str(status), media, spec


@pytest.fixture(params=DEMO_DOCUMENTS, ids=lambda p: p.stem)
def index(request: pytest.FixtureRequest) -> SandboxIndex:
    return SandboxIndex.for_document(_load(request.param))


def test_every_declared_example_and_synthesised_body_is_valid(index: SandboxIndex) -> None:
    checked = 0
    for template, method, status, media, spec in _responses(index):
        pointer = join("/paths", template, method, "responses", status, "content", media, "schema")
        schema_at = resolve(index.document, spec["schema"], pointer)[1]
        checker = index.compiler.checker(schema_at)
        bodies = [synthesise(index.document, spec["schema"])]
        bodies += [
            resolve(index.document, ex, "")[0]["value"]
            for ex in (spec.get("examples") or {}).values()
        ]
        if "example" in spec:
            bodies.append(spec["example"])
        for body in bodies:
            assert checker.issues(_as_json(body)) == [], (template, method, status, body)
            checked += 1
    assert checked >= 3


def test_every_component_schema_synthesises_validly(index: SandboxIndex) -> None:
    schemas = index.document.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        value = _as_json(synthesise(index.document, schema))
        issues = index.compiler.checker(join("/components/schemas", name)).issues(value)
        assert issues == [], (name, value)
    assert schemas


def test_default_answers_of_get_operations(index: SandboxIndex) -> None:
    """Each GET answers with a 2xx by default, and every declared status can be preferred."""
    answered = 0
    for template, item in index.document["paths"].items():
        if "get" not in item:
            continue
        path = template.replace("{", "").replace("}", "")  # any segment matches a parameter
        found = index.match("GET", path)
        assert isinstance(found, Match), template
        chosen = choose(index, found.operation, Preferences(), "application/json")
        assert 200 <= chosen.status < 300
        for status in found.operation.node["responses"]:
            if str(status).isdigit():
                preferred = choose(index, found.operation, Preferences(code=str(status)), None)
                assert preferred.status == int(status)
        answered += 1
    assert answered >= 1


def _wire(param: Parameter, value: Any) -> list[tuple[str, str]]:
    """A parameter example in its query form (OpenAPI `style: form`)."""
    if isinstance(value, list):
        if param.explode:
            return [(param.name, str(v)) for v in value]
        return [(param.name, ",".join(str(v) for v in value))]
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return [(param.name, text)]


def test_documented_parameter_examples_pass_validation(index: SandboxIndex) -> None:
    validated = 0
    for operation in index.operations():
        path, query = operation.template, []
        declared = _declared(index, operation.template, operation.method)
        for param in operation.parameters:
            example = declared[param.name].get("example", param.schema.get("example"))
            if example is None:
                continue
            if param.location == "path":
                path = path.replace("{" + param.name + "}", str(example))
            elif param.location == "query":
                query += _wire(param, example)
        found = index.match(operation.method.upper(), path)
        assert isinstance(found, Match), path
        parts = RequestParts(
            found.path_params, RequestParts.decode_query(urlencode(query).encode()), [], b""
        )
        violations = validator_for(index, found.operation).validate(parts)
        assert [v for v in violations if v.location != "body"] == [], (path, query)
        validated += 1
    assert validated >= 1


def _declared(index: SandboxIndex, template: str, method: str) -> dict[str, Mapping[str, Any]]:
    item = index.document["paths"][template]
    raw = [*(item.get("parameters") or []), *(item[method].get("parameters") or [])]
    resolved = [resolve(index.document, p, "")[0] for p in raw]
    return {p["name"]: p for p in resolved}
