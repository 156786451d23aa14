"""uvicorn's httptools protocol with the limits it lacks, enforced while parsing (ADR 0014).

httptools (llhttp) buffers an unfinished header without bound and accepts HTTP/0.9 and
HTTP/2.0 request lines; uvicorn answers its own parse errors with `400 text/plain`. This
subclass keeps uvicorn's request cycle and adds, per connection:

- a cap on the bytes of a request head (request line and headers, counted as they arrive,
  so memory stops growing at the cap plus one read) and on the number of header fields: 431;
- a cap on the request target: 414;
- a deadline for receiving a whole head after the connection opens or a new request starts
  (slowloris): 408, or a silent close when nothing arrived;
- a cap on open connections per process: 503 at once, before anything is read;
- strict request lines and Host (RFC 9112 §2.3, §3.2): only HTTP/1.0 and HTTP/1.1, exactly one
  Host on HTTP/1.1 and at most one on 1.0; CONNECT is never served: 400/405.

Every refusal is problem+json with a request id and closes the connection. The limits come
from the settings (`TSUNAGU_MAX_HEADER_BYTES`, …), read once per worker process.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from dataclasses import dataclass
from typing import Any

import httptools
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from gateway.edge.refusal import Refusal, refusal_bytes
from gateway.problems import ProblemRenderer
from registry.problems import Text
from registry.settings import load_settings

log = logging.getLogger("tsunagu.edge")
_VERSIONS = frozenset({"1.0", "1.1"})
_NOT_HTTP = Text("正しいHTTP/1.1のリクエストではありません", "the request is not valid HTTP/1.1")
_VERSION_ONLY = Text(
    "HTTP/1.0 と HTTP/1.1 のリクエスト行だけを受け付けます",
    "only HTTP/1.0 and HTTP/1.1 request lines are served",
)
_ONE_HOST = Text(
    "HTTP/1.1 のリクエストには Host ヘッダーがちょうどひとつ必要です",
    "an HTTP/1.1 request needs exactly one Host header",
)
_SERVED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"


@dataclass(frozen=True, slots=True)
class EdgeLimits:
    max_header_bytes: int
    max_header_count: int
    max_url_bytes: int
    header_timeout_seconds: float
    max_connections: int
    problems: ProblemRenderer


@functools.cache
def edge_limits() -> EdgeLimits:
    """The limits of this worker process, from the settings (read once)."""
    settings = load_settings()
    return EdgeLimits(
        max_header_bytes=settings.max_header_bytes,
        max_header_count=settings.max_header_count,
        max_url_bytes=settings.max_url_bytes,
        header_timeout_seconds=settings.header_timeout_seconds,
        max_connections=settings.max_connections,
        problems=ProblemRenderer(settings.public_url),
    )


class _FullWarning:
    """At most one log line a minute while connections are refused (a flood of connections
    must not become a flood of log lines)."""

    last = -60.0

    @classmethod
    def emit(cls, open_connections: int) -> None:
        now = time.monotonic()
        if now - cls.last >= 60:
            cls.last = now
            log.warning("refusing connections: %d open (TSUNAGU_MAX_CONNECTIONS)", open_connections)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """`uvicorn.run(http=BoundedHttpToolsProtocol)`: see the module docstring."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._limits = edge_limits()
        self._in_head = True
        self._head_bytes = 0  # bytes received since the head began (unfinished heads)
        self._field_bytes = 0  # bytes of the parsed header names and values
        self._hosts = 0
        self._url_too_long = False
        self._refused = False
        self._head_timer: asyncio.TimerHandle | None = None

    # Connection

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self._limits.max_connections:
            _FullWarning.emit(len(self.connections) - 1)
            self._refuse(Refusal("too-many-connections"))
            return
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        self._unset_keepalive_if_required()
        if self._in_head:
            self._head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError as exc:
            cause = exc.__context__
            if isinstance(cause, Refusal):
                self._refuse(cause)
            else:
                self._refuse(Refusal("bad-request", reason=_NOT_HTTP))
            return
        if self._in_head and self._head_bytes > self._limits.max_header_bytes:
            self._refuse(self._url_refusal() if self._url_too_long else self._headers_too_large())

    # Parser callbacks

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._hosts = 0
        self._field_bytes = 0
        self._url_too_long = False
        if self._head_timer is None:
            self._arm_head_timer()

    def on_url(self, url: bytes) -> None:
        """An overlong target is dropped here and refused once the headers are in (so the
        answer follows Accept-Language), or when the head passes its byte cap."""
        if self._url_too_long:
            return
        self.url += url
        if len(self.url) > self._limits.max_url_bytes:
            self._url_too_long = True
            self.url = b""

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name == b"expect" and value.lower() == b"100-continue":
            self.expect_100_continue = True
        elif name == b"host":
            self._hosts += 1
        self.headers.append((name, value))
        self._field_bytes += len(name) + len(value)
        if (
            len(self.headers) > self._limits.max_header_count
            or self._field_bytes > self._limits.max_header_bytes
        ):
            raise self._headers_too_large()

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        self._cancel_head_timer()
        if self._url_too_long:
            raise self._url_refusal()
        version = self.parser.get_http_version()
        if version not in _VERSIONS:
            raise Refusal("bad-request", reason=_VERSION_ONLY)
        if self._hosts > 1 or (self._hosts == 0 and version == "1.1"):
            raise Refusal("bad-request", reason=_ONE_HOST)
        if self.parser.get_method() == b"CONNECT":
            raise Refusal("method-not-allowed", path="*", method="CONNECT", allow=_SERVED_METHODS)
        super().on_headers_complete()

    # Refusals

    def _url_refusal(self) -> Refusal:
        return Refusal("uri-too-long", limit=self._limits.max_url_bytes)

    def _headers_too_large(self) -> Refusal:
        limits = self._limits
        return Refusal(
            "header-fields-too-large", limit=limits.max_header_bytes, count=limits.max_header_count
        )

    def _refuse(self, refusal: Refusal) -> None:
        """Answer `refusal` in the request's language (if its headers got that far), close."""
        self._refused = True
        self._cancel_head_timer()
        if not self.transport.is_closing():
            language = None
            for name, value in self.headers or ():
                if name == b"accept-language":
                    language = value
            self.transport.write(refusal_bytes(self._limits.problems, refusal, language))
            self.transport.close()

    def _arm_head_timer(self) -> None:
        self._head_timer = self.loop.call_later(
            self._limits.header_timeout_seconds, self._head_timed_out
        )

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self._in_head or self._refused:
            return
        if self._head_bytes == 0 and self.cycle is None:
            self._refused = True
            self.transport.close()  # a connection that never sent a byte: nothing to answer
            return
        self._refuse(Refusal("request-timeout"))
