"""Stores, refreshers and bounded waits shared by the invalidation tests."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from gateway.oauth.ports import RevocationStore
from gateway.snapshots import SnapshotHolder, SnapshotRefresher
from registry.snapshot import RegistryReader
from registry.store import Store
from registry.store.tables import RegistryStateRow

NO_POLL = 3600.0  # a poll interval no test outlives: only a push path can refresh


async def until(condition: Callable[[], bool], what: str, attempts: int = 500) -> None:
    """Wait (at most `attempts` × 20 ms) for `condition`; fail naming `what` otherwise."""
    for _ in range(attempts):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"gave up waiting for {what}")


def distinct_generation(store: Store) -> int:
    """Move this registry's generation far above any other test's (they share NOTIFY channels)."""
    start = 1_000_000_000 + secrets.randbelow(1_000_000_000)
    with store.write() as unit:
        unit.session.execute(update(RegistryStateRow).values(generation=start))
    return start


def revoke(store: RevocationStore, jti: str) -> None:
    """A registry write that bumps the generation (what the revocation endpoint does)."""
    store.revoke_jti(jti, datetime.now(UTC) + timedelta(hours=1))


@dataclass
class Instance:
    """One gateway's snapshot machinery, and every generation its push path reported."""

    holder: SnapshotHolder
    refresher: SnapshotRefresher
    heard: list[int | None] = field(default_factory=list)

    def on_generation(self, generation: int | None) -> None:
        self.heard.append(generation)
        self.refresher.notify(generation)


@asynccontextmanager
async def instance(store: Store, interval: float = NO_POLL) -> AsyncIterator[Instance]:
    """A started refresher over `store` (stopped on exit)."""
    reader = RegistryReader(store)
    holder = SnapshotHolder(reader.snapshot())
    refresher = SnapshotRefresher(holder, reader, interval)
    refresher.start()
    try:
        yield Instance(holder, refresher)
    finally:
        await refresher.stop()
