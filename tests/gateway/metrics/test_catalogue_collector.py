"""Objective, launch-watch and sunset gauges come from the snapshot at scrape time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from gateway.metrics import GatewayMetrics
from gateway.metrics_catalogue import CatalogueCollector
from registry.models import VersionState
from registry.slo import Objectives
from tests.gateway.dataplane.routes import NOW, holder, make_route

DEFAULTS = Objectives(availability_percent=99.5, latency_p95_ms=1000)


def scrape(collector: CatalogueCollector) -> dict[str, float]:
    registry = CollectorRegistry()
    metrics = GatewayMetrics(registry)
    metrics.add_live_collector(collector)
    samples: dict[str, float] = {}
    for line in generate_latest(registry).decode().splitlines():
        if line.startswith("tsunagu_") and "{" in line:
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def test_objectives_launch_watch_and_sunset_per_version() -> None:
    sunset = NOW + timedelta(days=200)
    routes = holder(
        [
            make_route(
                "tax",
                "v1",
                published_at=NOW - timedelta(days=400),
                state=VersionState.DEPRECATED,
                sunset=sunset,
                deprecated_at=NOW,
            ),
            make_route(
                "tax",
                "v2",
                published_at=NOW - timedelta(days=2),
                document={
                    "openapi": "3.1.0",
                    "paths": {},
                    "x-slo": {"availability": 99.9, "latency_p95_ms": 250},
                },
            ),
            make_route("old", "v1", state=VersionState.RETIRED),
        ]
    )
    now = {"at": NOW}
    samples = scrape(CatalogueCollector(lambda: routes.current, DEFAULTS, 30, lambda: now["at"]))
    v1, v2 = 'slug="tax",version="v1"', 'slug="tax",version="v2"'
    assert samples[f"tsunagu_slo_availability_objective_ratio{{{v1}}}"] == 0.995
    assert samples[f"tsunagu_slo_availability_objective_ratio{{{v2}}}"] == pytest.approx(0.999)
    assert samples[f"tsunagu_slo_latency_p95_objective_seconds{{{v2}}}"] == 0.25
    assert samples[f"tsunagu_launch_watch{{{v1}}}"] == 0.0
    assert samples[f"tsunagu_launch_watch{{{v2}}}"] == 1.0
    assert samples[f"tsunagu_api_sunset_timestamp_seconds{{{v1}}}"] == sunset.timestamp()
    assert f"tsunagu_api_sunset_timestamp_seconds{{{v2}}}" not in samples
    assert samples['tsunagu_api_version_state{slug="old",state="retired",version="v1"}'] == 1.0
    assert not any('slug="old"' in name and "launch_watch" in name for name in samples)


def test_launch_watch_ends_by_the_clock_without_a_new_snapshot() -> None:
    routes = holder([make_route("tax", "v2", published_at=NOW)])
    clock: dict[str, datetime] = {"at": NOW + timedelta(days=29)}
    collector = CatalogueCollector(lambda: routes.current, DEFAULTS, 30, lambda: clock["at"])
    key = 'tsunagu_launch_watch{slug="tax",version="v2"}'
    assert scrape(collector)[key] == 1.0
    clock["at"] = NOW + timedelta(days=31)
    assert scrape(collector)[key] == 0.0
