"""Hand-built route entries and snapshots for data-plane and proxy tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from gateway.snapshots import SnapshotHolder
from registry.models import RatePlan, RouteEntry, Snapshot, VersionState

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def make_route(slug: str = "tax", version: str = "v1", **overrides: Any) -> RouteEntry:
    fields: dict[str, Any] = {
        "slug": slug,
        "version": version,
        "provider_id": "mof",
        "state": VersionState.PUBLISHED,
        "upstream_url": "http://127.0.0.1:9/base",
        "document": {"openapi": "3.1.0", "paths": {}},
        "plan": RatePlan(),
        "open_data": False,
        "write_scope": False,
        "cors_origins": (),
        "connect_timeout": None,
        "read_timeout": None,
        "published_at": NOW,
        "deprecated_at": None,
        "sunset": None,
        "successor": None,
    }
    fields.update(overrides)
    return RouteEntry(**fields)


def holder(routes: Iterable[RouteEntry], generation: int = 1) -> SnapshotHolder:
    snapshot = Snapshot(
        generation=generation,
        routes={(r.slug, r.version): r for r in routes},
        loaded_at=NOW,
    )
    return SnapshotHolder(snapshot)
