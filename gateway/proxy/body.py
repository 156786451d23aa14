"""Streams the caller's request body from ASGI `receive` to aiohttp, counting bytes against a cap.

The cap holds for chunked bodies and for bodies longer than their Content-Length claims
(SECURITY-TESTS C20/C21): once the counted bytes pass it the stream stops, `too_large` is set,
and memory stays bounded because nothing is buffered beyond one ASGI chunk.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from gateway.pipeline import Receive


class BodyTooLarge(Exception):
    """The request body passed `max_body_bytes` while streaming."""


class ClientGone(Exception):
    """The caller disconnected before its request body was complete."""


class RequestBody:
    """One request's body as an async byte stream; `started` tells whether a retry is safe."""

    __slots__ = ("_limit", "_receive", "received", "started", "too_large")

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self._limit = limit
        self.received = 0
        self.started = False
        self.too_large = False

    async def chunks(self) -> AsyncIterator[bytes]:
        self.started = True
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                raise ClientGone("the client disconnected while sending the request body")
            chunk: bytes = message.get("body", b"")
            self.received += len(chunk)
            if self.received > self._limit:
                self.too_large = True
                raise BodyTooLarge(f"request body exceeds {self._limit} bytes")
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return
