"""Leases: the right to run a once-across-instances service here (ADR 0012).

On PostgreSQL, `PostgresLease` holds a session-level advisory lock (`pg_try_advisory_lock`) on
its own connection: the server releases it when the session ends, so a crashed instance frees
its services without any expiry to tune. On SQLite every instance is a process on one machine
and `FileLease` holds an exclusive `flock` on a file in the var directory; the kernel releases
it when the process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from pathlib import Path
from typing import Protocol

import psycopg


class Lease(Protocol):
    async def acquire(self) -> bool:
        """True when this instance now holds the lease (False: another instance does)."""
        ...

    async def alive(self) -> bool:
        """Whether the lease acquired is still held."""
        ...

    async def release(self) -> None: ...


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a service name."""
    digest = hashlib.sha256(b"tsunagu:" + name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresLease:
    """A session-level advisory lock on a dedicated autocommit connection."""

    def __init__(self, conninfo: str, name: str, *, connect_timeout: float = 5.0) -> None:
        self._conninfo = conninfo
        self._key = lock_key(name)
        self._timeout = connect_timeout
        self._conn: psycopg.AsyncConnection[tuple[object, ...]] | None = None

    async def acquire(self) -> bool:
        await self.release()
        try:
            conn = await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True, connect_timeout=max(1, int(self._timeout))
            )
        except psycopg.Error:
            return False
        try:
            cursor = await conn.execute("SELECT pg_try_advisory_lock(%s)", (self._key,))
            row = await cursor.fetchone()
        except psycopg.Error:
            await conn.close()
            return False
        if not (row and row[0]):
            await conn.close()
            return False
        self._conn = conn
        return True

    async def alive(self) -> bool:
        if self._conn is None or self._conn.closed:
            return False
        try:
            await self._conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.closed:
            with contextlib.suppress(psycopg.Error):
                await conn.execute("SELECT pg_advisory_unlock(%s)", (self._key,))
            await conn.close()


class FileLease:
    """An exclusive, non-blocking `flock` on `path` (created if missing)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    async def acquire(self) -> bool:
        await self.release()
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    async def alive(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
