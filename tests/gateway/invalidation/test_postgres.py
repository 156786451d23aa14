"""PostgreSQL: the registry NOTIFYs in the bumping transaction; gateways LISTEN and reconnect."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import update

from gateway.invalidation.backoff import Backoff
from gateway.invalidation.postgres import OnGeneration, PostgresListener
from registry.store import Store, open_store
from registry.store.catalogue import GENERATION_CHANNEL
from registry.store.engine import libpq_conninfo
from registry.store.tables import RegistryStateRow
from tests.gateway.invalidation.support import distinct_generation, instance, revoke, until

pytestmark = pytest.mark.postgres


@pytest.fixture
def store(postgres_url: str) -> Iterator[Store]:
    opened = open_store(postgres_url)
    try:
        yield opened
    finally:
        opened.dispose()


def listener_for(store: Store, on_generation: OnGeneration) -> PostgresListener:
    return PostgresListener(
        libpq_conninfo(store.engine.url),
        on_generation,
        backoff=Backoff(first=0.05, ceiling=0.2),
    )


async def test_a_change_reaches_a_listening_gateway_without_polling(store: Store) -> None:
    start = distinct_generation(store)
    async with instance(store) as gateway:
        listener = listener_for(store, gateway.on_generation)
        listener.start()
        try:
            await until(lambda: listener.connects == 1, "LISTEN")
            await asyncio.to_thread(revoke, store, "jti-listen")
            await until(lambda: start + 1 in gateway.heard, "the NOTIFY payload")
            await until(lambda: gateway.holder.current.generation == start + 1, "the refresh")
            assert "jti-listen" in gateway.holder.current.revoked_jtis
        finally:
            await listener.stop()


async def test_the_listener_reconnects_after_its_backend_is_terminated(store: Store) -> None:
    start = distinct_generation(store)
    async with instance(store) as gateway:
        listener = listener_for(store, gateway.on_generation)
        listener.start()
        try:
            await until(lambda: listener.connects == 1, "LISTEN")
            killed = listener.backend_pid
            conninfo = libpq_conninfo(store.engine.url)
            async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as admin:
                await admin.execute("SELECT pg_terminate_backend(%s)", (killed,))
            await until(lambda: listener.connects == 2, "the second LISTEN")
            assert listener.backend_pid not in (None, killed)
            await asyncio.to_thread(revoke, store, "jti-after-drop")
            await until(lambda: start + 1 in gateway.heard, "the NOTIFY after reconnecting")
            await until(lambda: "jti-after-drop" in gateway.holder.current.revoked_jtis, "refresh")
        finally:
            await listener.stop()


class Abort(Exception):
    """Raised inside a write transaction to roll it back."""


def rolled_back_bump(store: Store, marker: int) -> None:
    with pytest.raises(Abort), store.write() as unit:
        unit.session.execute(update(RegistryStateRow).values(generation=marker))
        unit.bump_generation()
        raise Abort


async def test_notify_is_sent_at_commit_and_never_for_a_rollback(store: Store) -> None:
    start = distinct_generation(store)
    marker = start + 500_000  # what a rolled-back bump would announce
    conninfo = libpq_conninfo(store.engine.url)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        await conn.execute(f"LISTEN {GENERATION_CHANNEL}")
        await asyncio.to_thread(rolled_back_bump, store, marker)
        await asyncio.to_thread(revoke, store, "jti-commit")
        payloads: list[str] = []
        async for notify in conn.notifies(timeout=10):
            payloads.append(notify.payload)  # other tests' registries share the channel
            if notify.payload == str(start + 1):
                break
    assert str(start + 1) in payloads
    assert str(marker + 1) not in payloads
