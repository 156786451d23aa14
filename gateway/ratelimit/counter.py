"""Fixed-window counters on Redis (one Lua call per request) or memory, with a breaker and fallback.

Strategy: fixed windows aligned to the clock. Why not the moving window:
- exact under concurrency either way, but the moving window keeps one list entry per request
  (memory and CPU grow with the limit) and takes its timestamps from each *client* clock,
  while the fixed window's count is one integer;
- aligning windows to the clock gives the reset locally, so the only thing to ask the store
  is the counts.
Cost: one Redis round trip per request whatever the number of quotas. `COUNT_SCRIPT`
increments every window key in order, sets its expiry on the first hit, stops at the first
exceeded quota and refunds the earlier ones (a rejection by the day quota does not consume the
minute quota), atomically, and returns the counts; it is registered once and run by EVALSHA
(redis-py loads it again only after a NOSCRIPT reply). Keys are `<prefix>:<key>/<quota name>/
<window>/<window number>`. Without Redis, `limits`' `MemoryStorage` counts in process memory.
Worst case (documented, SECURITY-TESTS B07): a client can spend up to 2×limit across a window
edge. Instances must keep their clocks in sync (NTP): a skew of s seconds lets requests near
an edge land in the neighbouring window for s seconds.

Redis down (connection refused, timeout, auth error): the breaker skips Redis for a growing,
bounded interval (1 s doubling to 10 s, one probe at a time) and requests are counted against
the caller's fallback quotas in this process's memory; callers that must fail closed pass no
fallback and get `Decision(unavailable=True)`. Each transition is logged once (down, with the
reason and the fallback now in use; back, with how long it lasted), and at each one the idle
pooled connections are dropped: after Redis restarts they are half-closed sockets (CLOSE_WAIT)
that a quiet process would otherwise keep for as long as it runs (ADR 0020).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NamedTuple, Protocol

import redis.asyncio
from limits.aio.storage import MemoryStorage
from redis.exceptions import RedisError

from gateway.ratelimit.quota import Decision, Quota, QuotaState

log = logging.getLogger(__name__)
Clock = Callable[[], float]
STORE_ERRORS = (RedisError, OSError, TimeoutError)

# KEYS: the window keys in quota order; ARGV: limit and expiry (seconds) of each, interleaved.
COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local used = redis.call('INCR', key)
  if used == 1 then
    redis.call('EXPIRE', key, ARGV[2 * i])
  end
  counts[i] = used
  if used > tonumber(ARGV[2 * i - 1]) then
    for j = 1, i - 1 do
      redis.call('DECR', KEYS[j])
    end
    break
  end
end
return counts
"""


class Window(NamedTuple):
    """One quota's current window: its key, its limit and how long the key must live."""

    key: str
    limit: int
    expiry: int


class WindowStore(Protocol):
    async def count(self, windows: Sequence[Window]) -> list[int]:
        """Count one hit per window in order, stop at the first exceeded one and take the
        hits on the earlier windows back; the counts of the windows counted."""
        ...


class RedisWindows:
    """Counts on Redis with `COUNT_SCRIPT`: one EVALSHA per request, atomic across instances."""

    def __init__(self, client: redis.asyncio.Redis, key_prefix: str) -> None:
        self._prefix = key_prefix
        self._script = client.register_script(COUNT_SCRIPT)

    async def count(self, windows: Sequence[Window]) -> list[int]:
        keys = [f"{self._prefix}:{window.key}" for window in windows]
        args = [value for window in windows for value in (window.limit, window.expiry)]
        counts = await self._script(keys=keys, args=args)
        return [int(used) for used in counts]


