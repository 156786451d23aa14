"""Redis pub/sub of generation numbers between gateway instances (channel
`<TSUNAGU_REDIS_PREFIX>:generation`, `tsunagu:generation` by default).

An instance that loads a newer snapshot (by poll, a notification or a local write) publishes
its generation; every instance subscribes and passes what it hears to a callback, which
ignores numbers it already has (so an instance's own message, or the echo of one it re-sent,
costs nothing). Pub/sub delivery is at most once, so after every (re)subscribe the callback is
called with `None` to catch up. Publishing runs in its own task and coalesces: only the newest
generation waiting is sent. Redis trouble never reaches requests; polling covers the gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import redis.asyncio
from redis.exceptions import RedisError

from gateway.invalidation.backoff import Backoff
from gateway.invalidation.postgres import parse_generation

log = logging.getLogger(__name__)
CHANNEL_NAME = "generation"  # under the deployment's Redis prefix: `tsunagu:generation`
CHANNEL = "tsunagu:" + CHANNEL_NAME
PUBLISH_TIMEOUT_SECONDS = 2.0
REDIS_ERRORS = (RedisError, OSError, TimeoutError)
OnGeneration = Callable[[int | None], None]


class RedisGenerationBus:
    """Publishes and hears generation numbers on one channel; see the module docstring."""

    name = "redis-generation-bus"

    def __init__(
        self,
        client: redis.asyncio.Redis,
        on_generation: OnGeneration,
        *,
        channel: str = CHANNEL,
        backoff: Backoff | None = None,
    ) -> None:
        self._client = client
        self._on_generation = on_generation
        self._channel = channel
        self._backoff = backoff or Backoff()
        self._outbox: int | None = None
        self._pending = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._down = False
        self.subscribes = 0  # successful SUBSCRIBEs so far (diagnostics and tests)

    @classmethod
    def from_url(cls, url: str, on_generation: OnGeneration, **options: Any) -> RedisGenerationBus:
        """A bus on its own client: no socket timeout (a subscriber waits indefinitely)."""
        client = redis.asyncio.Redis.from_url(url, socket_connect_timeout=2.0)
        return cls(client, on_generation, **options)

    def publish(self, generation: int) -> None:
        """Queue `generation` for sending (never blocks; a newer number replaces an older)."""
        self._outbox = max(generation, self._outbox or generation)
        self._pending.set()

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._subscribe_loop(), name="redis-generation-subscriber"),
            asyncio.create_task(self._publish_loop(), name="redis-generation-publisher"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self._client.aclose()

    async def _subscribe_loop(self) -> None:
        while True:
            try:
                await self._listen()
            except REDIS_ERRORS as exc:
                self._trouble(f"generation subscription lost, resubscribing: {exc}")
            await asyncio.sleep(self._backoff.next())

    async def _listen(self) -> None:
        pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self._channel)
            self.subscribes += 1
            self._backoff.reset()
            self._recovered()
            self._on_generation(None)  # catch up on whatever was missed while away
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    self._on_generation(parse_generation(message["data"]))
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]  # untyped in redis-py

    async def _publish_loop(self) -> None:
        while True:
            await self._pending.wait()
            self._pending.clear()
            generation, self._outbox = self._outbox, None
            if generation is None:
                continue
            try:
                async with asyncio.timeout(PUBLISH_TIMEOUT_SECONDS):  # cancellation-safe
                    await self._client.publish(self._channel, str(generation))
            except REDIS_ERRORS as exc:
                self._trouble(f"could not publish generation {generation}: {exc}")

    def _trouble(self, message: str) -> None:
        if not self._down:
            log.warning(message)
        self._down = True

    def _recovered(self) -> None:
        if self._down:
            log.warning("generation pub/sub restored")
        self._down = False
