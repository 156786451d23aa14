"""What every platform response gets, whichever router answers: the same client address and
request id rules as the data plane, and problem+json instead of a bare 500.

A pure-ASGI wrapper around the FastAPI app (ADR 0002): it resolves the client behind trusted
proxies (so the token throttle and slowapi key on the real caller), replaces an unsafe or
missing `X-Request-ID` with a fresh one before any router reads it, echoes it on the response,
and turns an unexpected exception into a 500 problem (logged here with the id; no traceback
ever reaches the caller).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from gateway.pipeline import Message, Receive, Scope, Send
from gateway.policies.request_id import RequestIds
from gateway.problems import ProblemRenderer, preferred_language
from gateway.proxy.forwarded import ClientAddress

log = logging.getLogger(__name__)
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class PlatformEnvelope:
    def __init__(
        self, app: Any, problems: ProblemRenderer, client_address: ClientAddress, ids: RequestIds
    ) -> None:
        self._app: ASGIApp = app
        self._problems = problems
        self._client_address = client_address
        self._ids = ids

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k != b"x-request-id"]
        offered = next((v for k, v in scope["headers"] if k == b"x-request-id"), None)
        request_id = self._ids.choose(offered)
        headers.append((b"x-request-id", request_id))
        scope = {**scope, "headers": headers, "client": self._client(scope)}
        started = False

        async def tagged_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                message = {**message, "headers": [*out, (b"x-request-id", request_id)]}
            await send(message)

        try:
            await self._app(scope, receive, tagged_send)
        except Exception:
            # Starlette has already answered with the app's 500 handler when `started`; the
            # traceback is logged here once, with the request id, and goes nowhere else.
            log.exception("unexpected error on %s (request %s)", scope["path"], request_id)
            if not started:
                await self._internal_error(scope, request_id, tagged_send)

    def _client(self, scope: Scope) -> Any:
        client = scope.get("client")
        if not self._client_address.enabled or not client:
            return client
        return (self._client_address.resolve(client[0], scope["headers"]), client[1])

    async def _internal_error(self, scope: Scope, request_id: bytes, send: Send) -> None:
        language = preferred_language(
            next((v for k, v in scope["headers"] if k == b"accept-language"), None)
        )
        reply = self._problems.reply(
            "internal", request_id=request_id.decode("ascii"), language=language
        )
        headers = [*reply.headers, (b"content-length", str(len(reply.body)).encode())]
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": reply.body})
