"""Seeding the demo is idempotent, and refuses a database seeded for other upstream ports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gateway.demo.seed import DemoError, demo_apis, ensure_credentials, seed_registry
from registry.models import VersionState
from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.settings import Settings
from registry.snapshot import RegistryReader
from registry.store import open_store

OPERATOR = Principal(role=Role.OPERATOR, subject="test")
BASES = {
    s: f"http://127.0.0.1:{9000 + i}" for i, s in enumerate(("houjin", "postal", "facilities"))
}


def test_seeding_twice_changes_nothing_and_keeps_the_credentials(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}", upstream_allow="127.0.0.1")
    service = RegistryService(open_store(settings), settings)
    seed_registry(service, demo_apis(BASES), date(2026, 11, 28))
    first = ensure_credentials(service, tmp_path / "creds.json")
    generation = RegistryReader(service.store).generation()
    states = {(a.slug, a.version): a.state for a in service.list_apis(OPERATOR)}
    assert states == {
        ("houjin", "v1"): VersionState.DEPRECATED,
        ("houjin", "v2"): VersionState.PUBLISHED,
        ("postal", "v1"): VersionState.PUBLISHED,
        ("facilities", "v1"): VersionState.PUBLISHED,
    }
    assert service.get_version(OPERATOR, "houjin", "v1").successor == "v2"

    seed_registry(service, demo_apis(BASES), date(2026, 11, 28))
    assert ensure_credentials(service, tmp_path / "creds.json") == first
    assert RegistryReader(service.store).generation() == generation

    moved = {slug: base.replace(":90", ":91") for slug, base in BASES.items()}
    with pytest.raises(DemoError, match="--port"):
        seed_registry(service, demo_apis(moved), date(2026, 11, 28))
