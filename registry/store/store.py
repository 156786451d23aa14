"""The registry store: engine, migrations on open, and serialised write / consistent read units.

Writers are serialised: on SQLite every write transaction starts with `BEGIN IMMEDIATE`; on
PostgreSQL it first locks the one `registry_state` row (`SELECT … FOR UPDATE`), the row whose
generation it may bump. Versions also carry a row version (optimistic check) as a second guard.
Waiting longer than `lock_timeout`, a unique-key race or a stale row version surfaces as
`registry.errors.Conflict`, a value the database refuses as `InvalidInput`, never as a driver
traceback. Readers take one snapshot: a single
SQLite read transaction (WAL) or PostgreSQL REPEATABLE READ, READ ONLY.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, make_url, select, text
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from registry.clock import Clock, utc_now
from registry.errors import Conflict, InvalidInput, StoreUnavailable
from registry.models import ChangeLogEntry, SigningKeyView, UsageRow
from registry.notices.changes import ChangeNotices
from registry.problems import Text
from registry.settings import Settings
from registry.store.accounts import AccountsUnit
from registry.store.catalogue import CatalogueUnit
from registry.store.developers import DevelopersUnit
from registry.store.engine import make_engine
from registry.store.migrate import upgrade_to_head
from registry.store.notices import NoticesUnit
from registry.store.tables import RegistryStateRow
from registry.store.timeouts import StoreTimeouts
from registry.store.traffic import TrafficUnit
from registry.usage.traffic import ErrorCount, TrafficCount

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
PG_LOST_RACE = {"55P03", "40001", "40P01", "23505"}  # lock timeout, serialization, deadlock, unique


class Unit(CatalogueUnit, AccountsUnit, TrafficUnit, DevelopersUnit, NoticesUnit):
    """Every store query, bound to one open transaction (see `Store.write` / `Store.read`)."""

    def __init__(
        self, session: Session, on_change: ChangeListener | None = None, clock: Clock = utc_now
    ) -> None:
        super().__init__(session)
        self._on_change = on_change
        self.clock = clock

    def record_change(
        self,
        at: datetime,
        actor: str,
        action: str,
        target: str,
        detail: Mapping[str, Any],
        *,
        routes: bool = True,
    ) -> ChangeLogEntry:
        """Append to the change log, bump the generation and write the notices the change
        causes (the store's change listener), all in this transaction (ADR 0021)."""
        entry = super().record_change(at, actor, action, target, detail, routes=routes)
        if self._on_change is not None:
            self._on_change(self, entry)
        return entry


ChangeListener = Callable[[Unit, ChangeLogEntry], object]
"""Called with each change-log entry inside its transaction (`registry.notices.changes`)."""


class Store:
    """The registry database. Build it with `open_store`; close it with `dispose()`."""

    def __init__(
        self,
        engine: Engine,
        *,
        lock_timeout: float = 5.0,
        clock: Clock = utc_now,
        timeouts: StoreTimeouts | None = None,
        on_change: ChangeListener | None = None,
    ):
        self.engine = engine
        self.lock_timeout = lock_timeout
        self.clock = clock
        self.timeouts = timeouts or StoreTimeouts()
        self.on_change = on_change  # writes change notices; None: a store that notifies nobody

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Unit]:
        """One serialised write transaction; commits when the block ends without an error."""
        with _lost_race_is_conflict(), self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                self._lock_registry(conn)
                with Session(bind=conn, expire_on_commit=False) as session:
                    yield Unit(session, self.on_change, self.clock)
                    session.flush()

    @contextmanager
    def read(self) -> Iterator[Unit]:
        """One read-only transaction that sees a single consistent state of the registry."""
        with _lost_race_is_conflict(), self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin(), Session(bind=conn) as session:
                yield Unit(session, clock=self.clock)

    @contextmanager
    def outbox(self) -> Iterator[Unit]:
        """A write transaction that takes no registry lock and bumps no generation: the notice
        worker's claims and marks, which must not wait behind (or block) registry changes."""
        with _lost_race_is_conflict(), self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin(), Session(bind=conn, expire_on_commit=False) as session:
                yield Unit(session, clock=self.clock)
                session.flush()

    def _lock_registry(self, conn: Connection) -> None:
        if self.dialect != "postgresql":
            return  # BEGIN IMMEDIATE already holds SQLite's single write lock
        conn.execute(text(f"SET LOCAL lock_timeout = {int(self.lock_timeout * 1000)}"))
        conn.execute(select(RegistryStateRow.id).where(RegistryStateRow.id == 1).with_for_update())

    # signing keys and revocations (the gateway's OAuth module) -------------------------------
    def signing_keys(self, include_private: bool) -> list[SigningKeyView]:
        with self.read() as unit:
            return unit.signing_keys(include_private=include_private)

    def add_signing_key(self, key: SigningKeyView) -> None:
        with self.write() as unit:
            unit.add_signing_key(key)
            unit.bump_generation(routes=False)

    def set_key_times(
        self, kid: str, retires_at: datetime | None, expires_at: datetime | None
    ) -> None:
        with self.write() as unit:
            unit.set_key_times(kid, retires_at, expires_at)
            unit.bump_generation(routes=False)

    def revoke_jti(self, jti: str, expires_at: datetime) -> None:
        with self.write() as unit:
            unit.revoke_jti(jti, expires_at, self.clock())
            unit.bump_generation(routes=False)

    def add_usage(self, rows: Iterable[UsageRow]) -> None:
        """Add call counts; needs no registry lock and bumps no generation (not routing state)."""
        with _lost_race_is_conflict(), self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin(), Session(bind=conn) as session:
                Unit(session).add_usage(rows)

    def add_traffic(self, counts: Iterable[TrafficCount], errors: Iterable[ErrorCount]) -> None:
        """Add hourly traffic counts (like `add_usage`: no registry lock, no generation)."""
        with _lost_race_is_conflict(), self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin(), Session(bind=conn) as session:
                Unit(session).add_traffic(counts, errors)

    def compact_traffic(self, before: datetime) -> int:
        """Fold hourly traffic rows older than `before` into daily ones."""
        with _lost_race_is_conflict(), self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin(), Session(bind=conn) as session:
                return Unit(session).compact_traffic(before)

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _lost_race_is_conflict() -> Iterator[None]:
    """Turn a lost race (lock wait timed out, unique key taken, stale row) into Conflict, and a
    database that cannot be reached or does not answer in time (`registry.store.timeouts`)
    into StoreUnavailable (503 / exit 2), never a traceback."""
    try:
        yield
    except StaleDataError as exc:
        raise Conflict("concurrent-change") from exc
    except (OperationalError, IntegrityError) as exc:
        if _is_lost_race(exc):
            raise Conflict("concurrent-change") from exc
        if isinstance(exc, OperationalError):  # connection refused or lost, disk errors, …
            raise StoreUnavailable("store-unavailable", cause=_first_line(exc)) from exc
        raise
    except InterfaceError as exc:
        raise StoreUnavailable("store-unavailable", cause=_first_line(exc)) from exc
    except PoolTimeout as exc:  # every pooled connection is busy waiting on the server
        raise StoreUnavailable("store-unavailable", cause=str(exc).splitlines()[0]) from exc
    except DataError as exc:  # e.g. PostgreSQL refuses NUL in text: the caller's input
        raise InvalidInput("value-refused", reason=_first_line(exc)) from exc


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__


