"""Counting on the real local Redis, and what happens when Redis is not there."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Callable, Iterator

import orjson
import pytest

from gateway.policies.ratelimit import RateLimitPolicy
from gateway.ratelimit.counter import async_storage_url, build_counter
from gateway.ratelimit.quota import Quota
from registry.models import RatePlan
from registry.settings import Settings
from tests.gateway.ratelimit.factories import (
    MINUTE_LEFT,
    claims,
    delete_keys,
    exchange,
    headers_of,
    problems,
    route,
)
from tests.services import free_port

pytestmark = pytest.mark.redis


class Clock:
    def __init__(self, now: float = 1_800_000_030.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def prefix(redis_url: str) -> Iterator[Callable[[], str]]:
    """Fresh key prefixes for this test; their keys are deleted afterwards."""
    made: list[str] = []

    def new() -> str:
        made.append("t-rl-" + uuid.uuid4().hex)
        return made[-1]

    yield new
    for key_prefix in made:
        delete_keys(redis_url, key_prefix)


async def test_redis_counts_exactly_and_isolates_by_prefix(
    redis_url: str, prefix: Callable[[], str]
) -> None:
    minute = (Quota("minute", 3, 60),)
    first = build_counter(redis_url, key_prefix=prefix(), clock=Clock())
    other = build_counter(redis_url, key_prefix=prefix(), clock=Clock())
    try:
        used = [(await first.hit("app/k", minute, None)).states[0].used for _ in range(4)]
        assert used == [1, 2, 3, 4]
        again = await first.hit("app/k", minute, None)
        assert not again.allowed and not again.degraded
        assert (await other.hit("app/k", minute, None)).states[0].used == 1
    finally:
        await first.aclose()
        await other.aclose()


async def test_policy_on_redis_sets_fields(redis_url: str, prefix: Callable[[], str]) -> None:
    counter = build_counter(redis_url, key_prefix=prefix(), clock=Clock())
    limiter = RateLimitPolicy(Settings(), problems(), counter)
    try:
        ex = exchange(route(RatePlan(per_minute=10, per_day=20)), claims())
        assert await limiter.on_request(ex) is None
        assert headers_of(ex)["ratelimit"].startswith(f'"minute";r=9;t={MINUTE_LEFT}, "day";r=19;')
    finally:
        await counter.aclose()


def closed_port_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


async def test_redis_down_falls_back_to_local_counting(caplog: pytest.LogCaptureFixture) -> None:
    fallbacks: list[int] = []
    counter = build_counter(closed_port_url(), on_fallback=lambda: fallbacks.append(1))
    conf = Settings(redis_fallback_per_minute=2)
    limiter = RateLimitPolicy(conf, problems(), counter)
    entry = route(RatePlan(per_minute=100, per_day=1000))
    try:
        with caplog.at_level(logging.WARNING, logger="gateway.ratelimit.counter"):
            served = [exchange(entry, claims()) for _ in range(3)]
            replies = [await limiter.on_request(ex) for ex in served]
        assert replies[:2] == [None, None]
        assert replies[2] is not None and replies[2].status == 429
        assert headers_of(served[0])["ratelimit-policy"] == '"minute";q=2;w=60'
        assert len(fallbacks) == 3
        warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(warnings) == 1  # once per outage, not once per request
    finally:
        await counter.aclose()


async def test_fail_closed_plan_answers_503_while_redis_is_down() -> None:
    counter = build_counter(closed_port_url())
    limiter = RateLimitPolicy(Settings(), problems(), counter)
    try:
        strict = route(RatePlan(fail_closed=True), slug="zeimu")
        ex = exchange(strict, claims())
        reply = await limiter.on_request(ex)
        assert reply is not None and reply.status == 503
        assert orjson.loads(reply.body)["type"].endswith("#counters-unavailable")
        assert int(dict(reply.headers)[b"retry-after"]) >= 1
        assert ex.error_code == "counters-unavailable"
        assert await limiter.on_request(exchange(route(), claims())) is None  # others: fallback
    finally:
        await counter.aclose()


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """A TCP listener whose backlog accepts connections that nobody answers (a hung Redis)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    try:
        yield listener
    finally:
        listener.close()


def new_connections(listener: socket.socket) -> int:
    """How many connections the client opened since the last call."""
    count = 0
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            return count
        conn.close()
        count += 1


async def test_breaker_skips_a_dead_redis_then_probes_again(silent_server: socket.socket) -> None:
    clock = Clock()
    port = silent_server.getsockname()[1]
    counter = build_counter(f"redis://127.0.0.1:{port}/0", clock=clock, timeout_seconds=0.05)
    minute = (Quota("minute", 5, 60),)
    try:
        for _ in range(5):
            assert (await counter.hit("k", minute, minute)).degraded
        assert new_connections(silent_server) == 1  # timed out once, then skipped
        clock.now += 1.5
        assert (await counter.hit("k", minute, minute)).degraded
        assert new_connections(silent_server) == 1  # one probe after the 1 s backoff
        clock.now += 1.5  # the backoff doubled to 2 s: still open
        await counter.hit("k", minute, minute)
        assert new_connections(silent_server) == 0
    finally:
        await counter.aclose()


def test_storage_urls() -> None:
    assert async_storage_url(None) == "memory://"
    assert async_storage_url("redis://h:6379/2") == "async+redis://h:6379/2"
    assert async_storage_url("rediss://:pw@h/0") == "async+rediss://:pw@h/0"
    unix = "unix:///run/redis.sock?db=1"
    assert async_storage_url(unix) == "async+redis+unix:///run/redis.sock?db=1"
    with pytest.raises(ValueError, match="unsupported Redis URL scheme"):
        async_storage_url("memcached://h")
