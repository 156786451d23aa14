"""Usage policy: counts calls per app and API version in memory, flushes them to the registry.

`on_complete` counts every authenticated exchange, whatever its answer: a 429, a 502 from a
dead upstream or a 403 for a missing scope is still an app calling the version, and the
change notices reach the apps `tsunagu api consumers` lists. Counts are kept per app, version
and Japan calendar day (the registry's roll-up grain, so a flush spanning midnight JST splits
correctly) by status class (`registry.models.STATUS_CLASSES`), with the latest call time. A
background task flushes every `interval_seconds` by calling `flush` in a worker thread
(`asyncio.to_thread`): it writes to the database and must never run on the event loop, and
sooner once `flush_calls` calls are waiting (`gateway.flushing`: what a killed worker can
lose). A failed flush keeps its counts for the next round; `stop()` flushes what is left.
`tsunagu api consumers` therefore lags by at most one interval.
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
from registry.models import STATUS_CLASSES, UsageRow, status_class

log = logging.getLogger(__name__)
JST_OFFSET = 9 * 3600
Key = tuple[str, str, str, int]  # client id, slug, version, JST day number
# A pending entry: [count, last call (unix seconds), then one count per STATUS_CLASSES].
_COUNT, _LAST, _FIRST_CLASS = 0, 1, 2
_CLASS_INDEX = {name: _FIRST_CLASS + i for i, name in enumerate(STATUS_CLASSES)}


class UsagePolicy:
    """Call counting with periodic, off-loop flushing; `start()` in the lifespan, then `stop()`."""

    name = "usage"

    def __init__(
        self,
        flush: Callable[[list[UsageRow]], None],
        interval_seconds: float = 5,
        *,
        flush_calls: int = 100,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._flush = flush
        self._schedule = FlushSchedule(interval_seconds, flush_calls)
        self._clock = clock
        self._pending: dict[Key, list[float]] = {}
        self._task: asyncio.Task[None] | None = None

    async def on_request(self, exchange: Exchange) -> Reply | None:
        return None

    def on_complete(self, exchange: Exchange) -> None:
        claims, route = exchange.claims, exchange.route
        if claims is None or route is None:
            return
        now = self._clock()
        key = (claims.client_id, route.slug, route.version, int((now + JST_OFFSET) // 86_400))
        entry = self._pending.get(key)
        if entry is None:
            entry = self._pending[key] = [0.0, now, *(0.0 for _ in STATUS_CLASSES)]
        entry[_COUNT] += 1
        entry[_LAST] = now
        index = _CLASS_INDEX.get(status_class(exchange.status) or "")
        if index is not None:
            entry[index] += 1
        self._schedule.counted()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="usage-flush")

    async def stop(self) -> None:
        """Stop the background task and flush the remaining counts once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush_now()

    async def flush_now(self) -> bool:
        """Hand the counts so far to `flush` in a thread; on failure keep them. True if flushed."""
        if not self._pending:
            return True
        taken, self._pending = self._pending, {}
        self._schedule.taken()
        rows = [
            UsageRow(
                client_id=client_id,
                slug=slug,
                version=version,
                count=int(entry[_COUNT]),
                last_call=datetime.fromtimestamp(entry[_LAST], UTC),
                statuses={name: int(entry[i]) for name, i in _CLASS_INDEX.items() if entry[i]},
            )
            for (client_id, slug, version, _), entry in taken.items()
        ]
        try:
            await asyncio.to_thread(self._flush, rows)
        except Exception as exc:  # the store is down or busy: try again next interval
            log.warning("usage flush failed, keeping %d rows: %s", len(rows), exc)
            self._restore(taken)
            return False
        return True

    def _restore(self, taken: dict[Key, list[float]]) -> None:
        for key, counts in taken.items():
            entry = self._pending.get(key)
            if entry is None:
                self._pending[key] = counts
                continue
            for index, value in enumerate(counts):
                if index != _LAST:
                    entry[index] += value
            entry[_LAST] = max(entry[_LAST], counts[_LAST])

    async def _run(self) -> None:
        while True:
            await self._schedule.due()
            await self.flush_now()
