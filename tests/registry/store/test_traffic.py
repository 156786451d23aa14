"""Hourly traffic roll-ups: flushes add up, compaction keeps totals, statistics per version."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from registry.errors import Forbidden, InvalidInput, NotFound
from registry.service import RegistryService
from registry.store import Store
from registry.usage.operations import parse_period
from registry.usage.traffic import ErrorCount, TrafficCount, hour_start
from tests.registry.store.conftest import DEVELOPER, OPERATOR, PROVIDER_A, PROVIDER_B, FakeClock
from tests.registry.store.documents import as_yaml, openapi

pytestmark = pytest.mark.usefixtures("providers")
UP = "https://upstream.example.go.jp/libraries"


def publish(svc: RegistryService, **slo: float) -> None:
    document = openapi()
    if slo:
        document["x-slo"] = slo
    result = svc.register(PROVIDER_A, "digital", as_yaml(document), UP)
    svc.publish(PROVIDER_A, result.slug, result.version)


def calls(
    at: datetime, client_id: str = "app-1", *, ok: int = 0, failed: int = 0, slow: int = 0
) -> TrafficCount:
    """`ok` fast 200s (under 5 ms), `failed` 502s (10-25 ms), `slow` 200s (1-2.5 s)."""
    return TrafficCount(
        client_id=client_id,
        slug="libraries",
        version="v1",
        hour=hour_start(at),
        counts={
            "requests": ok + failed + slow,
            "status_2xx": ok + slow,
            "status_5xx": failed,
            "upstream_errors": failed,
            "latency_le_5": ok,
            "latency_le_25": failed,
            "latency_le_2500": slow,
        },
        last_call=at,
    )


def test_flushes_from_several_instances_add_up(
    svc: RegistryService, store: Store, clock: FakeClock
) -> None:
    publish(svc)
    now = clock.now
    store.add_traffic([calls(now, ok=90)], [])
    store.add_traffic(
        [calls(now, ok=5, failed=5), calls(now, "app-2", ok=10)],
        [
            ErrorCount(
                slug="libraries", version="v1", hour=hour_start(now), code="bad-gateway", count=5
            )
        ],
    )
    clock.advance(minutes=1)
    stats = svc.version_stats(OPERATOR, "libraries", "v1", timedelta(hours=1))
    assert stats.requests == 110 and stats.apps == 2
    assert stats.status == {"2xx": 105, "3xx": 0, "4xx": 0, "5xx": 5}
    assert stats.upstream_errors == 5
    assert stats.error_ratio["5xx"] == pytest.approx(5 / 110)
    assert stats.top_errors == [{"code": "bad-gateway", "count": 5}]
    assert stats.latency_ms["p50"] is not None and stats.latency_ms["p50"] <= 5
    # 4.5 % 5xx is below the default 99.5 % objective: attention says so in both languages.
    assert [a.code for a in stats.attention] == ["availability", "launch-watch"]
    assert stats.launch_watch and "可用性" in stats.attention[0].ja


def test_latency_percentiles_and_a_declared_objective(
    svc: RegistryService, store: Store, clock: FakeClock
) -> None:
    publish(svc, latency_p95_ms=500, availability=99.0)
    store.add_traffic([calls(clock.now, ok=80, slow=20)], [])
    stats = svc.version_stats(PROVIDER_A, "libraries", "v1", timedelta(hours=1))
    assert stats.objective == {"availability": 99.0, "latency_p95_ms": 500.0}
    assert stats.latency_ms["p95"] is not None and 1000 < stats.latency_ms["p95"] <= 2500
    assert "latency" in [a.code for a in stats.attention]


def test_the_period_bounds_what_is_counted(
    svc: RegistryService, store: Store, clock: FakeClock
) -> None:
    publish(svc)
    store.add_traffic([calls(clock.now - timedelta(hours=30), ok=7)], [])
    store.add_traffic([calls(clock.now, ok=3)], [])
    assert svc.version_stats(OPERATOR, "libraries", "v1", timedelta(hours=24)).requests == 3
    assert svc.version_stats(OPERATOR, "libraries", "v1", timedelta(days=7)).requests == 10


def test_compaction_folds_old_hours_into_days_and_keeps_every_count(
    svc: RegistryService, store: Store, clock: FakeClock
) -> None:
    publish(svc)
    old = clock.now - timedelta(days=40)
    store.add_traffic(
        [calls(old + timedelta(hours=h), ok=10, failed=1) for h in range(30)],
        [
            ErrorCount(
                slug="libraries", version="v1", hour=hour_start(old), code="bad-gateway", count=3
            )
        ],
    )
    store.add_traffic([calls(clock.now, ok=4)], [])
    before = svc.version_stats(OPERATOR, "libraries", "v1", timedelta(days=60))
    assert svc.compact_traffic() == 30
    assert svc.compact_traffic() == 0  # nothing is folded (or counted) twice
    after = svc.version_stats(OPERATOR, "libraries", "v1", timedelta(days=60))
    assert after.requests == before.requests == 334
    assert after.status == before.status and after.top_errors == before.top_errors
    assert svc.version_stats(OPERATOR, "libraries", "v1", timedelta(hours=1)).requests == 4


def test_providers_see_only_their_own_figures(svc: RegistryService) -> None:
    publish(svc)
    assert [s.slug for s in svc.status(PROVIDER_A, None, timedelta(hours=1))] == ["libraries"]
    assert svc.status(PROVIDER_B, None, timedelta(hours=1)) == []
    with pytest.raises(NotFound):
        svc.version_stats(PROVIDER_B, "libraries", "v1", timedelta(hours=1))
    with pytest.raises(Forbidden):
        svc.status(DEVELOPER, None, timedelta(hours=1))
    with pytest.raises(NotFound):
        svc.status(OPERATOR, "nothing-here", timedelta(hours=1))


@pytest.mark.parametrize("text", ["0h", "91d", "1w", "", "24", "-1h"])
def test_a_bad_period_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_period(text)


def test_periods_in_hours_and_days() -> None:
    assert parse_period("1h") == timedelta(hours=1)
    assert parse_period("7d") == timedelta(days=7)
