"""When counts kept in memory go to the store: every interval, or sooner once enough calls wait.

The usage and traffic policies count on the request path and write in the background. What a
worker holds is what a SIGKILL (or an OOM kill) loses, so besides the interval a flush is due
as soon as `calls` calls are waiting (ADR 0020). Count-triggered flushes are at least
`MIN_GAP_SECONDS` apart, so under heavy traffic a process writes about twice a second rather
than back to back; the loss is then bounded by `calls` or half a second of traffic, whichever
is larger, and never more than one interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

MIN_GAP_SECONDS = 0.5


class FlushSchedule:
    """`counted()` on the request path, `taken()` when a flush takes the counts, and
    `await due()` in the flush loop."""

    def __init__(self, interval_seconds: float, calls: int) -> None:
        self._interval = interval_seconds
        self._calls = calls
        self._waiting = 0
        self._enough = asyncio.Event()
        self._taken_at = 0.0

    def counted(self) -> None:
        self._waiting += 1
        if self._waiting >= self._calls:
            self._enough.set()

    def taken(self) -> None:
        self._waiting = 0
        self._enough.clear()
        self._taken_at = time.monotonic()

    async def due(self) -> None:
        """Return when the interval has passed or enough calls wait (not sooner than the gap)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._interval):
                await self._enough.wait()
                await asyncio.sleep(self._taken_at + MIN_GAP_SECONDS - time.monotonic())
