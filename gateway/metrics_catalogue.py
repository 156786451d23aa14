"""Gauges read from the served snapshot at scrape time: objectives, launch watch, sunsets.

They describe the catalogue rather than traffic, so they are computed when Prometheus scrapes
(always current: a version leaves its launch watch on the right day without a registry change)
and never touch the request path. Labels are the registry's own slug and version (bounded).
Alert rules join them with the traffic series (`deploy/prometheus/alerts.yml`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from registry.models import Snapshot, VersionState
from registry.slo import Objectives, objectives_of, under_launch_watch

_API = ["slug", "version"]


class CatalogueCollector(Collector):
    """Objectives, launch watch and sunset of every served version, from the current snapshot."""

    def __init__(
        self,
        current: Callable[[], Snapshot],
        defaults: Objectives,
        launch_watch_days: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._current = current
        self._defaults = defaults
        self._watch_days = launch_watch_days
        self._clock = clock
        self._objectives: tuple[int, dict[tuple[str, str], Objectives]] = (-1, {})

    def collect(self) -> Iterator[Metric]:
        snapshot = self._current()
        objectives = self._objectives_for(snapshot)
        now = self._clock()
        availability = GaugeMetricFamily(
            "tsunagu_slo_availability_objective_ratio",
            "Availability objective of an API version (x-slo or the default), as a ratio.",
            labels=_API,
        )
        latency = GaugeMetricFamily(
            "tsunagu_slo_latency_p95_objective_seconds",
            "p95 latency objective of an API version (x-slo or the default).",
            labels=_API,
        )
        watch = GaugeMetricFamily(
            "tsunagu_launch_watch",
            "1 while an API version is in its launch watch after first publication, else 0.",
            labels=_API,
        )
        sunset = GaugeMetricFamily(
            "tsunagu_api_sunset_timestamp_seconds",
            "Unix time of a deprecated API version's sunset.",
            labels=_API,
        )
        state = GaugeMetricFamily(
            "tsunagu_api_version_state",
            "1 for the lifecycle state an API version is in.",
            labels=[*_API, "state"],
        )
        for key, route in sorted(snapshot.routes.items()):
            labels = list(key)
            if route.state is not VersionState.RETIRED:
                goal = objectives[key]
                availability.add_metric(labels, goal.availability_ratio)
                latency.add_metric(labels, goal.latency_p95_seconds)
                launched = under_launch_watch(route.published_at, now, self._watch_days)
                watch.add_metric(labels, 1.0 if launched else 0.0)
            if route.sunset is not None and route.state is VersionState.DEPRECATED:
                sunset.add_metric(labels, route.sunset.timestamp())
            state.add_metric([*labels, route.state.value], 1.0)
        yield from (availability, latency, watch, sunset, state)

    def _objectives_for(self, snapshot: Snapshot) -> dict[tuple[str, str], Objectives]:
        """Parsed once per snapshot generation, not on every scrape."""
        generation, cached = self._objectives
        if generation != snapshot.generation:
            cached = {
                key: objectives_of(route.document, self._defaults)
                for key, route in snapshot.routes.items()
            }
            self._objectives = (snapshot.generation, cached)
        return cached
