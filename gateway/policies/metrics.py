"""Metrics policy: records each finished exchange in `GatewayMetrics` (labels bounded).

`on_complete` derives everything from the exchange: slug and version only when a route
matched (else `_unknown`), the status class, the total duration from `exchange.started_ns`,
upstream time, and from `exchange.error_code` the 429s, the authentication failures and the
upstream failures. So the auth and proxy policies need not call the metrics themselves (and
must not, or the data plane's failures count twice). Label children are cached per label
tuple and per API version: `.labels()` costs a lock and a dict lookup per metric per request.
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
        self._per_api: dict[tuple[str, str], _ApiChildren] = {}

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
        code = exchange.error_code
        if exchange.upstream_seconds <= 0 and code is None and route is None:
            return
        api = self._api_children(slug, version)
        if exchange.upstream_seconds > 0:
            api.upstream_duration.observe(exchange.upstream_seconds)
        if route is not None and route.state is VersionState.DEPRECATED:
            api.deprecated.inc()
        if code is None:
            return
        if code == "rate-limited":
            api.ratelimited.inc()
        elif code in AUTH_REASONS:
            self._metrics.auth_failure(code)
        elif code in UPSTREAM_CODES:
            self._metrics.upstream_error(slug, version, UPSTREAM_CODES[code])

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

    def _api_children(self, slug: str, version: str) -> _ApiChildren:
        key = (slug, version)
        children = self._per_api.get(key)
        if children is None:
            if len(self._per_api) >= CACHE_LIMIT:
                self._per_api.clear()
            children = _ApiChildren(self._metrics, slug, version)
            self._per_api[key] = children
        return children


class _ApiChildren:
    """One API version's label children, each resolved by `labels()` on first use only (so a
    series appears when it is first counted, as before, and never costs a lookup again)."""

    __slots__ = ("_deprecated", "_key", "_metrics", "_ratelimited", "_upstream_duration")

    def __init__(self, metrics: GatewayMetrics, slug: str, version: str) -> None:
        self._metrics = metrics
        self._key = (slug, version)
        self._upstream_duration: Any = None
        self._deprecated: Any = None
        self._ratelimited: Any = None

    @property
    def upstream_duration(self) -> Any:
        if self._upstream_duration is None:
            self._upstream_duration = self._metrics.upstream_duration.labels(*self._key)
        return self._upstream_duration

    @property
    def deprecated(self) -> Any:
        if self._deprecated is None:
            self._deprecated = self._metrics.deprecated_requests.labels(*self._key)
        return self._deprecated

    @property
    def ratelimited(self) -> Any:
        if self._ratelimited is None:
            self._ratelimited = self._metrics.ratelimited.labels(*self._key)
        return self._ratelimited
