"""Metrics policy: records each finished exchange in `GatewayMetrics` (labels bounded).

`on_complete` derives everything from the exchange: slug and version only when a route
matched (else `_unknown`), the status class, the total duration from `exchange.started_ns`,
upstream time, and from `exchange.error_code` the 429s, the authentication failures and the
upstream failures. So the auth and proxy policies need not call the metrics themselves (and
must not, or the data plane's failures count twice). Label children are cached per label
tuple: `.labels()` costs a lock and a dict lookup per metric per request.
"""

from __future__ import annotations

import time
from typing import Any

from gateway.metrics import (
    AUTH_REASONS,
    UNKNOWN,
    UPSTREAM_CODES,
    GatewayMetrics,
    method_label,
    status_class,
)
from gateway.pipeline import Exchange, Reply
from registry.models import VersionState

CACHE_LIMIT = 10_000  # label tuples are bounded; this only guards against a huge registry


class MetricsPolicy:
    """Runs last; does nothing on the request, records on completion."""

    name = "metrics"

    def __init__(self, metrics: GatewayMetrics) -> None:
        self._metrics = metrics
        self._children: dict[tuple[str, str, str, str, str], tuple[Any, Any]] = {}

    async def on_request(self, exchange: Exchange) -> Reply | None:
        return None

    def on_complete(self, exchange: Exchange) -> None:
        route = exchange.route
        slug, version = (route.slug, route.version) if route else (UNKNOWN, UNKNOWN)
        requests, duration = self._request_children(
            (
                slug,
                version,
                method_label(exchange.method),
                status_class(exchange.status),
                exchange.kind,
            )
        )
        requests.inc()
        duration.observe((time.perf_counter_ns() - exchange.started_ns) / 1e9)
        m = self._metrics
        if exchange.upstream_seconds > 0:
            m.upstream_duration.labels(slug, version).observe(exchange.upstream_seconds)
        if route is not None and route.state is VersionState.DEPRECATED:
            m.deprecated_requests.labels(slug, version).inc()
        code = exchange.error_code
        if code is None:
            return
        if code == "rate-limited":
            m.ratelimited.labels(slug, version).inc()
        elif code in AUTH_REASONS:
            m.auth_failure(code)
        elif code in UPSTREAM_CODES:
            m.upstream_error(slug, version, UPSTREAM_CODES[code])

    def _request_children(self, key: tuple[str, str, str, str, str]) -> tuple[Any, Any]:
        children = self._children.get(key)
        if children is None:
            if len(self._children) >= CACHE_LIMIT:
                self._children.clear()
            slug, version, method, klass, kind = key
            children = (
                self._metrics.requests.labels(slug, version, method, klass, kind),
                self._metrics.request_duration.labels(slug, version, kind),
            )
            self._children[key] = children
        return children
