"""Redis pub/sub: an instance that loads a new generation tells the others, who refresh at once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import pytest
import redis.asyncio

from gateway.invalidation.backoff import Backoff
from gateway.invalidation.redis_bus import RedisGenerationBus
from registry.store import open_store
from tests.gateway.invalidation.support import Instance, instance, revoke, until

pytestmark = pytest.mark.redis


@asynccontextmanager
async def bus_for(
    gateway: Instance, redis_url: str, channel: str, name: str
) -> AsyncIterator[RedisGenerationBus]:
    """A started bus wired like `build_invalidation` does; `name` labels its connections."""
    bus = RedisGenerationBus.from_url(
        f"{redis_url}?client_name={name}",
        gateway.on_generation,
        channel=channel,
        backoff=Backoff(first=0.05, ceiling=0.2),
    )
    gateway.holder.on_replace(lambda snapshot: bus.publish(snapshot.generation))
    bus.start()
    try:
        yield bus
    finally:
        await bus.stop()


async def subscribers(client: redis.asyncio.Redis, channel: str) -> int:
    counts = await client.pubsub_numsub(channel)  # type: ignore[no-untyped-call]
    return int(counts[0][1])


async def test_a_generation_learned_by_one_instance_wakes_the_others(
    redis_url: str, sqlite_url: str
) -> None:
    store = open_store(sqlite_url)
    channel, tag = f"t-gen-{uuid.uuid4().hex}", uuid.uuid4().hex[:12]
    admin = redis.asyncio.Redis.from_url(redis_url)
    try:
        async with AsyncExitStack() as stack:
            a = await stack.enter_async_context(instance(store))
            b = await stack.enter_async_context(instance(store))
            await stack.enter_async_context(bus_for(a, redis_url, channel, f"t-a-{tag}"))
            await stack.enter_async_context(bus_for(b, redis_url, channel, f"t-b-{tag}"))
            await until_subscribed(admin, channel)
            before = b.holder.current.generation

            await asyncio.to_thread(revoke, store, "jti-first")
            a.refresher.wake()  # what the admin API does after a local write
            await until(lambda: before + 1 in b.heard, "A's publication at B")
            await until(lambda: "jti-first" in b.holder.current.revoked_jtis, "B's refresh")

            killed = await kill_connections(admin, f"t-b-{tag}")  # B's subscription drops
            await until_resubscribed(admin, f"t-b-{tag}", killed)
            await asyncio.to_thread(revoke, store, "jti-second")
            a.refresher.wake()
            await until(lambda: before + 2 in b.heard, "A's publication after B resubscribed")
            await until(lambda: "jti-second" in b.holder.current.revoked_jtis, "B's refresh")
    finally:
        await admin.aclose()
        store.dispose()


async def until_subscribed(admin: redis.asyncio.Redis, channel: str) -> None:
    for _ in range(500):
        if await subscribers(admin, channel) == 2:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("gave up waiting for both instances to subscribe")


async def kill_connections(admin: redis.asyncio.Redis, name: str) -> set[str]:
    """Close every server-side connection of the client named `name` (a real fault)."""
    clients = await admin.client_list()
    ids = {c["id"] for c in clients if c.get("name") == name}
    assert ids, f"no connection named {name}"
    for client_id in ids:
        await admin.client_kill_filter(_id=client_id)
    return ids


async def until_resubscribed(admin: redis.asyncio.Redis, name: str, killed: set[str]) -> None:
    """Wait for a new connection named `name` that holds a subscription."""
    for _ in range(500):
        clients = await admin.client_list()
        if any(
            c.get("name") == name and c["id"] not in killed and int(c.get("sub", 0)) > 0
            for c in clients
        ):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"gave up waiting for {name} to subscribe again")
