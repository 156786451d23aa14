"""Holds the registry snapshot the gateway serves from; the request path only reads `.current`."""

from __future__ import annotations

from registry.models import Snapshot


class SnapshotHolder:
    """The current snapshot. Replaced as a whole (never mutated), so readers need no lock."""

    def __init__(self, initial: Snapshot) -> None:
        self.current = initial

    def replace(self, snapshot: Snapshot) -> None:
        if snapshot.generation >= self.current.generation:
            self.current = snapshot
