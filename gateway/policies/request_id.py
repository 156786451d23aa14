"""Request ids: keep the caller's X-Request-ID when it is sane, else mint one; echo it back.

Runs first, so every later reply (errors included) carries the id. New ids are a random
per-process prefix plus a counter: unique across processes and cheaper than uuid4 per request.
"""

from __future__ import annotations

import itertools
import os

from gateway.pipeline import Exchange, Reply

_ALLOWED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-"
_MAX_LENGTH = 128


def sane_request_id(value: bytes | None) -> bool:
    """1–128 characters of `[A-Za-z0-9._:-]`."""
    return (
        value is not None and 0 < len(value) <= _MAX_LENGTH and not value.translate(None, _ALLOWED)
    )


class RequestIds:
    """The caller's id when sane, else a new one (random per-process prefix plus a counter)."""

    def __init__(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._counter = itertools.count(1)

    def choose(self, offered: bytes | None) -> bytes:
        if offered is not None and sane_request_id(offered):
            return offered
        return f"{self._prefix}{next(self._counter):08x}".encode()


class RequestIdPolicy:
    """Sets `exchange.request_id` and adds `x-request-id` to every response."""

    name = "request_id"

    def __init__(self, ids: RequestIds | None = None) -> None:
        self._ids = ids or RequestIds()

    async def on_request(self, exchange: Exchange) -> Reply | None:
        value = self._ids.choose(exchange.header(b"x-request-id"))
        exchange.request_id = value.decode("ascii")
        exchange.response_headers.append((b"x-request-id", value))
        return None

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to do after the response."""
