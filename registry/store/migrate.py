"""Applies the registry's Alembic migrations (upgrade to head) with a configuration built in code.

No alembic.ini and no dependence on the working directory: `script_location` points at the
installed `registry/migrations` package folder. Migrations run inside one transaction that first
takes the registry write lock (a PostgreSQL advisory lock, or `BEGIN IMMEDIATE` on SQLite), so
several gateway processes starting at once migrate one after the other.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

import registry.migrations
from registry.store.timeouts import unbounded_statements

MIGRATION_LOCK_KEY = 0x7473756E  # "tsun": the advisory lock id taken while migrating


def migrations_folder() -> Path:
    return Path(registry.migrations.__file__).parent


def alembic_config(connection: Connection) -> Config:
    """An Alembic configuration that runs on `connection` (see migrations/env.py)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_folder()))
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there."""
    with engine.connect() as conn:
        conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin(), unbounded_statements(conn):
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            command.upgrade(alembic_config(conn), "head")
