"""The gateway's Prometheus metrics (`GatewayMetrics`) and `/metrics` rendering.

Labels are bounded by construction (SECURITY-TESTS H01/H02): API slug and version (from the
registry, `_unknown` when no route matched), a known HTTP method or `other`, the status class
(`2xx`…`5xx`, else `other`), `api`/`sandbox`, and fixed reason sets. Never raw paths, client
ids, addresses or request ids: per-client usage goes to the registry's roll-ups instead.

Multiprocess mode (uvicorn workers): when `PROMETHEUS_MULTIPROC_DIR` is set before
`prometheus_client` is imported, values live in files there and `render_metrics` aggregates
every worker with `MultiProcessCollector`; gauges then report the newest generation and the
oldest refresh among live workers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.registry import Collector

from registry.problems import CATALOGUE, ProblemCode

UNKNOWN = "_unknown"
OTHER = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx")
AUTH_REASONS: frozenset[str] = frozenset(c for c, k in CATALOGUE.items() if k.auth_failure)
"""The catalogue's refused-credential codes, each counted under its own reason."""
UPSTREAM_CODES: Mapping[ProblemCode, str] = {
    "bad-gateway": "connect",
    "gateway-timeout": "timeout",
    "upstream-refused": "refused",
}
"""Upstream failure code → `tsunagu_upstream_errors_total` reason."""
UPSTREAM_REASONS = frozenset(UPSTREAM_CODES.values())
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


def method_label(method: str) -> str:
    return method if method in METHODS else OTHER


def status_class(status: int) -> str:
    return STATUS_CLASSES[status // 100 - 1] if 100 <= status < 600 else OTHER


class GatewayMetrics:
    """Every gateway metric, registered on the registry passed in (no global registry)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        # Collectors computed at scrape time from this process's state (not from files), so
        # the multiprocess renderer must add them to its own registry too.
        self.live_collectors: list[Collector] = []
        self._auth_children: dict[str, Counter] = {}
        api = ["slug", "version"]
        self.requests = Counter(
            "tsunagu_requests_total",
            "Requests answered on /api and /sandbox.",
            [*api, "method", "status_class", "kind"],
            registry=registry,
        )
        self.request_duration = Histogram(
            "tsunagu_request_duration_seconds",
            "Time from request start to the end of the response.",
            [*api, "kind"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.upstream_duration = Histogram(
            "tsunagu_upstream_duration_seconds",
            "Time spent waiting for the upstream API.",
            api,
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.ratelimited = Counter(
            "tsunagu_ratelimited_total", "Requests refused with 429.", api, registry=registry
        )
        self.deprecated_requests = Counter(
            "tsunagu_deprecated_requests_total",
            "Requests to deprecated API versions.",
            api,
            registry=registry,
        )
        self.upstream_errors = Counter(
            "tsunagu_upstream_errors_total",
            "Upstream failures by kind.",
            [*api, "reason"],
            registry=registry,
        )
        self.auth_failures = Counter(
            "tsunagu_auth_failures_total",
            "Refused credentials by reason.",
            ["reason"],
            registry=registry,
        )
        self.ratelimit_fallback = Counter(
            "tsunagu_ratelimit_fallback_total",
            "Rate-limit decisions made by the local fallback while Redis was down.",
            registry=registry,
        )
        self.snapshot_generation = Gauge(
            "tsunagu_snapshot_generation",
            "Registry generation of the snapshot being served.",
            registry=registry,
            multiprocess_mode="livemax",
        )
        self.registry_generation = Gauge(
            "tsunagu_registry_generation",
            "Registry generation last seen by the snapshot refresher (ahead of"
            " tsunagu_snapshot_generation while a change is not yet served).",
            registry=registry,
            multiprocess_mode="livemax",
        )
        self.snapshot_refreshed = Gauge(
            "tsunagu_snapshot_refreshed_timestamp_seconds",
            "Unix time of the last successful snapshot refresh (age = time() - this).",
            registry=registry,
            multiprocess_mode="livemin",
        )

    def add_live_collector(self, collector: Collector) -> None:
        self.registry.register(collector)
        self.live_collectors.append(collector)

    def auth_failure(self, reason: str) -> None:
        """Count a refused credential; unknown reasons are counted as `other`. The children
        are kept (the reasons are a fixed set): a refusal flood must stay cheap."""
        label = reason if reason in AUTH_REASONS else OTHER
        child = self._auth_children.get(label)
        if child is None:
            child = self._auth_children[label] = self.auth_failures.labels(label)
        child.inc()

    def upstream_error(self, slug: str, version: str, reason: str) -> None:
        label = reason if reason in UPSTREAM_REASONS else OTHER
        self.upstream_errors.labels(slug, version, label).inc()

    def fallback_used(self) -> None:
        self.ratelimit_fallback.inc()

    def registry_generation_seen(self, generation: int) -> None:
        self.registry_generation.set(generation)

    def snapshot_loaded(self, generation: int, at_unix_seconds: float) -> None:
        self.snapshot_generation.set(generation)
        self.snapshot_refreshed.set(at_unix_seconds)


def forget_worker(pid: int) -> None:
    """A worker process has exited: remove its live gauges (`livemin`, `livemax`, …) from the
    multiprocess directory so they stop being aggregated; its counters stay (they are totals)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        from prometheus_client.multiprocess import mark_process_dead

        mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]


def render_metrics(metrics: GatewayMetrics) -> tuple[bytes, str]:
    """The exposition body and content type: every worker's values in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        for collector in metrics.live_collectors:
            registry.register(collector)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(metrics.registry), CONTENT_TYPE_LATEST
