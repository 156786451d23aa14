"""Push paths that refresh gateway snapshots at once; polling stays the safety net.

`build_invalidation` picks what the deployment offers: PostgreSQL LISTEN when the registry is
on PostgreSQL (it NOTIFYs in the transaction that bumps the generation), Redis pub/sub between
instances when `TSUNAGU_REDIS_URL` is set (channel `<TSUNAGU_REDIS_PREFIX>:generation`). On
SQLite without Redis it returns an empty set and the refresher's poll is the only path. Local
writes (admin API, token revocation) wake the refresher through `gateway.invalidation.local`.
"""

from __future__ import annotations

from typing import Protocol

from gateway.invalidation.postgres import PostgresListener
from gateway.invalidation.redis_bus import CHANNEL_NAME, RedisGenerationBus
from gateway.snapshots import SnapshotHolder, SnapshotRefresher
from registry.settings import Settings
from registry.store import Store
from registry.store.engine import libpq_conninfo


class Service(Protocol):
    name: str

    def start(self) -> None: ...

    async def stop(self) -> None: ...


class Invalidation:
    """The configured push paths; the application runs them as background services."""

    def __init__(self, services: tuple[Service, ...]) -> None:
        self.services = services


def build_invalidation(
    settings: Settings,
    store: Store,
    holder: SnapshotHolder,
    refresher: SnapshotRefresher,
    *,
    redis_channel: str | None = None,
) -> Invalidation:
    """LISTEN on PostgreSQL and/or pub/sub on Redis, each waking `refresher` with news."""
    services: list[Service] = []
    if store.dialect == "postgresql":
        services.append(PostgresListener(libpq_conninfo(store.engine.url), refresher.notify))
    if settings.redis_url:
        bus = RedisGenerationBus.from_url(
            settings.redis_url,
            refresher.notify,
            channel=redis_channel or settings.redis_key(CHANNEL_NAME),
        )
        holder.on_replace(lambda snapshot: bus.publish(snapshot.generation))
        services.append(bus)
    return Invalidation(tuple(services))
