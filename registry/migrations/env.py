"""Alembic environment: runs migrations on the connection `registry.store.migrate` hands in.

There is no alembic.ini: `registry.store.migrate.alembic_config` builds the configuration in
code and passes an open connection in `config.attributes["connection"]`, so migrations run in
the caller's transaction (and under its lock).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from registry.store.tables import Base


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("registry migrations run only through registry.store.migrate")
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
