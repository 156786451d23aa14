"""Engine factory: SQLite (WAL, foreign keys, busy timeout, explicit BEGIN) or PostgreSQL
(with every wait bounded: `registry.store.timeouts`).

pysqlite's own transaction handling defers BEGIN and cannot issue `BEGIN IMMEDIATE`, so the
driver runs in autocommit mode and the engine emits BEGIN itself (the SQLAlchemy recipe). A
connection with the execution option `sqlite_begin="IMMEDIATE"` takes the database's write lock
up front, which serialises registry writers on SQLite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from registry.errors import InvalidInput
from registry.problems import Text
from registry.store.timeouts import StoreTimeouts, bound_postgres_waits


def _dumps(value: Any) -> str:
    """JSON text as stored: Japanese stays readable and round-trips exactly."""
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str, *, lock_timeout: float, timeouts: StoreTimeouts | None = None) -> Engine:
    """An engine for `url`; `lock_timeout` (seconds) bounds every wait for the write lock,
    `timeouts` every wait on a PostgreSQL server (a pool slot included)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, lock_timeout)
    timeouts = timeouts or StoreTimeouts()
    engine = create_engine(
        url, json_serializer=_dumps, pool_pre_ping=True, pool_timeout=timeouts.reply_seconds
    )
    bound_postgres_waits(engine, timeouts)
    return engine


def _sqlite_engine(url: str, lock_timeout: float) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidInput(
                "invalid-database-url",
                url=database,
                reason=Text(
                    f"フォルダーを作成できません（{exc.strerror}）",
                    f"cannot create its folder ({exc.strerror})",
                ),
            ) from exc
    engine = create_engine(url, json_serializer=_dumps, connect_args={"timeout": lock_timeout})
    busy_ms = int(lock_timeout * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def libpq_conninfo(url: URL, timeouts: StoreTimeouts | None = None) -> str:
    """The libpq URI of a SQLAlchemy `postgresql+psycopg://` URL (query options kept), for code
    that talks to PostgreSQL without SQLAlchemy (LISTEN, advisory-lock leases). With
    `timeouts`, its TCP keepalives are added where the URL sets none: such a connection idles
    for hours, and a server that vanished must end it (and the lease it holds) in seconds."""
    if timeouts is not None:
        keepalive = {k: v for k, v in timeouts.connect_params().items() if k != "connect_timeout"}
        url = url.update_query_dict({**keepalive, **url.query})
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
