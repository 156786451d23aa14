"""The sandbox handler: answers `/sandbox/{slug}/{version}/{path}` from the OpenAPI document.

It never contacts an upstream. The request is matched to an operation (404, or 405 with
`Allow`), its body read up to a bound (413 above it), validated against the operation (400
`sandbox-validation` listing every violation), and answered with the response `Prefer` selects
(see `gateway.sandbox.selection`). Every answer carries `x-tsunagu-sandbox: true` and the
headers the policies put in `exchange.response_headers`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson

from gateway.compiled_routes import CompiledRoutes
from gateway.pipeline import Exchange, Header, Receive, Reply, Send
from gateway.problems import ProblemRenderer
from gateway.sandbox.index import Match, MethodNotAllowed, SandboxIndex
from gateway.sandbox.selection import Chosen, Preferences, SelectionError, choose
from gateway.sandbox.validation import RequestParts, is_json, validator_for
from registry.openapi import DocumentError

SANDBOX_HEADER: Header = (b"x-tsunagu-sandbox", b"true")
DEFAULT_MAX_BODY = 1024 * 1024  # 1 MiB: plenty for trying an API out


class BodyTooLarge(Exception):
    """The request body exceeds the sandbox's bound."""


class SandboxHandler:
    """The terminal `Handler` for sandbox requests (see gateway.pipeline.Handler)."""

    def __init__(
        self,
        problems: ProblemRenderer,
        routes: CompiledRoutes,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY,
    ) -> None:
        self._problems = problems
        self._routes = routes
        self._max_body = max_body_bytes

    async def __call__(self, exchange: Exchange, send: Send) -> None:
        reply = await self._answer(exchange)
        headers = [*reply.headers, *exchange.response_headers, SANDBOX_HEADER]
        if reply.status not in (204, 304):  # RFC 9110 §8.6: no Content-Length on a 204
            headers.append((b"content-length", str(len(reply.body)).encode()))
        exchange.status = reply.status
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        body = b"" if exchange.method == "HEAD" else reply.body
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _answer(self, exchange: Exchange) -> Reply:
        route = exchange.route
        if route is None:
            return self._problems.refuse(
                exchange, "not-found", api=f"{exchange.slug}/{exchange.version}"
            )
        try:
            index = self._routes.for_entry(route).document.sandbox_index()
            found = index.match(exchange.method, exchange.rest_path)
            if found is None:
                return self._problems.refuse(
                    exchange,
                    "operation-not-found",
                    api=f"{route.slug}/{route.version}",
                    path=exchange.rest_path,
                )
            if isinstance(found, MethodNotAllowed):
                allow = ", ".join(found.allow)
                return self._problems.refuse(
                    exchange,
                    "method-not-allowed",
                    headers=[(b"allow", allow.encode())],
                    path=exchange.rest_path,
                    method=exchange.method,
                    allow=allow,
                )
            return await self._serve(exchange, index, found)
        except SelectionError as exc:
            error = {"in": "header", "name": "prefer", "pointer": "/prefer", "message": str(exc)}
            return self._invalid(exchange, [error])
        except DocumentError as exc:
            return self._problems.refuse(exchange, "sandbox-unservable", reason=str(exc))

    async def _serve(self, exchange: Exchange, index: SandboxIndex, found: Match) -> Reply:
        """Read and validate the request for the matched operation; choose the answer."""
        try:
            body = await read_body(exchange.receive, self._max_body, exchange)
        except BodyTooLarge:
            return self._problems.refuse(exchange, "payload-too-large", limit=self._max_body)
        query = RequestParts.decode_query(exchange.query_string)
        parts = RequestParts(found.path_params, query, exchange.request_headers, body)
        violations = validator_for(index, found.operation).validate(parts)
        if violations:
            return self._invalid(exchange, [v.as_json() for v in violations])
        prefs = Preferences.parse(_all(exchange, b"prefer"))
        accept = exchange.header(b"accept")
        chosen = choose(index, found.operation, prefs, accept.decode("latin-1") if accept else None)
        return _reply(chosen)

    def _invalid(self, exchange: Exchange, errors: list[dict[str, str]]) -> Reply:
        """400 `sandbox-validation` with every violation in the `errors` member."""
        return self._problems.refuse(
            exchange, "sandbox-validation", extra={"errors": errors}, count=len(errors)
        )


async def read_body(receive: Receive, limit: int, exchange: Exchange) -> bytes:
    """The whole request body, or `BodyTooLarge` as soon as it (or its Content-Length) exceeds."""
    declared = exchange.header(b"content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:  # bounded: each turn consumes one message; the body ends or overflows
        message = await receive()
        if message["type"] != "http.request":
            break  # http.disconnect: nobody will read the answer; validate what arrived
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def encode(media_type: str, value: Any) -> bytes:
    """A body in the chosen media type: JSON types via orjson (UTF-8), text as UTF-8."""
    if not is_json(media_type):
        if isinstance(value, str):
            return value.encode("utf-8")
        if isinstance(value, bytes):
            return value
    try:
        return orjson.dumps(value, default=_plain)
    except TypeError:  # e.g. an example integer beyond 64 bits, which JSON itself allows
        return json.dumps(value, ensure_ascii=False, default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    """orjson's fallback: read-only mappings from the snapshot as dicts."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} cannot be sent as JSON")


def _reply(chosen: Chosen) -> Reply:
    headers: list[Header] = []
    body = b""
    if chosen.media_type is not None:
        headers.append((b"content-type", chosen.media_type.encode("latin-1")))
        body = encode(chosen.media_type, chosen.body)
    if chosen.applied:
        headers.append((b"preference-applied", ", ".join(chosen.applied).encode("latin-1")))
    return Reply(status=chosen.status, body=body, headers=headers)


def _all(exchange: Exchange, name: bytes) -> list[str]:
    return [v.decode("latin-1") for k, v in exchange.request_headers if k == name]
