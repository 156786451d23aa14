"""Fixed-window counters over `limits.aio` storage, with a circuit breaker and a local fallback.

Strategy: fixed windows aligned to the clock, counted with the storage's atomic `incr` (one
`INCRBY` + `EXPIRE` Lua call per quota in Redis). Why not the moving window:
- exact under concurrency either way, but the moving window keeps one list entry per request
  (memory and CPU grow with the limit) and takes its timestamps from each *client* clock
  (`acquire_moving_window.lua` ARGV), while the fixed window's count is one integer;
- `FixedWindowRateLimiter.hit` throws the count away, and the headers need it: calling the
  storage's `incr` ourselves gives the count from the same round trip, and aligning windows to
  the clock gives the reset locally, so a request costs one round trip per quota, not three.
Worst case (documented, SECURITY-TESTS B07): a client can spend up to 2×limit across a window
edge. Instances must keep their clocks in sync (NTP): a skew of s seconds lets requests near
an edge land in the neighbouring window for s seconds.

Redis down (connection refused, timeout, auth error): the breaker skips Redis for a growing,
bounded interval (1 s doubling to 10 s, one probe at a time) and requests are counted against
the caller's fallback quotas in this process's memory; callers that must fail closed pass no
fallback and get `Decision(unavailable=True)`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.errors import StorageError

from gateway.ratelimit.quota import Decision, Quota, QuotaState

log = logging.getLogger(__name__)
Clock = Callable[[], float]
STORE_ERRORS = (StorageError, OSError, TimeoutError)
WARN_EVERY_SECONDS = 60.0


class Breaker:
    """Closed while the store works; after a failure, open for `first`…`ceiling` seconds."""

    def __init__(self, clock: Clock, first: float = 1.0, ceiling: float = 10.0) -> None:
        self._clock, self._first, self._ceiling = clock, first, ceiling
        self._delay = 0.0
        self._open_until = 0.0

    def allows(self) -> bool:
        """True when the store may be tried; while a probe is out, others keep skipping it."""
        now = self._clock()
        if now < self._open_until:
            return False
        if self._delay:
            self._open_until = now + self._delay  # the one probe; success closes the breaker
        return True

    def failed(self) -> None:
        self._delay = min(self._ceiling, self._delay * 2 if self._delay else self._first)
        self._open_until = self._clock() + self._delay

    def succeeded(self) -> None:
        self._delay = 0.0
        self._open_until = 0.0


class WindowCounter:
    """Counts requests for a key against quotas; the shared store first, else the fallback."""

    def __init__(
        self,
        primary: Storage,
        *,
        local: Storage | None = None,
        clock: Clock = time.time,
        on_fallback: Callable[[], None] = lambda: None,
        closers: Sequence[Callable[[], Any]] = (),
    ) -> None:
        self._primary = primary
        self._local = local  # None: the primary is process memory and cannot fail
        self._clock = clock
        self._on_fallback = on_fallback
        self._breaker = Breaker(clock)
        self._warned_at = -WARN_EVERY_SECONDS
        self._closers = closers

    async def hit(
        self, key: str, quotas: Sequence[Quota], fallback: Sequence[Quota] | None
    ) -> Decision:
        """Count one request; `fallback=None` means refuse when the shared store is down."""
        now = self._clock()
        if self._local is None:
            return await _count(self._primary, key, quotas, now)
        if self._breaker.allows():
            try:
                decision = await _count(self._primary, key, quotas, now)
            except STORE_ERRORS as exc:
                self._breaker.failed()
                self._warn(f"rate-limit store unreachable ({type(exc).__name__}); degraded")
            else:
                self._breaker.succeeded()
                return decision
        self._on_fallback()
        if fallback is None:
            return Decision(states=(), unavailable=True)
        local = await _count(self._local, key, fallback, now)
        return Decision(local.states, local.violated, degraded=True)

    async def aclose(self) -> None:
        for close in self._closers:
            await close()

    def _warn(self, message: str) -> None:
        now = self._clock()
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            log.warning(message)


async def _count(storage: Storage, key: str, quotas: Sequence[Quota], now: float) -> Decision:
    """Count against each quota in order; stop at the first exceeded one and refund the rest."""
    states: list[QuotaState] = []
    keys: list[str] = []
    for quota in quotas:
        window_key = f"{key}/{quota.name}/{quota.window}/{quota.index(now)}"
        left = quota.seconds_left(now)
        used = await storage.incr(window_key, left + 1)
        state = QuotaState(quota, used, left)
        states.append(state)
        if state.exceeded:
            for earlier in keys:  # a rejection by one quota does not consume the others
                await storage.incr(earlier, left + 1, amount=-1)
            return Decision(tuple(states), violated=state)
        keys.append(window_key)
    return Decision(tuple(states))


def async_storage_url(redis_url: str | None) -> str:
    """`memory://` when Redis is not configured, else the `limits.aio` form of the URL."""
    if not redis_url:
        return "memory://"
    scheme, sep, rest = redis_url.partition("://")
    if not sep or scheme not in ("redis", "rediss", "redis+unix", "unix"):
        raise ValueError(f"unsupported Redis URL scheme: {scheme or redis_url!r}")
    return f"async+{'redis+unix' if scheme == 'unix' else scheme}://{rest}"


def build_counter(
    redis_url: str | None,
    *,
    key_prefix: str = "tsunagu:rl",
    timeout_seconds: float = 0.1,
    on_fallback: Callable[[], None] = lambda: None,
    clock: Clock = time.time,
) -> WindowCounter:
    """A counter on process memory, or on Redis with short timeouts, no retries and a fallback.

    The connection pool is ours (passed to `limits`) so `aclose()` can release it; redis-py's
    per-connection retries are off, the breaker decides when to try again.
    """
    url = async_storage_url(redis_url)
    if url == "memory://":
        return WindowCounter(MemoryStorage(), clock=clock)
    import redis.asyncio

    pool = redis.asyncio.ConnectionPool.from_url(
        url.removeprefix("async+").replace("redis+unix://", "unix://"),
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        health_check_interval=0,
    )
    storage = RedisStorage(
        url,
        wrap_exceptions=True,
        implementation="redispy",
        key_prefix=key_prefix,
        connection_pool=pool,  # type: ignore[arg-type]
    )
    return WindowCounter(
        storage,
        local=MemoryStorage(),
        clock=clock,
        on_fallback=on_fallback,
        closers=(pool.aclose,),
    )
