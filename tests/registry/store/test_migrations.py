"""The migrated schema equals the metadata; migrating is idempotent; the log is append-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from registry.store import Store, open_store
from registry.store.migrate import alembic_config
from registry.store.tables import Base


def test_upgrade_head_matches_the_metadata(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_reopening_migrates_nothing_and_keeps_data(database_url: str, store: Store) -> None:
    with store.write() as unit:
        unit.bump_generation()
    again = open_store(database_url)
    try:
        with again.read() as unit:
            assert unit.generation() == 1
        with again.engine.connect() as conn:
            head = ScriptDirectory.from_config(alembic_config(conn)).get_current_head()
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head
    finally:
        again.dispose()


@pytest.mark.parametrize(
    "statement", ["UPDATE change_log SET actor = 'x'", "DELETE FROM change_log"]
)
def test_change_log_refuses_update_and_delete(store: Store, statement: str) -> None:
    with store.write() as unit:
        unit.record_change(store.clock(), "cli:op", "test", "x/v1", {})
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    with store.read() as unit:
        assert [e.actor for e in unit.change_log(10, None)] == ["cli:op"]


def test_sqlite_default_path_is_created_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = tmp_path / "nested" / "var" / "tsunagu.db"
    store = open_store(f"sqlite:///{database}")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        store.dispose()
    with sqlite3.connect(database) as raw:
        assert raw.execute("SELECT generation FROM registry_state").fetchall() == [(0,)]


def test_0002_starts_the_routes_generation_at_the_generation(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0001")
            conn.execute(text("UPDATE registry_state SET generation = 41"))
    finally:
        engine.dispose()
    store = open_store(sqlite_url)  # migrates to head
    try:
        with store.read() as unit:
            assert (unit.generation(), unit.routes_generation()) == (41, 41)
        with store.write() as unit:
            unit.bump_generation(routes=False)
        with store.read() as unit:
            assert (unit.generation(), unit.routes_generation()) == (42, 41)
    finally:
        store.dispose()
