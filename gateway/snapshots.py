"""Holds the registry snapshot the gateway serves from, and keeps it fresh.

The request path only reads `SnapshotHolder.current`. `SnapshotRefresher` polls the registry's
generation number (one cheap query, in a worker thread so the event loop never blocks) and loads
a new snapshot when it changed. Polling is the safety net: the push paths in
`gateway.invalidation` (PostgreSQL LISTEN, Redis pub/sub, local admin writes) call `wake()` or
`notify(n)` to refresh at once. When the store is unreachable the gateway keeps serving the
last snapshot it had (stale configuration, not 500s) and logs the outage once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from registry.models import Snapshot

log = logging.getLogger(__name__)


class SnapshotSource(Protocol):
    def generation(self) -> int: ...

    def snapshot(self, previous: Snapshot | None = None) -> Snapshot: ...


class SnapshotHolder:
    """The current snapshot. Replaced as a whole (never mutated), so readers need no lock."""

    def __init__(self, initial: Snapshot) -> None:
        self.current = initial
        self._listeners: list[Callable[[Snapshot], None]] = []

    def replace(self, snapshot: Snapshot) -> None:
        if snapshot.generation >= self.current.generation:
            self.current = snapshot
            for listener in self._listeners:
                listener(snapshot)

    def on_replace(self, listener: Callable[[Snapshot], None]) -> None:
        """Call `listener` with every new snapshot (caches keyed by generation use this)."""
        self._listeners.append(listener)


class SnapshotRefresher:
    """Polls the generation number (or is woken) and swaps in a new snapshot when it changes."""

    def __init__(
        self,
        holder: SnapshotHolder,
        source: SnapshotSource,
        interval_seconds: float,
        on_generation: Callable[[int], None] = lambda _: None,
    ) -> None:
        self._holder = holder
        self._on_generation = on_generation  # the registry's generation, seen on every poll
        self._source = source
        self._interval = interval_seconds
        self._task: asyncio.Task[None] | None = None
        self._store_down = False
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="snapshot-refresher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """Refresh now. Safe to call from any thread (the OAuth endpoints write in a pool)."""
        loop = self._loop
        if loop is None:
            self._wake.set()  # not started yet: the first round refreshes anyway
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake.set()
        else:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing to wake
                loop.call_soon_threadsafe(self._wake.set)

    def notify(self, generation: int | None = None) -> None:
        """Another component saw `generation` (None: unknown); wake only if it is news."""
        if generation is None or generation > self._holder.current.generation:
            self.wake()

    async def refresh_once(self) -> bool:
        """Load a new snapshot if the generation moved; False when the store is unreachable."""
        try:
            generation = await asyncio.to_thread(self._source.generation)
            self._on_generation(generation)
            if generation != self._holder.current.generation:
                snapshot = await asyncio.to_thread(self._source.snapshot, self._holder.current)
                self._holder.replace(snapshot)
        except Exception as exc:  # the store is down: keep serving the last snapshot
            if not self._store_down:
                log.warning("registry store unreachable, serving the last snapshot: %s", exc)
            self._store_down = True
            return False
        if self._store_down:
            log.warning("registry store reachable again")
        self._store_down = False
        return True

    @property
    def store_reachable(self) -> bool:
        return not self._store_down

    async def _run(self) -> None:
        while True:
            await self.refresh_once()
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # arrives as the event is set, and stop() would then wait a whole interval.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._interval):
                    await self._wake.wait()
            self._wake.clear()
