"""`BackgroundService`, the protocol; `BackgroundServices`, the ordered list the lifespan runs.

Start goes down the list; when a service fails to start, the ones already started are stopped
(in reverse) and the error propagates, so the gateway never serves half started. Stop goes up
the list and stops every service even when one of them fails (each failure is logged).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from gateway.background.lease import Lease

log = logging.getLogger(__name__)


class BackgroundService(Protocol):
    """A long-running part of the gateway (a poll loop, a listener, a flusher, a worker)."""

    @property
    def name(self) -> str: ...

    @property
    def once_across_instances(self) -> bool:
        """True when two instances must never run it at the same time (ADR 0012)."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Hooks:
    """A `BackgroundService` made of a start and a stop callable (plain or async)."""

    name: str
    on_start: Callable[[], object]
    on_stop: Callable[[], object]
    once_across_instances: bool = False

    async def start(self) -> None:
        await _call(self.on_start)

    async def stop(self) -> None:
        await _call(self.on_stop)


def nothing() -> None:
    """A hook with nothing to do (a resource that needs no start, only a stop)."""


async def _call(hook: Callable[[], object]) -> None:
    result = hook()
    if inspect.isawaitable(result):
        await result


class OnceAcrossInstances:
    """Runs `service` only while this instance holds `lease`; retries every `retry_seconds`,
    and stops the service when the lease is lost (a dropped database session)."""

    def __init__(self, service: BackgroundService, lease: Lease, retry_seconds: float) -> None:
        self._service = service
        self._lease = lease
        self._retry = retry_seconds
        self._task: asyncio.Task[None] | None = None
        self.running = False  # whether the service runs here now

    @property
    def name(self) -> str:
        return self._service.name

    @property
    def once_across_instances(self) -> bool:
        return True

    async def start(self) -> None:
        self._task = asyncio.create_task(self._hold(), name=f"lease:{self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _hold(self) -> None:
        try:
            while True:
                if not self.running and await self._lease.acquire():
                    await self._start_service()
                elif self.running and not await self._lease.alive():
                    log.warning("lost the lease of %s; stopping it here", self.name)
                    await self._stop_service()
                await asyncio.sleep(self._retry)
        finally:
            await self._stop_service()

    async def _start_service(self) -> None:
        try:
            await self._service.start()
        except Exception:
            log.exception("%s failed to start; releasing its lease to try again", self.name)
            await self._lease.release()
        else:
            self.running = True

    async def _stop_service(self) -> None:
        if self.running:
            self.running = False
            try:
                await self._service.stop()
            finally:
                await self._lease.release()


class BackgroundServices:
    """The ordered services of one gateway process (see the module docstring)."""

    def __init__(
        self,
        services: Sequence[BackgroundService],
        *,
        lease_for: Callable[[str], Lease] | None = None,
        lease_retry_seconds: float = 15.0,
    ) -> None:
        wrapped: list[BackgroundService] = []
        for service in services:
            if not service.once_across_instances:
                wrapped.append(service)
            elif lease_for is None:
                raise ValueError(f"{service.name} must run once but no lease is configured")
            else:
                lease = lease_for(service.name)
                wrapped.append(OnceAcrossInstances(service, lease, lease_retry_seconds))
        self.services: tuple[BackgroundService, ...] = tuple(wrapped)
        self._started: list[BackgroundService] = []

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(service.name for service in self.services)

    async def start(self) -> None:
        for service in self.services:
            try:
                await service.start()
            except BaseException as error:
                if isinstance(error, Exception):
                    log.exception("background service %s failed to start", service.name)
                await self.stop()
                raise
            self._started.append(service)

    async def stop(self) -> None:
        while self._started:
            service = self._started.pop()
            try:
                await service.stop()
            except Exception:
                log.exception("background service %s failed to stop", service.name)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Started for the body of the `async with`, stopped after it."""
        await self.start()
        try:
            yield
        finally:
            await self.stop()
