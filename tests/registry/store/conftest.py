"""Fixtures for the store and service tests: a migrated store per test on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.settings import Settings
from registry.store import Store, open_store

START = datetime(2025, 4, 1, 3, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand; every reading is a distinct, later instant."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(database_url: str, clock: FakeClock) -> Iterator[Store]:
    opened = open_store(database_url, lock_timeout=5.0, clock=clock)
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture
def settings() -> Settings:
    return Settings(notice_days=180, default_per_minute=60, default_per_day=10_000)


@pytest.fixture
def svc(store: Store, settings: Settings, clock: FakeClock) -> RegistryService:
    return RegistryService(store, settings, clock=clock)


OPERATOR = Principal(role=Role.OPERATOR, subject="cli:operator")
PROVIDER_A = Principal(role=Role.PROVIDER, subject="a@example.go.jp", provider_id="digital")
PROVIDER_B = Principal(role=Role.PROVIDER, subject="b@example.go.jp", provider_id="mlit")
DEVELOPER = Principal(role=Role.DEVELOPER, subject="dev@example.com")


@pytest.fixture
def providers(svc: RegistryService) -> None:
    """Two providers: `digital` (A) and `mlit` (B)."""
    svc.add_provider(OPERATOR, "digital", "デジタル庁", "Digital Agency", "api@digital.go.jp")
    svc.add_provider(OPERATOR, "mlit", "国土交通省", "MLIT", "api@mlit.go.jp", notice_days=30)
