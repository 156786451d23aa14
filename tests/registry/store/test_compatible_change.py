"""Registering a published version again: compatible documents replace it, breaking ones are
refused with every breaking change listed (ADR 0023); on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from registry.errors import ItemizedRefusal, Refused
from registry.models import VersionState
from registry.service import RegistryService
from registry.snapshot import RegistryReader
from registry.store import Store
from tests.registry.store.conftest import OPERATOR, PROVIDER_A
from tests.registry.store.documents import as_yaml, openapi, without_license

pytestmark = pytest.mark.usefixtures("providers")
UP = "https://upstream.example.go.jp/libraries"
PATH = "/v1/libraries/{library_id}"


def publish(svc: RegistryService) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP)
    svc.publish(PROVIDER_A, "libraries", "v1")


def with_opening_hours(doc: dict[str, Any]) -> dict[str, Any]:
    """A compatible change: a new response field and a new optional query parameter."""
    doc["components"]["schemas"]["Library"]["properties"]["hours"] = {
        "type": "string",
        "description": "開館時間",
    }
    doc["paths"][PATH]["get"]["parameters"].append(
        {"name": "lang", "in": "query", "description": "言語", "schema": {"type": "string"}}
    )
    return doc


def test_a_compatible_document_replaces_the_published_one(
    svc: RegistryService, store: Store
) -> None:
    publish(svc)
    reader = RegistryReader(store)
    generation = reader.generation()
    result = svc.register(PROVIDER_A, "digital", as_yaml(with_opening_hours(openapi())), UP)
    assert result.state is VersionState.PUBLISHED
    view = svc.get_version(OPERATOR, "libraries", "v1")
    assert "hours" in view.document["components"]["schemas"]["Library"]["properties"]
    route = reader.snapshot().route("libraries", "v1")
    assert route is not None and "hours" in str(route.document)
    assert reader.generation() == generation + 1
    entry = svc.change_log(OPERATOR, limit=1)[0]
    assert (entry.action, entry.target) == ("api.change", "libraries/v1")
    kinds = [c["kind"] for c in entry.detail["changes"]]
    assert kinds == ["new-optional-request-parameter", "response-property-added"]
    assert "optional parameter lang (query) was added" in entry.detail["summary_en"]
    assert "hours" in entry.detail["summary_ja"]


def test_a_deprecated_version_takes_compatible_changes_too(svc: RegistryService) -> None:
    publish(svc)
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(version="2.0.0")), UP)
    svc.publish(PROVIDER_A, "libraries", "v2")
    svc.deprecate(PROVIDER_A, "libraries", "v1", date(2026, 1, 1), successor="v2")
    result = svc.register(PROVIDER_A, "digital", as_yaml(openapi(title="図書館API（改）")), UP)
    assert result.state is VersionState.DEPRECATED
    assert svc.get_version(OPERATOR, "libraries", "v1").title == "図書館API（改）"


def test_a_breaking_document_is_refused_with_each_change_and_its_pointer(
    svc: RegistryService,
) -> None:
    publish(svc)
    doc = openapi()
    del doc["components"]["schemas"]["Library"]["properties"]["name"]
    doc["paths"][PATH]["get"]["parameters"].append(
        {"name": "key", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    log_size = len(svc.change_log(OPERATOR))
    with pytest.raises(ItemizedRefusal) as refused:
        svc.register(PROVIDER_A, "digital", as_yaml(doc), UP)
    error = refused.value
    assert error.code == "breaking-change" and error.exit_code == 1
    assert error.params["next"] == "v2" and error.params["count"] == 2
    lines = [line.en for line in error.lines]
    assert lines == [
        "/paths/~1v1~1libraries~1{library_id}/get/parameters/1: GET /v1/libraries/{library_id}: "
        "required parameter key (query) was added (new-required-request-parameter)",
        "/components/schemas/Library/properties/name: GET /v1/libraries/{library_id} 200 "
        "application/json body: response property name was removed (response-property-removed)",
    ]
    assert [c["pointer"] for c in error.members["changes"]] == [
        "/paths/~1v1~1libraries~1{library_id}/get/parameters/1",
        "/components/schemas/Library/properties/name",
    ]
    assert svc.get_version(OPERATOR, "libraries", "v1").document == openapi()
    assert len(svc.change_log(OPERATOR)) == log_size


def test_a_compatible_document_with_lint_errors_is_refused(svc: RegistryService) -> None:
    publish(svc)
    with pytest.raises(Refused, match="lint errors"):
        svc.register(PROVIDER_A, "digital", as_yaml(without_license(openapi())), UP)
    assert svc.get_version(OPERATOR, "libraries", "v1").document == openapi()
