"""One Redis round trip per rate-limited request, counted at the client's socket writes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import redis.asyncio
from redis.asyncio.connection import Connection

from gateway.policies.ratelimit import DAY, JST_OFFSET, MINUTE, RateLimitPolicy
from gateway.ratelimit.counter import MemoryWindows, RedisWindows, WindowCounter
from gateway.ratelimit.quota import Quota
from registry.models import RatePlan
from registry.settings import Settings
from tests.gateway.ratelimit.factories import (
    DAY_LEFT,
    FIXED_NOW,
    MINUTE_LEFT,
    claims,
    delete_keys,
    exchange,
    fixed_clock,
    problems,
    route,
)

pytestmark = pytest.mark.redis


@dataclass
class Counted:
    """A rate-limit policy on Redis whose connections count what they send."""

    policy: RateLimitPolicy
    client: redis.asyncio.Redis
    prefix: str
    sends: list[int]  # one entry per socket write


@pytest.fixture
async def counted(redis_url: str) -> AsyncIterator[Counted]:
    sends: list[int] = []

    class CountingConnection(Connection):
        """Every write to the socket is one round trip (a pipeline would also be one)."""

        async def send_packed_command(self, command: object, check_health: bool = True) -> None:
            sends.append(1)
            await super().send_packed_command(command, check_health)  # type: ignore[arg-type]

    pool = redis.asyncio.ConnectionPool.from_url(redis_url, connection_class=CountingConnection)
    client = redis.asyncio.Redis(connection_pool=pool)
    prefix = "t-rt-" + uuid.uuid4().hex
    counter = WindowCounter(RedisWindows(client, prefix), local=MemoryWindows(), clock=fixed_clock)
    try:
        yield Counted(RateLimitPolicy(Settings(), problems(), counter), client, prefix, sends)
    finally:
        await pool.aclose()
        delete_keys(redis_url, prefix)


def window_key(prefix: str, quota: Quota) -> str:
    """The documented key format: <prefix>:<key>/<quota name>/<window>/<window number>."""
    base = "app/app-1/tenki/v1/api"
    return f"{prefix}:{base}/{quota.name}/{quota.window}/{quota.index(FIXED_NOW)}"


async def test_each_request_is_one_round_trip(counted: Counted) -> None:
    entry = route(RatePlan(per_minute=4, per_day=100))
    await counted.policy.on_request(exchange(entry, claims()))  # connects, loads the script
    counted.sends.clear()
    replies = [await counted.policy.on_request(exchange(entry, claims())) for _ in range(5)]
    assert len(counted.sends) == 5
    assert [r is None for r in replies] == [True, True, True, False, False]


async def test_a_day_rejection_refunds_the_minute_in_the_same_round_trip(
    counted: Counted,
) -> None:
    minute, day = Quota("minute", 10, MINUTE), Quota("day", 2, DAY, offset=JST_OFFSET)
    entry = route(RatePlan(per_minute=minute.limit, per_day=day.limit))
    for _ in range(2):
        assert await counted.policy.on_request(exchange(entry, claims())) is None
    counted.sends.clear()
    reply = await counted.policy.on_request(exchange(entry, claims()))
    assert reply is not None and reply.status == 429
    assert len(counted.sends) == 1
    minute_key, day_key = window_key(counted.prefix, minute), window_key(counted.prefix, day)
    assert int(await counted.client.get(minute_key) or 0) == 2  # the third hit was taken back
    assert int(await counted.client.get(day_key) or 0) == 3
    assert 0 < await counted.client.ttl(minute_key) <= MINUTE_LEFT + 1
    assert MINUTE_LEFT + 1 < await counted.client.ttl(day_key) <= DAY_LEFT + 1
