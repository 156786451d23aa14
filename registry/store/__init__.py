"""The registry store: SQL tables, migrations on open, transactions, row → model mapping."""

from registry.store.catalogue import Draft, VersionChanges
from registry.store.store import Store, Unit, open_store

__all__ = ["Draft", "Store", "Unit", "VersionChanges", "open_store"]
