"""Local writes wake this instance's refresher: the admin API and the OAuth revocation endpoint.

Both run inside a gateway instance, so after they commit there is no reason to wait for the
next poll: the wrappers here call `wake` (a thread-safe `SnapshotRefresher.wake`) right after
a write succeeded. Other instances hear of it through LISTEN/NOTIFY, Redis or their poll.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.oauth.ports import RevocationStore

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # RFC 9110 §9.2.1: they change nothing


def wake_after_writes(app: ASGIApp, wake: Callable[[], None]) -> ASGIApp:
    """Wrap `app` so that every unsafe HTTP request answered below 400 calls `wake` after."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await app(scope, receive, send)
            return
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await app(scope, receive, watch)
        if status < 400:
            wake()

    return wrapped


class WakingRevocations:
    """A `RevocationStore` that wakes the refresher once the revocation is committed."""

    def __init__(self, store: RevocationStore, wake: Callable[[], None]) -> None:
        self._store = store
        self._wake = wake

    def revoke_jti(self, jti: str, expires_at: datetime) -> None:
        self._store.revoke_jti(jti, expires_at)
        self._wake()
