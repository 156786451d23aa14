"""Fixtures for the OAuth tests: a real SQLite registry store, apps in it, keys, a verifier,
and a real uvicorn server on a loopback port running the OAuth router."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import uvicorn
from fastapi import FastAPI

from gateway.oauth.keys import KeyRing
from gateway.oauth.router import build_oauth_router
from gateway.oauth.throttle import FailureThrottle, ThrottleLimits
from gateway.oauth.verifier import TokenVerifier
from gateway.snapshots import SnapshotHolder
from registry import secrets
from registry.models import AppView, Snapshot
from registry.service import RegistryService
from registry.settings import Settings
from registry.snapshot import RegistryReader
from registry.store import Store, open_store
from tests.services import free_port


@dataclass
class Credentials:
    client_id: str
    client_secret: str


def load_snapshot(store: Store) -> Snapshot:
    """What the gateway's snapshot refresher loads after a generation change."""
    return RegistryReader(store).snapshot()


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def settings(port: int) -> Settings:
    return Settings(public_url=f"http://127.0.0.1:{port}", database_url="sqlite://")


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    opened = open_store(sqlite_url)
    yield opened
    opened.dispose()


@pytest.fixture
def make_app(store: Store) -> Callable[..., Credentials]:
    def make(scopes: tuple[str, ...] = ("jusho",), *, sandbox: bool = False) -> Credentials:
        client_id, secret = secrets.new_client_id(), secrets.new_client_secret()
        app = AppView(
            client_id=client_id,
            name="test app",
            owner="dev@example.jp",
            scopes=scopes,
            sandbox=sandbox,
            secret_hash=secrets.hash_secret(secret),
            created_at=datetime.now(UTC),
        )
        with store.write() as unit:
            unit.add_app(app)
        return Credentials(client_id, secret)

    return make


@pytest.fixture
def ring(store: Store, settings: Settings) -> KeyRing:
    keyring = KeyRing(store, settings)
    keyring.ensure()
    return keyring


@pytest.fixture
def holder(store: Store, ring: KeyRing) -> SnapshotHolder:
    return SnapshotHolder(load_snapshot(store))


@pytest.fixture
def verifier(holder: SnapshotHolder, settings: Settings) -> TokenVerifier:
    return TokenVerifier(holder, settings)


@dataclass
class OAuthServerUnderTest:
    base_url: str
    store: Store
    holder: SnapshotHolder
    verifier: TokenVerifier


def _serve(app: FastAPI, port: int) -> Iterator[None]:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def oauth_server(
    store: Store, settings: Settings, ring: KeyRing, holder: SnapshotHolder, port: int
) -> Iterator[OAuthServerUnderTest]:
    verifier = TokenVerifier(holder, settings)
    app = FastAPI()
    limits = ThrottleLimits(pair_limit=3, client_limit=8, ip_limit=8, base_delay_seconds=30.0)
    app.include_router(
        build_oauth_router(
            settings,
            clients=RegistryService(store, settings),
            ring=ring,
            revocations=store,
            verifier=verifier,
            verify_secret=secrets.verify_secret,
            hash_secret=secrets.hash_secret,
            throttle=FailureThrottle(limits),
            scopes_supported=lambda: ["jusho", "jusho:write"],
        )
    )
    serving = _serve(app, port)
    next(serving)
    try:
        yield OAuthServerUnderTest(f"http://127.0.0.1:{port}", store, holder, verifier)
    finally:
        next(serving, None)
