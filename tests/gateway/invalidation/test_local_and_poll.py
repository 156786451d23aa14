"""Polling alone, the last snapshot kept while the store is down, local writes waking at once."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import create_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from gateway.invalidation import build_invalidation
from gateway.invalidation.local import WakingRevocations, wake_after_writes
from gateway.invalidation.postgres import PostgresListener
from gateway.invalidation.redis_bus import RedisGenerationBus
from gateway.snapshots import SnapshotHolder, SnapshotRefresher
from registry.settings import Settings
from registry.snapshot import RegistryReader
from registry.store import Store, open_store
from tests.gateway.invalidation.support import instance, revoke, until
from tests.services import free_port


async def test_polling_alone_picks_up_a_change(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        async with instance(store, interval=0.05) as gateway:
            before = gateway.holder.current.generation
            await asyncio.to_thread(revoke, store, "jti-poll")
            await until(lambda: gateway.holder.current.generation == before + 1, "the poll")
            assert "jti-poll" in gateway.holder.current.revoked_jtis
            assert gateway.heard == []  # no push path was involved
    finally:
        store.dispose()


async def test_an_unreachable_store_keeps_the_last_snapshot(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    dead = Store(create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"))
    try:
        last = RegistryReader(store).snapshot()
        holder = SnapshotHolder(last)
        refresher = SnapshotRefresher(holder, RegistryReader(dead), 3600)
        assert await refresher.refresh_once() is False
        assert holder.current is last
        assert not refresher.store_reachable
    finally:
        dead.dispose()
        store.dispose()


async def test_a_revocation_in_a_worker_thread_wakes_the_refresher(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        async with instance(store) as gateway:  # never polls again after its first round
            revocations = WakingRevocations(store, gateway.refresher.wake)
            await asyncio.to_thread(revoke, revocations, "jti-local")
            await until(lambda: "jti-local" in gateway.holder.current.revoked_jtis, "the wake")
    finally:
        store.dispose()


def admin_like_app() -> Starlette:
    async def endpoint(request: Request) -> PlainTextResponse:
        status = int(request.query_params.get("status", "200"))
        return PlainTextResponse("done", status_code=status)

    return Starlette(routes=[Route("/thing", endpoint, methods=["GET", "POST", "DELETE"])])


@pytest.mark.parametrize(
    ("method", "status", "wakes"),
    [("POST", 201, 1), ("DELETE", 204, 1), ("GET", 200, 0), ("POST", 409, 0), ("POST", 400, 0)],
)
async def test_successful_writes_through_the_admin_mount_wake(
    method: str, status: int, wakes: int
) -> None:
    woken: list[int] = []
    app = wake_after_writes(admin_like_app(), lambda: woken.append(1))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.request(method, f"/thing?status={status}")
    assert response.status_code == status
    assert len(woken) == wakes


async def test_push_paths_follow_the_configuration(
    sqlite_url: str, database_url: str, redis_url: str
) -> None:
    for url, redis_setting in ((sqlite_url, None), (database_url, redis_url)):
        store = open_store(url)
        reader = RegistryReader(store)
        holder = SnapshotHolder(reader.snapshot())
        refresher = SnapshotRefresher(holder, reader, 3600)
        built = build_invalidation(Settings(redis_url=redis_setting), store, holder, refresher)
        kinds = [type(service) for service in built.services]
        for service in built.services:  # never started: stop only releases the Redis client
            await service.stop()
        store.dispose()
        if redis_setting is None:
            assert kinds == []
        elif store.dialect == "postgresql":
            assert kinds == [PostgresListener, RedisGenerationBus]
        else:
            assert kinds == [RedisGenerationBus]
