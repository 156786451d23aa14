"""Traffic policy: counts every answered call per API version, app and hour, for the store.

The hourly roll-ups behind `tsunagu status`, the admin API's stats and the launch-watch
reports: requests by status class, 429s, upstream failures, problem codes and a fixed-bucket
latency histogram (`registry.usage.traffic`), so figures from every instance add up. Only
production calls (`/api`) with a known API version are counted; the caller's app is empty
when no credential was accepted. Counting is a dict update on the request path; a background
task hands the counts to the store in a worker thread every `interval_seconds`, or sooner once
`flush_calls` calls are waiting (`gateway.flushing`), keeps them when the store refuses,
and folds old hourly rows into daily ones about once an hour.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from gateway.flushing import FlushSchedule
from gateway.pipeline import Exchange, Reply
from registry.usage.traffic import (
    ANONYMOUS,
    COUNT_COLUMNS,
    ErrorCount,
    TrafficCount,
    bucket_index,
)

log = logging.getLogger(__name__)

Key = tuple[str, str, str, int]  # client id, slug, version, hour (unix seconds // 3600)
ErrorKey = tuple[str, str, int, str]  # slug, version, hour, problem code
UPSTREAM_CODES = frozenset({"bad-gateway", "gateway-timeout", "upstream-refused"})
_REQUESTS = COUNT_COLUMNS.index("requests")
_STATUS = {n: COUNT_COLUMNS.index(f"status_{n}xx") for n in (2, 3, 4, 5)}
_RATELIMITED = COUNT_COLUMNS.index("ratelimited")
_UPSTREAM = COUNT_COLUMNS.index("upstream_errors")
_FIRST_BUCKET = COUNT_COLUMNS.index("latency_le_5")
COMPACT_EVERY_SECONDS = 3600.0

Flush = Callable[[list[TrafficCount], list[ErrorCount]], None]


class TrafficPolicy:
    """Runs in on_complete only; `start()` in the lifespan, then `stop()` (flushes the rest)."""

    name = "traffic"

    def __init__(
        self,
        flush: Flush,
        compact: Callable[[], int],
        interval_seconds: float = 5.0,
        *,
        flush_calls: int = 100,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._flush = flush
        self._compact = compact
        self._schedule = FlushSchedule(interval_seconds, flush_calls)
        self._clock = clock
        self._pending: dict[Key, list[float]] = {}  # COUNT_COLUMNS counts, then the last call
        self._errors: dict[ErrorKey, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._compacted_at = 0.0

    async def on_request(self, exchange: Exchange) -> Reply | None:
        return None

    def on_complete(self, exchange: Exchange) -> None:
        route = exchange.route
        if route is None or exchange.kind != "api":
            return
        now = self._clock()
        hour = int(now // 3600)
        client_id = exchange.claims.client_id if exchange.claims is not None else ANONYMOUS
        key = (client_id, route.slug, route.version, hour)
        counts = self._pending.get(key)
        if counts is None:
            counts = self._pending[key] = [0.0] * (len(COUNT_COLUMNS) + 1)
        counts[_REQUESTS] += 1
        status_index = _STATUS.get(exchange.status // 100)
        if status_index is not None:
            counts[status_index] += 1
        elapsed_ms = (time.perf_counter_ns() - exchange.started_ns) / 1e6
        counts[_FIRST_BUCKET + bucket_index(elapsed_ms)] += 1
        counts[-1] = now
        code = exchange.error_code
        if code is not None:
            if code == "rate-limited":
                counts[_RATELIMITED] += 1
            elif code in UPSTREAM_CODES:
                counts[_UPSTREAM] += 1
            error_key = (route.slug, route.version, hour, code)
            self._errors[error_key] = self._errors.get(error_key, 0) + 1
        self._schedule.counted()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="traffic-flush")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush_now()

    async def flush_now(self) -> bool:
        """Hand the counts so far to the store in a thread; on failure keep them."""
        if not self._pending and not self._errors:
            return True
        taken, self._pending = self._pending, {}
        taken_errors, self._errors = self._errors, {}
        self._schedule.taken()
        try:
            await asyncio.to_thread(self._flush, *_rows(taken, taken_errors))
        except Exception as exc:  # the store is down or busy: try again next interval
            log.warning("traffic flush failed, keeping %d rows: %s", len(taken), exc)
            self._restore(taken, taken_errors)
            return False
        return True

    async def compact_if_due(self) -> None:
        now = self._clock()
        if now - self._compacted_at < COMPACT_EVERY_SECONDS:
            return
        self._compacted_at = now
        try:
            folded = await asyncio.to_thread(self._compact)
        except Exception as exc:
            log.warning("traffic compaction failed, will retry in an hour: %s", exc)
            return
        if folded:
            log.info("traffic compaction folded %d hourly rows into daily ones", folded)

    def _restore(self, taken: dict[Key, list[float]], errors: dict[ErrorKey, int]) -> None:
        for key, counts in taken.items():
            entry = self._pending.get(key)
            if entry is None:
                self._pending[key] = counts
            else:
                for index in range(len(COUNT_COLUMNS)):
                    entry[index] += counts[index]
                entry[-1] = max(entry[-1], counts[-1])
        for error_key, count in errors.items():
            self._errors[error_key] = self._errors.get(error_key, 0) + count

    async def _run(self) -> None:
        while True:
            await self.compact_if_due()
            await self._schedule.due()
            await self.flush_now()


def _rows(
    taken: dict[Key, list[float]], errors: dict[ErrorKey, int]
) -> tuple[list[TrafficCount], list[ErrorCount]]:
    counts = [
        TrafficCount(
            client_id=client_id,
            slug=slug,
            version=version,
            hour=datetime.fromtimestamp(hour * 3600, UTC),
            counts={name: int(values[i]) for i, name in enumerate(COUNT_COLUMNS) if values[i]},
            last_call=datetime.fromtimestamp(values[-1], UTC),
        )
        for (client_id, slug, version, hour), values in taken.items()
    ]
    error_rows = [
        ErrorCount(
            slug=slug,
            version=version,
            hour=datetime.fromtimestamp(hour * 3600, UTC),
            code=code,
            count=count,
        )
        for (slug, version, hour, code), count in errors.items()
    ]
    return counts, error_rows
