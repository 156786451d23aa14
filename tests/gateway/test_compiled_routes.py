"""Compiled routes: built once per document, kept across snapshots, untouched by credentials."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gateway.compiled_routes import CompiledRoutes
from registry.models import RouteEntry, Snapshot
from registry.openapi import DocumentError
from tests.gateway.sandbox.documents import facilities, houjin, route_for

NOW = datetime(2026, 4, 1, tzinfo=UTC)


def snapshot(
    generation: int, routes_generation: int, *entries: RouteEntry, revoked: str = ""
) -> Snapshot:
    return Snapshot(
        generation=generation,
        routes_generation=routes_generation,
        routes={(e.slug, e.version): e for e in entries},
        revoked_jtis=frozenset({revoked} - {""}),
        loaded_at=NOW,
    )


def test_a_credentials_only_snapshot_recompiles_nothing() -> None:
    houjin_v1, facilities_v1 = route_for(houjin()), route_for(facilities(), slug="facilities")
    routes = CompiledRoutes()
    routes.refresh(snapshot(1, 1, houjin_v1, facilities_v1))
    assert routes.documents_compiled == 2
    before = routes.for_entry(houjin_v1)
    index = before.document.sandbox_index()

    first = snapshot(1, 1, houjin_v1, facilities_v1)
    revoked = snapshot(2, 1, *first.routes.values(), revoked="jti")
    routes.refresh(revoked)
    assert routes.documents_compiled == 2
    assert routes.for_entry(houjin_v1) is before
    assert routes.for_entry(houjin_v1).document.sandbox_index() is index


def test_a_new_snapshot_reuses_unchanged_documents_and_compiles_changed_ones() -> None:
    routes = CompiledRoutes()
    routes.refresh(snapshot(1, 1, route_for(houjin()), route_for(facilities(), slug="facilities")))
    houjin_index = routes.for_entry(route_for(houjin())).document.sandbox_index()
    assert routes.documents_compiled == 2

    changed = facilities()
    changed["info"]["title"] = "施設API (改訂)"
    reloaded_houjin = route_for(houjin()).model_copy(
        update={"cors_origins": ("https://app.example.jp",)}
    )
    routes.refresh(snapshot(2, 2, reloaded_houjin, route_for(changed, slug="facilities")))
    assert routes.documents_compiled == 3  # only the changed document
    compiled = routes.for_entry(reloaded_houjin)
    assert compiled.entry is reloaded_houjin
    assert compiled.document.sandbox_index() is houjin_index  # same document: same index
    assert compiled.cors_origins == frozenset({b"https://app.example.jp"})  # entry: recomputed


def test_removed_routes_are_forgotten() -> None:
    routes = CompiledRoutes()
    houjin_v1 = route_for(houjin())
    routes.refresh(snapshot(1, 1, houjin_v1))
    routes.refresh(snapshot(2, 2))
    routes.for_entry(houjin_v1)  # an in-flight request of the old snapshot still compiles
    assert routes.documents_compiled == 2


def test_a_document_the_sandbox_cannot_serve_fails_the_same_way_every_time() -> None:
    routes = CompiledRoutes()
    compiled = routes.for_entry(route_for({"swagger": "2.0", "paths": {}}))
    for _ in range(2):
        with pytest.raises(DocumentError, match="unsupported OpenAPI version"):
            compiled.document.sandbox_index()
