"""Usage counting and flushing: a recording flush, a failing one, and the real SQLite store."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

from gateway.policies.usage import UsagePolicy
from registry.models import AppView, UsageRow
from registry.store.store import open_store
from tests.gateway.ratelimit.factories import FIXED_NOW, claims, exchange, fixed_clock, route


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.batches: list[list[UsageRow]] = []
        self.threads: list[int] = []
        self.failures = failures

    def __call__(self, rows: list[UsageRow]) -> None:
        self.threads.append(threading.get_ident())
        if self.failures:
            self.failures -= 1
            raise OSError("database is down")
        self.batches.append(rows)

    def totals(self) -> dict[tuple[str, str, str], int]:
        out: dict[tuple[str, str, str], int] = {}
        for batch in self.batches:
            for r in batch:
                out[(r.client_id, r.slug, r.version)] = (
                    out.get((r.client_id, r.slug, r.version), 0) + r.count
                )
        return out


def call(
    policy: UsagePolicy,
    client: str | None = "app-1",
    version: str = "v1",
    status: int = 200,
    error_code: str | None = None,
) -> None:
    ex = exchange(route(version=version), claims(client) if client else None)
    ex.status = status
    ex.error_code = error_code
    policy.on_complete(ex)


async def test_counts_authenticated_calls_per_app_and_version() -> None:
    recorder = Recorder()
    policy = UsagePolicy(recorder, clock=fixed_clock)
    for _ in range(3):
        call(policy)
    call(policy, "app-2")
    call(policy, version="v2")
    call(policy, None)  # open data without a key: nobody to attribute
    assert await policy.flush_now()
    assert recorder.totals() == {
        ("app-1", "tenki", "v1"): 3,
        ("app-2", "tenki", "v1"): 1,
        ("app-1", "tenki", "v2"): 1,
    }
    assert {r.last_call for r in recorder.batches[0]} == {datetime.fromtimestamp(FIXED_NOW, UTC)}
    assert threading.get_ident() not in recorder.threads  # never on the event loop


async def test_refused_and_failed_calls_count_by_status_class() -> None:
    """A 429, a gateway 502 and a missing scope are still the app calling the version."""
    recorder = Recorder()
    policy = UsagePolicy(recorder, clock=fixed_clock)
    call(policy)
    call(policy, status=304)
    call(policy, status=404)
    call(policy, status=403, error_code="insufficient-scope")
    call(policy, status=429, error_code="rate-limited")
    for _ in range(3):
        call(policy, status=502, error_code="bad-gateway")
    assert await policy.flush_now()
    (row,) = recorder.batches[0]
    assert row.count == 8
    assert row.statuses == {"2xx": 1, "3xx": 1, "4xx": 2, "429": 1, "5xx": 3}


async def test_failed_flush_keeps_counts_for_the_next_one() -> None:
    recorder = Recorder(failures=1)
    policy = UsagePolicy(recorder, clock=fixed_clock)
    call(policy, status=429)
    assert not await policy.flush_now()
    call(policy)
    assert await policy.flush_now()
    assert recorder.totals() == {("app-1", "tenki", "v1"): 2}
    assert recorder.batches[0][0].statuses == {"2xx": 1, "429": 1}
    assert len(recorder.threads) == 2


async def test_background_task_flushes_each_interval_and_on_stop() -> None:
    recorder = Recorder()
    policy = UsagePolicy(recorder, interval_seconds=0.01, clock=fixed_clock)
    policy.start()
    try:
        call(policy)
        for _ in range(500):  # bounded wait for the first periodic flush
            if recorder.batches:
                break
            await asyncio.sleep(0.01)
        assert recorder.totals() == {("app-1", "tenki", "v1"): 1}
        call(policy, "app-9")
    finally:
        await policy.stop()
    assert recorder.totals()[("app-9", "tenki", "v1")] == 1


async def test_counts_across_midnight_jst_go_to_their_days() -> None:
    recorder = Recorder()
    now = [1_799_938_799.0]  # one second before 2027-01-15 00:00 JST
    policy = UsagePolicy(recorder, clock=lambda: now[0])
    call(policy)
    now[0] += 2
    call(policy)
    await policy.flush_now()
    assert sorted(r.count for r in recorder.batches[0]) == [1, 1]


async def test_flush_into_the_real_sqlite_store(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        with store.write() as unit:
            unit.add_app(
                AppView(
                    client_id="app-1",
                    name="Weather app",
                    owner="dev@example.jp",
                    scopes=("tenki",),
                    sandbox=False,
                    secret_hash="x",
                    created_at=datetime(2027, 1, 1, tzinfo=UTC),
                )
            )
        policy = UsagePolicy(store.add_usage, clock=fixed_clock)
        for _ in range(4):
            call(policy)
        await policy.stop()
        call(policy, status=502, error_code="bad-gateway")
        await policy.stop()
        with store.read() as unit:
            consumers = unit.consumers("tenki", "v1")
            called = unit.apps_that_called("tenki", "v1", datetime.fromtimestamp(FIXED_NOW, UTC))
            later = unit.apps_that_called("tenki", "v1", datetime.fromtimestamp(FIXED_NOW + 1, UTC))
        assert [(c.client_id, c.count) for c in consumers] == [("app-1", 5)]
        assert consumers[0].statuses == {"2xx": 4, "3xx": 0, "4xx": 0, "429": 0, "5xx": 1}
        assert consumers[0].last_call == datetime.fromtimestamp(FIXED_NOW, UTC)
        assert (called, later) == (["app-1"], [])
    finally:
        store.dispose()