def _is_lost_race(exc: DBAPIError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in PG_LOST_RACE
    message = str(exc.orig).lower()
    return "database is locked" in message or "unique constraint failed" in message


def open_store(
    settings_or_url: Settings | str, *, lock_timeout: float = 5.0, clock: Clock = utc_now
) -> Store:
    """Connect to the registry database and migrate it to the newest schema.

    A malformed URL is `InvalidInput`; an unreachable database is `StoreUnavailable`.
    """
    if isinstance(settings_or_url, str):
        url, timeouts = settings_or_url, StoreTimeouts()
    else:
        url, timeouts = settings_or_url.database_url, StoreTimeouts.from_settings(settings_or_url)
    try:
        backend = make_url(url).get_backend_name()
        if backend not in SUPPORTED_BACKENDS:
            raise InvalidInput(
                "invalid-database-url",
                url=repr(url),
                reason=Text(
                    f"{backend} には対応していません。"
                    "sqlite:///PATH か postgresql+psycopg://… を使ってください",
                    f"unsupported database {backend!r}: use sqlite:///PATH or postgresql+psycopg://…",
                ),
            )
        engine = make_engine(url, lock_timeout=lock_timeout, timeouts=timeouts)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise InvalidInput("invalid-database-url", url=repr(url), reason=str(exc)) from exc
    try:
        with _lost_race_is_conflict():
            upgrade_to_head(engine)
    except BaseException:
        engine.dispose()
        raise
    settings = None if isinstance(settings_or_url, str) else settings_or_url
    notices = ChangeNotices(settings.public_url) if settings is not None else None
    return Store(
        engine, lock_timeout=lock_timeout, clock=clock, timeouts=timeouts, on_change=notices
    )
