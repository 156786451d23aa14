"""Access-log policy: every finished exchange to the access log, every 5xx to the process log.

`on_complete` hands the access log one tuple of raw values (`gateway.logs.AccessEntry`); the
writer thread formats and writes it (ADR 0018). With the access log off it only compares the
status, so the hot path pays nothing for a log nobody reads. A 5xx is logged with its request
id, the id the client got in `X-Request-ID` and in the problem's `request_id`, so an operator
can find the line a developer quotes.
"""

from __future__ import annotations

import logging
import time

from gateway.logs import AccessLog
from gateway.pipeline import Exchange, Reply

log = logging.getLogger("tsunagu.gateway.errors")


class AccessLogPolicy:
    """Acts only on completion; see the module docstring."""

    name = "access_log"

    def __init__(self, access_log: AccessLog | None) -> None:
        self._record = access_log.record if access_log is not None else None

    async def on_request(self, exchange: Exchange) -> Reply | None:
        return None

    def on_complete(self, exchange: Exchange) -> None:
        route = exchange.route
        if exchange.status >= 500:
            log.warning(
                "%d %s on %s %s request_id=%s",
                exchange.status,
                exchange.error_code or "-",
                exchange.method,
                f"{route.slug}/{route.version}" if route else "-",
                exchange.request_id or "-",
            )
        if self._record is None:
            return
        claims = exchange.claims
        self._record(
            (
                time.time(),
                time.perf_counter_ns() - exchange.started_ns,
                exchange.request_id,
                exchange.trace_id,
                exchange.kind,
                route.slug if route else None,
                route.version if route else None,
                exchange.method,
                exchange.status,
                exchange.upstream_seconds,
                claims.client_id if claims else None,
                exchange.error_code,
            )
        )
