"""Loads what the gateway serves from: the generation number and a consistent `Snapshot`."""

from __future__ import annotations

from registry.clock import Clock, utc_now
from registry.models import Snapshot
from registry.store import Store


class RegistryReader:
    """Read side of the store for the gateway; every call is one read transaction."""

    def __init__(self, store: Store, clock: Clock = utc_now) -> None:
        self.store = store
        self.clock = clock

    def generation(self) -> int:
        """One cheap query: the number that changes whenever the snapshot would."""
        with self.store.read() as unit:
            return unit.generation()

    def snapshot(self, previous: Snapshot | None = None) -> Snapshot:
        """Published, deprecated and retired routes, public signing keys, API keys of enabled
        apps, unexpired revocations and disabled apps, all read in the same transaction as the
        generation. The routes of `previous` are kept (not read again) when their generation is
        current."""
        now = self.clock()
        with self.store.read() as unit:
            routes_generation = unit.routes_generation()
            if previous is not None and previous.routes_generation == routes_generation:
                routes = previous.routes
            else:
                routes = unit.routes()
            return Snapshot(
                generation=unit.generation(),
                routes_generation=routes_generation,
                routes=routes,
                signing_keys=tuple(unit.signing_keys(include_private=False)),
                api_keys=unit.api_keys(),
                revoked_jtis=unit.revoked_jtis(now),
                disabled_clients=unit.disabled_clients(),
                loaded_at=now,
            )
