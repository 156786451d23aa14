"""Bounded waits on PostgreSQL: connect, statement, reply and TCP keepalive timeouts (ADR 0020).

Without them a database that accepts connections and never answers (a hung server or pooler,
a half-open link) holds every caller for minutes: `/readyz`, `/oauth/token` and the CLI hung
for as long as the fault lasted. Each PostgreSQL connection the engine opens gets:
- `connect_timeout` (libpq's, whole seconds, at least 2): TCP, TLS and start-up together;
- `statement_timeout` on the server: a statement that runs longer is cancelled there;
- a reply deadline on the client, 1 s past the statement timeout: when the server has not
  answered by then it is not going to (a blackhole, not a slow query), so the connection is
  closed and the call fails as `OperationalError`; the pool then drops it. This is psycopg's
  own `Connection.wait` given a timeout: every query, commit, rollback and pre-ping waits
  there, and statement_timeout alone cannot help when the server never sees the statement;
- TCP keepalives and `tcp_user_timeout`: a peer that vanished (packets dropped) is noticed
  after about twice the keepalive time even on an idle pooled connection.
Values given in the database URL's query win over these defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg
from psycopg.abc import PQGen
from sqlalchemy import Connection, Engine, event, text

from registry.settings import Settings

RV = TypeVar("RV")
REPLY_GRACE_SECONDS = 1.0
KEEPALIVE_PROBES = 3


@dataclass(frozen=True, slots=True)
class StoreTimeouts:
    """How long any wait on the store may last; see the module docstring."""

    connect_seconds: int = 3
    statement_seconds: float = 10.0
    keepalive_seconds: int = 10

    @classmethod
    def from_settings(cls, settings: Settings) -> StoreTimeouts:
        return cls(
            settings.store_connect_timeout_seconds,
            settings.store_statement_timeout_seconds,
            settings.store_keepalive_seconds,
        )

    @property
    def reply_seconds(self) -> float:
        """The client's deadline for any one reply from the server."""
        return self.statement_seconds + REPLY_GRACE_SECONDS

    def connect_params(self) -> dict[str, str]:
        """libpq parameters (defaults: the URL's own values win)."""
        interval = max(1, self.keepalive_seconds // KEEPALIVE_PROBES)
        user_timeout_ms = (self.keepalive_seconds + interval * KEEPALIVE_PROBES) * 1000
        return {
            "connect_timeout": str(max(2, self.connect_seconds)),
            "keepalives": "1",
            "keepalives_idle": str(self.keepalive_seconds),
            "keepalives_interval": str(interval),
            "keepalives_count": str(KEEPALIVE_PROBES),
            "tcp_user_timeout": str(user_timeout_ms),
        }


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection that closes itself when a reply is `reply_timeout` seconds late."""

    reply_timeout: float | None = None

    def wait(self, gen: PQGen[RV], interval: float = 0.1, timeout: float | None = None) -> RV:
        if timeout is not None or self.reply_timeout is None:
            return super().wait(gen, interval, timeout)  # psycopg's own deadline, its handling
        try:
            return super().wait(gen, interval, self.reply_timeout)
        except psycopg.errors._WaitTimeout:  # psycopg's internal "timeout expired"
            self.close()  # the protocol state is unknown: never reuse this connection
            raise psycopg.OperationalError(
                f"no reply from the database within {self.reply_timeout:g} s"
            ) from None


def bound_postgres_waits(engine: Engine, timeouts: StoreTimeouts) -> None:
    """Open every connection of `engine` with the timeouts (the URL's own values win)."""
    statement_ms = int(timeouts.statement_seconds * 1000)

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        for name, value in timeouts.connect_params().items():
            cparams.setdefault(name, value)
        options = str(cparams.get("options", ""))
        if "statement_timeout" not in options:
            cparams["options"] = f"{options} -c statement_timeout={statement_ms}".strip()
        connection = DeadlineConnection.connect(*cargs, **cparams)
        connection.reply_timeout = timeouts.reply_seconds
        return connection


@contextmanager
def unbounded_statements(conn: Connection) -> Iterator[None]:
    """Lift the statement timeout and the reply deadline inside the current transaction (for
    migrations: a long schema change, or the wait for another process's migration lock)."""
    if conn.dialect.name != "postgresql":
        yield
        return
    conn.execute(text("SET LOCAL statement_timeout = 0"))
    raw = conn.connection.dbapi_connection
    saved = getattr(raw, "reply_timeout", None)
    if isinstance(raw, DeadlineConnection):
        raw.reply_timeout = None
    try:
        yield
    finally:
        if isinstance(raw, DeadlineConnection):
            raw.reply_timeout = saved
