"""Which apps a developer may act on: their own, not deleted."""

from __future__ import annotations

from registry.errors import NotFound
from registry.models import AppView, DeveloperView
from registry.store import Unit


def own_app(unit: Unit, developer: DeveloperView, client_id: str) -> AppView:
    """The developer's own app; another's reads as not found (existence does not leak)."""
    app = unit.app(client_id)
    if app is None or app.developer_id != developer.id or app.deleted_at is not None:
        raise NotFound("app-not-yours", client_id=client_id)
    return app
