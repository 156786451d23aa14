"""GatewayMetrics and the metrics policy on a per-test registry."""

from __future__ import annotations

import random
import string

import pytest
from prometheus_client import CollectorRegistry

from gateway.metrics import (
    AUTH_REASONS,
    UPSTREAM_CODES,
    UPSTREAM_REASONS,
    GatewayMetrics,
    render_metrics,
)
from gateway.policies.metrics import MetricsPolicy
from registry.models import VersionState
from registry.problems import CATALOGUE
from tests.gateway.ratelimit.factories import claims, exchange, route


@pytest.fixture
def metrics() -> GatewayMetrics:
    return GatewayMetrics(CollectorRegistry())


def value(metrics: GatewayMetrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def series(metrics: GatewayMetrics) -> int:
    return sum(len(family.samples) for family in metrics.registry.collect())


def finish(policy: MetricsPolicy, status: int, **kwargs: object) -> None:
    error_code = kwargs.pop("error_code", None)
    upstream = kwargs.pop("upstream_seconds", 0.0)
    ex = exchange(**kwargs)  # type: ignore[arg-type]
    ex.status, ex.error_code, ex.upstream_seconds = status, error_code, upstream  # type: ignore[assignment]
    policy.on_complete(ex)


def test_matched_request_is_counted_with_route_labels(metrics: GatewayMetrics) -> None:
    policy = MetricsPolicy(metrics)
    for _ in range(2):
        finish(policy, 200, entry=route(), who=claims(), upstream_seconds=0.02)
    finish(policy, 503, entry=route(), who=claims(), kind="sandbox", method="POST")
    api = {"slug": "tenki", "version": "v1"}
    ok = {**api, "method": "GET", "status_class": "2xx", "kind": "api"}
    assert value(metrics, "tsunagu_requests_total", **ok) == 2
    failed = {**api, "method": "POST", "status_class": "5xx", "kind": "sandbox"}
    assert value(metrics, "tsunagu_requests_total", **failed) == 1
    assert value(metrics, "tsunagu_request_duration_seconds_count", **api, kind="api") == 2
    assert value(metrics, "tsunagu_upstream_duration_seconds_count", **api) == 2
    assert value(metrics, "tsunagu_upstream_duration_seconds_sum", **api) == pytest.approx(0.04)


def test_error_codes_feed_the_failure_counters(metrics: GatewayMetrics) -> None:
    policy = MetricsPolicy(metrics)
    finish(policy, 429, entry=route(), who=claims(), error_code="rate-limited")
    finish(policy, 401, entry=route(), error_code="invalid-token")
    finish(policy, 401, entry=route(), error_code="missing-token")
    finish(policy, 504, entry=route(), who=claims(), error_code="gateway-timeout")
    api = {"slug": "tenki", "version": "v1"}
    assert value(metrics, "tsunagu_ratelimited_total", **api) == 1
    assert value(metrics, "tsunagu_auth_failures_total", reason="invalid-token") == 1
    assert value(metrics, "tsunagu_auth_failures_total", reason="missing-token") == 1
    assert value(metrics, "tsunagu_upstream_errors_total", **api, reason="timeout") == 1


def test_deprecated_versions_are_counted(metrics: GatewayMetrics) -> None:
    policy = MetricsPolicy(metrics)
    finish(policy, 200, entry=route(state=VersionState.DEPRECATED, version="v0"), who=claims())
    finish(policy, 200, entry=route(), who=claims())
    assert value(metrics, "tsunagu_deprecated_requests_total", slug="tenki", version="v0") == 1
    assert value(metrics, "tsunagu_deprecated_requests_total", slug="tenki", version="v1") is None


def test_unmatched_paths_and_odd_methods_do_not_grow_series(metrics: GatewayMetrics) -> None:
    policy = MetricsPolicy(metrics)
    finish(policy, 404, entry=None, slug="warmup", method="GET", error_code="not-found")
    finish(policy, 404, entry=None, slug="warmup", method="BREW", error_code="not-found")
    before = series(metrics)
    rng = random.Random(7)
    for _ in range(1_000):
        junk = "".join(rng.choices(string.ascii_letters, k=12))
        finish(policy, 404, entry=None, slug=junk, method=junk.upper(), error_code="not-found")
    assert series(metrics) == before
    unknown = {"slug": "_unknown", "version": "_unknown", "status_class": "4xx", "kind": "api"}
    assert value(metrics, "tsunagu_requests_total", **unknown, method="other") == 1_001
    text = render_metrics(metrics)[0].decode()
    assert "warmup" not in text and "BREW" not in text


def test_reasons_and_statuses_outside_the_known_sets_are_other(metrics: GatewayMetrics) -> None:
    metrics.auth_failure("attacker-chosen-" + "x" * 50)
    metrics.upstream_error("tenki", "v1", "weird")
    MetricsPolicy(metrics).on_complete(exchange(route(), claims()))  # status 0: disconnected
    assert value(metrics, "tsunagu_auth_failures_total", reason="other") == 1
    assert (
        value(metrics, "tsunagu_upstream_errors_total", slug="tenki", version="v1", reason="other")
        == 1
    )
    labels = {"slug": "tenki", "version": "v1", "method": "GET", "kind": "api"}
    assert value(metrics, "tsunagu_requests_total", **labels, status_class="other") == 1


def test_gauges_and_fallback_counter(metrics: GatewayMetrics) -> None:
    metrics.snapshot_loaded(42, 1_800_000_000.0)
    metrics.fallback_used()
    metrics.fallback_used()
    assert value(metrics, "tsunagu_snapshot_generation") == 42
    assert value(metrics, "tsunagu_snapshot_refreshed_timestamp_seconds") == 1_800_000_000.0
    assert value(metrics, "tsunagu_ratelimit_fallback_total") == 2


def test_render_in_single_process_mode(metrics: GatewayMetrics) -> None:
    metrics.fallback_used()
    body, content_type = render_metrics(metrics)
    assert content_type.startswith("text/plain")
    assert b"tsunagu_ratelimit_fallback_total 1.0" in body


def test_reason_sets_agree_with_the_catalogue(metrics: GatewayMetrics) -> None:
    """Every advertised auth-failure reason is a catalogue code the data plane emits, and each
    one is counted under its own name (regression: four advertised reasons never occurred)."""
    auth = {code for code, kind in CATALOGUE.items() if kind.auth_failure}
    assert auth == AUTH_REASONS
    assert {"expired-token", "revoked-token", "invalid-api-key", "missing-token"} <= auth
    assert set(UPSTREAM_CODES) <= set(CATALOGUE)
    assert set(UPSTREAM_CODES.values()) == UPSTREAM_REASONS
    policy = MetricsPolicy(metrics)
    for code in sorted(auth):
        finish(policy, CATALOGUE[code].status, entry=route(), error_code=code)
        assert value(metrics, "tsunagu_auth_failures_total", reason=code) == 1.0
    assert value(metrics, "tsunagu_auth_failures_total", reason="other") is None
