"""The pure-ASGI data plane for `/api/…` and `/sandbox/…` (ADR 0002).

It parses the path itself, builds the `Exchange`, runs the policies' `on_request` in order (the
first `Reply` answers; the tuple must end with the path-safety step,
`gateway.policies.path_safety`), then the handler for the kind, and afterwards every policy's
`on_complete` exactly once, whatever happened. Every other path, and lifespan and websocket
scopes, go to the fallback application (FastAPI: /oauth, /admin, /healthz, …).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Literal

from gateway.pipeline import (
    PATH_SAFETY,
    Exchange,
    Handler,
    Message,
    Policy,
    Receive,
    ResponseAborted,
    Scope,
    Send,
    send_reply,
)
from gateway.problems import ProblemRenderer, preferred_language
from gateway.proxy.forwarded import ClientAddress

Kind = Literal["api", "sandbox"]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_log = logging.getLogger("tsunagu.gateway")
_PREFIXES: tuple[tuple[str, Kind], ...] = (("/api/", "api"), ("/sandbox/", "sandbox"))


class _TrackedSend:
    """Wraps `send` to remember whether the response has started."""

    __slots__ = ("_send", "started")

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = True
        await self._send(message)


class DataPlane:
    """The ASGI callable the server runs; `fallback` gets everything that is not an API call."""

    def __init__(
        self,
        policies: Sequence[Policy],
        handlers: Mapping[Kind, Handler],
        problems: ProblemRenderer,
        fallback: ASGIApp,
        *,
        trusted_proxies: str | None = None,
    ) -> None:
        self._policies = tuple(policies)
        if PATH_SAFETY not in (policy.name for policy in self._policies):
            raise ValueError("the policies must include the path-safety step")
        self._handlers = dict(handlers)
        self._problems = problems
        self._fallback = fallback
        self._client_address = ClientAddress(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            for prefix, kind in _PREFIXES:
                if path.startswith(prefix):
                    await self._serve(
                        self._exchange(scope, receive, kind, path[len(prefix) :]), send
                    )
                    return
        await self._fallback(scope, receive, send)

    def _exchange(self, scope: Scope, receive: Receive, kind: Kind, tail: str) -> Exchange:
        slug, _, rest = tail.partition("/")
        version, _, rest = rest.partition("/")
        exchange = Exchange(
            scope=scope,
            receive=receive,
            kind=kind,
            method=scope["method"],
            slug=slug,
            version=version,
            rest_path="/" + rest,
            query_string=scope["query_string"],
            request_headers=scope["headers"],
            started_ns=time.perf_counter_ns(),
        )
        exchange.language = preferred_language(exchange.header(b"accept-language"))
        client = scope.get("client")
        exchange.client_ip = self._client_address.resolve(
            client[0] if client else "", exchange.request_headers
        )
        return exchange

    async def _serve(self, exchange: Exchange, send: Send) -> None:
        tracked = _TrackedSend(send)
        try:
            await self._run(exchange, tracked)
        except ResponseAborted:
            raise  # the server closes the connection: a truncated body must not look complete
        except Exception:
            _log.exception("unexpected error serving request %s", exchange.request_id or "-")
            if tracked.started:
                raise
            await self._internal_error(exchange, tracked)
        finally:
            self._complete(exchange)

    async def _run(self, exchange: Exchange, send: Send) -> None:
        for policy in self._policies:
            reply = await policy.on_request(exchange)
            if reply is not None:
                await send_reply(exchange, reply, send)
                return
        await self._handlers[exchange.kind](exchange, send)

    async def _internal_error(self, exchange: Exchange, send: Send) -> None:
        reply = self._problems.refuse(exchange, "internal")
        await send_reply(exchange, reply, send)

    def _complete(self, exchange: Exchange) -> None:
        if exchange.status == 0:
            exchange.status = 499  # the client went away before any response (nginx's code)
        for policy in self._policies:
            try:
                policy.on_complete(exchange)
            except Exception:
                _log.exception(
                    "policy %s failed on completion of %s", policy.name, exchange.request_id
                )
