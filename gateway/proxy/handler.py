"""The streaming proxy handler: forwards an exchange to its route's upstream and relays the answer.

Bodies are streamed both ways and never buffered whole (small responses with a known length are
sent in one message). A connect failure is retried once for idempotent methods (RFC 9110
§9.2.2) and only while no request body byte has been consumed; a POST is never resent, and
nothing is resent once the request was written (`UpstreamClient` turns off aiohttp's own retry).

Upstream failures are logged as one redacted line (method, API, path without query, error kind,
request id): aiohttp's exceptions carry the request's headers and URL, which hold cookies,
custom headers and query strings, so they are never formatted into the log.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from urllib.parse import quote, quote_from_bytes

import aiohttp
from yarl import URL

from gateway.pipeline import Exchange, ResponseAborted, Send, send_reply
from gateway.problems import ProblemRenderer
from gateway.proxy.body import BodyTooLarge, ClientGone, RequestBody
from gateway.proxy.client import UpstreamClient
from gateway.proxy.forwarded import ClientAddress
from gateway.proxy.headers import (
    downstream_response_headers,
    rescoped_cookies,
    trace_context,
    upstream_request_headers,
)
from gateway.proxy.ssrf import UpstreamRefused
from registry.models import RouteEntry
from registry.problems import Param, ProblemCode, Text
from registry.settings import Settings

_log = logging.getLogger("tsunagu.gateway.proxy")
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_PATH_SAFE = "/!$&'()*+,;=:@-._~"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_QUERY_SAFE = b"/?!$&'()*+,;=:@-._~%"
_SMALL_BODY = 64 * 1024
_BAD_LENGTH = Text("Content-Length が数値ではありません", "Content-Length is not a number")


class _Failure(Exception):
    """A failure the client gets as a problem (code and parameters from the catalogue)."""

    def __init__(self, code: ProblemCode, **params: Param) -> None:
        super().__init__(code)
        self.code: ProblemCode = code
        self.params = params


class ProxyHandler:
    """`gateway.pipeline.Handler` for `/api/…`: the upstream hop."""

    def __init__(
        self, client: UpstreamClient, settings: Settings, problems: ProblemRenderer
    ) -> None:
        self._client = client
        self._problems = problems
        self._max_body = settings.max_body_bytes
        self._connect = settings.connect_timeout_seconds
        self._read = settings.read_timeout_seconds
        self._bases: dict[str, str | UpstreamRefused] = {}
        self._senders = ClientAddress(settings.trusted_proxies)

    async def __call__(self, exchange: Exchange, send: Send) -> None:
        route = exchange.route
        if route is None:
            raise RuntimeError("the route policy must run before the proxy handler")
        try:
            body = self._request_body(exchange)
            response = await self._forward(exchange, route, body)
        except _Failure as failure:
            await self._fail(exchange, send, failure)
            return
        except ClientGone:
            _log.info("client left before its body was complete: %s", exchange.request_id)
            return
        try:
            if body is not None and body.too_large:
                await self._fail(exchange, send, self._too_large())
                return
            await self._relay(exchange, response, send)
        finally:
            response.release()

    def _request_body(self, exchange: Exchange) -> RequestBody | None:
        """The body stream, or None when the request has none; refuses oversize lengths early."""
        length = exchange.header(b"content-length")
        if length is not None:
            if not length.isdigit():
                raise _Failure("bad-request", reason=_BAD_LENGTH)
            if int(length) > self._max_body:
                raise self._too_large()
            if length == b"0":
                return None
        elif exchange.header(b"transfer-encoding") is None:
            return None
        return RequestBody(exchange.receive, self._max_body)

    async def _forward(
        self, exchange: Exchange, route: RouteEntry, body: RequestBody | None
    ) -> aiohttp.ClientResponse:
        url = self._url(route.upstream_url, exchange)
        trace = trace_context(exchange.request_headers)
        exchange.trace_id = trace.trace_id
        headers = upstream_request_headers(
            exchange.request_headers,
            peer=_peer(exchange),
            proto=exchange.scope.get("scheme", "http"),
            request_id=exchange.request_id,
            client_id=exchange.claims.client_id if exchange.claims else None,
            trusted_sender=self._senders.trusts(_peer(exchange)),
            trace=trace,
        )
        timeout = self._client.timeout(
            route.connect_timeout or self._connect, route.read_timeout or self._read
        )
        retry = exchange.method in _IDEMPOTENT
        started = time.perf_counter()
        while True:
            try:
                response = await self._client.session.request(
                    exchange.method,
                    url,
                    headers=headers,
                    data=body.chunks() if body is not None else None,
                    allow_redirects=False,
                    timeout=timeout,
                )
            except aiohttp.ClientConnectorError as exc:
                if retry and (body is None or not body.started):
                    retry = False
                    _log_failure(exchange, "connect (retrying)", exc, logging.INFO)
                    continue
                _log_failure(exchange, "connect", exc)
                raise _Failure("bad-gateway") from exc
            except Exception as exc:
                _log_failure(exchange, "request", exc)
                raise _classify(exc, body, self._too_large()) from exc
            exchange.upstream_seconds = time.perf_counter() - started
            return response

    def _url(self, upstream_url: str, exchange: Exchange) -> URL:
        base = self._bases.get(upstream_url)
        if base is None:
            base = self._check_base(upstream_url)
            self._bases[upstream_url] = base
        if isinstance(base, UpstreamRefused):
            raise _Failure("upstream-refused")
        target = base + upstream_path(exchange)
        if exchange.query_string:
            target += "?" + quote_from_bytes(exchange.query_string, safe=_QUERY_SAFE)
        return URL(target, encoded=True)

    def _check_base(self, upstream_url: str) -> str | UpstreamRefused:
        """The upstream base without its trailing slash, or why its IP literal is refused."""
        host = URL(upstream_url).raw_host or ""
        try:
            self._client.guard.check_literal(host)
        except UpstreamRefused as refused:
            _log.warning("%s", refused)
            return refused
        return upstream_url.rstrip("/")

    async def _relay(
        self, exchange: Exchange, response: aiohttp.ClientResponse, send: Send
    ) -> None:
        headers = downstream_response_headers(response.raw_headers, exchange.response_headers)
        route = exchange.route
        if route is not None and route.document.get("x-upstream-cookies") is True:
            prefix = f"/api/{route.slug}/{route.version}/"
            headers.extend(rescoped_cookies(response.raw_headers, prefix))
        headers.extend(exchange.response_headers)
        if response.content_length is not None and response.content_length <= _SMALL_BODY:
            try:
                data = await response.read()
            except (aiohttp.ClientError, TimeoutError) as exc:
                _log_failure(exchange, "response body", exc)
                failure = _classify(exc, None, self._too_large())
                failed = failure if isinstance(failure, _Failure) else _Failure("bad-gateway")
                await self._fail(exchange, send, failed)
                return
            exchange.status = response.status
            start = {"type": "http.response.start", "status": response.status, "headers": headers}
            await send(start)
            await send({"type": "http.response.body", "body": data})
            return
        exchange.status = response.status
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        try:
            async for chunk in response.content.iter_any():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except (aiohttp.ClientError, TimeoutError) as exc:
            _log_failure(exchange, "mid-response", exc)
            raise ResponseAborted(str(exc)) from exc
        await send({"type": "http.response.body", "body": b""})

    async def _fail(self, exchange: Exchange, send: Send, failure: _Failure) -> None:
        reply = self._problems.refuse(exchange, failure.code, params=failure.params)
        await send_reply(exchange, reply, send)

    def _too_large(self) -> _Failure:
        return _Failure("payload-too-large", limit=self._max_body)


def _classify(exc: Exception, body: RequestBody | None, too_large: _Failure) -> Exception:
    """Map an exception from the upstream request to a `_Failure` (or let ClientGone through)."""
    if (body is not None and body.too_large) or isinstance(exc, BodyTooLarge):
        return too_large
    if isinstance(exc, ClientGone) or isinstance(exc.__cause__, ClientGone):
        return ClientGone(str(exc))
    if isinstance(exc, UpstreamRefused | aiohttp.InvalidURL):
        # aiohttp itself refuses legacy numeric IPv4 hosts such as `127.1` or `2130706433`.
        return _Failure("upstream-refused")
    if isinstance(exc, asyncio.TimeoutError):
        return _Failure("gateway-timeout")
    if isinstance(exc, aiohttp.ClientError | OSError):
        return _Failure("bad-gateway")
    return exc


def _log_failure(
    exchange: Exchange, stage: str, exc: BaseException, level: int = logging.WARNING
) -> None:
    """One redacted line: never the exception's text, which may quote headers or the query."""
    path = exchange.scope.get("path", "")
    _log.log(
        level,
        "upstream failure: %s %s/%s %s stage=%s error=%s request_id=%s",
        exchange.method,
        exchange.slug,
        exchange.version,
        path,
        stage,
        type(exc).__name__,
        exchange.request_id or "-",
    )


def _peer(exchange: Exchange) -> str:
    client = exchange.scope.get("client")
    return str(client[0]) if client else ""


def upstream_path(exchange: Exchange) -> str:
    """The path after `/{kind}/{slug}/{version}` as the caller encoded it: `%2F` inside a
    segment stays `%2F` (decoding it would address another resource upstream). Characters
    outside RFC 3986's path set are encoded, existing `%XX` escapes kept, a stray `%` escaped.
    The data plane has already refused dot segments, backslashes and non-UTF-8 in the decoded
    path, so the raw form adds no way out of the API's base path."""
    raw = exchange.scope.get("raw_path")
    if not raw:
        return quote(exchange.rest_path, safe=_PATH_SAFE)
    parts = bytes(raw).split(b"/", 4)  # b"", b"api", slug, version, rest
    rest = "/" + (parts[4].decode("latin-1") if len(parts) > 4 else "")
    return _STRAY_PERCENT.sub("%25", quote(rest, safe=_PATH_SAFE + "%"))
