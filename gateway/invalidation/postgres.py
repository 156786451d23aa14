"""PostgreSQL LISTEN on the generation channel: the registry NOTIFYs when it bumps the generation.

One autocommit psycopg 3 async connection per gateway process runs `LISTEN tsunagu_generation`
in a background task (it never blocks the event loop) and passes each payload, the new
generation, to a callback. A dropped connection is reopened after a bounded backoff; after
every (re)connect the callback is also called once with `None`, because notifications sent
while the connection was down are lost (PostgreSQL documentation, "NOTIFY": they are delivered
only to sessions listening at commit time).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import psycopg
from psycopg import sql

from gateway.invalidation.backoff import Backoff
from registry.store.catalogue import GENERATION_CHANNEL

log = logging.getLogger(__name__)
OnGeneration = Callable[[int | None], None]
CONNECT_TIMEOUT_SECONDS = 5


def parse_generation(payload: str | bytes) -> int | None:
    """The generation in a notification payload; None when it is not a number."""
    try:
        return int(payload)
    except ValueError:
        return None


class PostgresListener:
    """LISTENs on `channel` and calls `on_generation(n)` per notification; see the module."""

    name = "pg-generation-listener"

    def __init__(
        self,
        conninfo: str,
        on_generation: OnGeneration,
        *,
        channel: str = GENERATION_CHANNEL,
        backoff: Backoff | None = None,
    ) -> None:
        self._conninfo = conninfo
        self._on_generation = on_generation
        self._channel = channel
        self._backoff = backoff or Backoff()
        self._task: asyncio.Task[None] | None = None
        self._down = False
        self.backend_pid: int | None = None  # the listening session, while connected
        self.connects = 0  # successful LISTENs so far (diagnostics and tests)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="pg-generation-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except (psycopg.Error, OSError) as exc:
                if not self._down:
                    log.warning("registry LISTEN connection lost, reconnecting: %s", exc)
                self._down = True
            self.backend_pid = None
            await asyncio.sleep(self._backoff.next())

    async def _listen(self) -> None:
        conn = await psycopg.AsyncConnection.connect(
            self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        )
        async with conn:
            await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
            self.backend_pid = conn.info.backend_pid
            self.connects += 1
            self._backoff.reset()
            if self._down:
                log.warning("registry LISTEN connection restored")
            self._down = False
            self._on_generation(None)  # catch up on whatever was missed while away
            async for notify in conn.notifies():
                self._on_generation(parse_generation(notify.payload))