class MemoryWindows:
    """Counts in this process's memory (`limits`' MemoryStorage), like `COUNT_SCRIPT` does."""

    def __init__(self) -> None:
        self._storage = MemoryStorage()

    async def count(self, windows: Sequence[Window]) -> list[int]:
        counts: list[int] = []
        for window in windows:
            used = await self._storage.incr(window.key, window.expiry)
            counts.append(used)
            if used > window.limit:
                for earlier in windows[: len(counts) - 1]:
                    await self._storage.incr(earlier.key, earlier.expiry, amount=-1)
                break
        return counts


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
        primary: WindowStore,
        *,
        local: WindowStore | None = None,
        clock: Clock = time.time,
        on_fallback: Callable[[], None] = lambda: None,
        drop_idle: Callable[[], Awaitable[None]] | None = None,
        closers: Sequence[Callable[[], Any]] = (),
    ) -> None:
        self._primary = primary
        self._local = local  # None: the primary is process memory and cannot fail
        self._clock = clock
        self._on_fallback = on_fallback
        self._breaker = Breaker(clock)
        self._down_since: float | None = None
        self._drop_idle = drop_idle
        self._drops: set[asyncio.Task[None]] = set()
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
                self._went_down(exc, fallback is not None)
            else:
                self._breaker.succeeded()
                self._came_back()
                return decision
        self._on_fallback()
        if fallback is None:
            return Decision(states=(), unavailable=True)
        local = await _count(self._local, key, fallback, now)
        return Decision(local.states, local.violated, degraded=True)

    async def aclose(self) -> None:
        for task in list(self._drops):
            await task
        for close in self._closers:
            await close()

    def _went_down(self, exc: BaseException, has_fallback: bool) -> None:
        if self._down_since is not None:
            return
        self._down_since = self._clock()
        instead = "counting in this process's memory with the fallback quotas"
        log.warning(
            "rate-limit store unreachable (%s: %s); %s until it answers",
            type(exc).__name__,
            str(exc) or "no detail",
            instead if has_fallback else "fail-closed plans answer 503 counters-unavailable",
        )
        self._start_drop()

    def _came_back(self) -> None:
        if self._down_since is None:
            return
        down_for = self._clock() - self._down_since
        self._down_since = None
        log.warning(
            "rate-limit store reachable again after %.1f s; shared counters in use", down_for
        )
        self._start_drop()

    def _start_drop(self) -> None:
        """Close the idle pooled connections in the background (never on the request's time)."""
        if self._drop_idle is None:
            return
        task = asyncio.get_running_loop().create_task(self._drop(self._drop_idle))
        self._drops.add(task)
        task.add_done_callback(self._drops.discard)

    @staticmethod
    async def _drop(drop_idle: Callable[[], Awaitable[None]]) -> None:
        try:
            await drop_idle()
        except Exception as exc:  # closing a dead socket can fail; it is gone either way
            log.debug("dropping idle rate-limit connections failed: %s", exc)


async def _count(store: WindowStore, key: str, quotas: Sequence[Quota], now: float) -> Decision:
    """Count against each quota in order; the store stops at the first exceeded one."""
    lefts = [quota.seconds_left(now) for quota in quotas]
    windows = [
        Window(f"{key}/{quota.name}/{quota.window}/{quota.index(now)}", quota.limit, left + 1)
        for quota, left in zip(quotas, lefts, strict=True)
    ]
    counts = await store.count(windows)
    counted = zip(quotas, counts, lefts, strict=False)  # fewer counts: stopped at a rejection
    states = tuple(QuotaState(quota, used, left) for quota, used, left in counted)
    violated = states[-1] if states and states[-1].exceeded else None
    return Decision(states, violated)


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

    The connection pool is ours so `aclose()` can release it; redis-py's per-connection
    retries are off, the breaker decides when to try again.
    """
    url = async_storage_url(redis_url)
    if url == "memory://":
        return WindowCounter(MemoryWindows(), clock=clock)
    pool = redis.asyncio.ConnectionPool.from_url(
        url.removeprefix("async+").replace("redis+unix://", "unix://"),
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        health_check_interval=0,
    )
    return WindowCounter(
        RedisWindows(redis.asyncio.Redis(connection_pool=pool), key_prefix),
        local=MemoryWindows(),
        clock=clock,
        on_fallback=on_fallback,
        drop_idle=lambda: pool.disconnect(inuse_connections=False),
        closers=(pool.aclose,),
    )
