"""A registry with notices on (the store's change listener), one published API and two apps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from registry.models import UsageRow
from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.settings import Settings
from registry.store import Store, open_store
from tests.registry.store.conftest import FakeClock
from tests.registry.store.documents import openapi

OPERATOR = Principal(role=Role.OPERATOR, subject="cli:operator")
CONTACT = "api@example.go.jp"


@dataclass
class World:
    svc: RegistryService
    store: Store
    clock: FakeClock
    caller: str  # client id of app A (owner a@example.jp), which calls libraries v1
    bystander: str  # client id of app B (owner b@example.jp), which never calls

    def call(self, client_id: str, version: str = "v1", count: int = 1) -> None:
        """Calls as the gateway's usage flush records them."""
        row = UsageRow(
            client_id=client_id,
            slug="libraries",
            version=version,
            count=count,
            last_call=self.clock.now,
        )
        self.store.add_usage([row])

    def deliveries(self) -> list[dict[str, object]]:
        with self.store.read() as unit:
            return [d.model_dump(mode="json") for d in unit.deliveries(None, 1000)]


@pytest.fixture
def notice_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        public_url="https://gw.example.go.jp",
        notice_days=180,
        upstream_allow="127.0.0.1",
    )


@pytest.fixture
def world(notice_settings: Settings) -> Iterator[World]:
    clock = FakeClock()
    store = open_store(notice_settings, clock=clock)
    svc = RegistryService(store, notice_settings, clock=clock)
    svc.add_provider(OPERATOR, "digital", "デジタル庁", "Digital Agency", CONTACT)
    for version in ("1.0.0", "2.0.0"):
        document = json.dumps(openapi(version=version)).encode()
        svc.register(OPERATOR, "digital", document, "https://api.example.go.jp/base")
        svc.publish(OPERATOR, "libraries", f"v{version[0]}")
    a = svc.create_app(OPERATOR, "App A", "a@example.jp", ["libraries"], False)
    b = svc.create_app(OPERATOR, "App B", "b@example.jp", ["libraries"], False)
    clock.advance(days=1)
    try:
        yield World(svc, store, clock, a.client_id, b.client_id)
    finally:
        store.dispose()


def sunset_in(world: World, days: int) -> object:
    return (world.clock.now + timedelta(days=days)).date()
