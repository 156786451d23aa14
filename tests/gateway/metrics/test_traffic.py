"""Traffic counting per version, app and hour: what is counted, and a failed flush keeps it."""

from __future__ import annotations

from gateway.policies.traffic import TrafficPolicy
from registry.usage.traffic import ErrorCount, TrafficCount
from tests.gateway.ratelimit.factories import claims, exchange, fixed_clock, route


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.counts: list[TrafficCount] = []
        self.errors: list[ErrorCount] = []
        self.failures = failures

    def __call__(self, counts: list[TrafficCount], errors: list[ErrorCount]) -> None:
        if self.failures:
            self.failures -= 1
            raise OSError("database is down")
        self.counts.extend(counts)
        self.errors.extend(errors)

    def column(self, client_id: str, name: str) -> int:
        return sum(c.counts.get(name, 0) for c in self.counts if c.client_id == client_id)


def call(policy: TrafficPolicy, status: int, code: str | None = None, **kw: object) -> None:
    who = kw.get("client", "app-1")
    ex = exchange(route(), claims(str(who)) if who else None, kind=kw.get("kind", "api"))  # type: ignore[arg-type]
    ex.status = status
    ex.error_code = code
    policy.on_complete(ex)


def no_compaction() -> int:
    return 0


async def test_counts_status_classes_refusals_and_latency_per_app() -> None:
    recorder = Recorder()
    policy = TrafficPolicy(recorder, no_compaction, clock=fixed_clock)
    call(policy, 200)
    call(policy, 200)
    call(policy, 429, "rate-limited")
    call(policy, 502, "bad-gateway")
    call(policy, 401, "missing-token", client=None)
    call(policy, 200, kind="sandbox")  # the sandbox is not production traffic
    assert await policy.flush_now()
    assert recorder.column("app-1", "requests") == 4
    assert recorder.column("app-1", "status_2xx") == 2
    assert recorder.column("app-1", "status_4xx") == 1
    assert recorder.column("app-1", "status_5xx") == 1
    assert recorder.column("app-1", "ratelimited") == 1
    assert recorder.column("app-1", "upstream_errors") == 1
    latency = sum(v for c in recorder.counts for k, v in c.counts.items() if k.startswith("lat"))
    assert latency == 5
    assert recorder.column("", "status_4xx") == 1  # refused before any credential
    assert sorted((e.code, e.count) for e in recorder.errors) == [
        ("bad-gateway", 1),
        ("missing-token", 1),
        ("rate-limited", 1),
    ]
    assert all(c.hour.minute == 0 and c.hour.second == 0 for c in recorder.counts)


async def test_a_failed_flush_keeps_every_count_for_the_next() -> None:
    recorder = Recorder(failures=1)
    policy = TrafficPolicy(recorder, no_compaction, clock=fixed_clock)
    call(policy, 200)
    call(policy, 503, "counters-unavailable")
    assert not await policy.flush_now()
    call(policy, 200)
    assert await policy.flush_now()
    assert recorder.column("app-1", "requests") == 3
    assert [(e.code, e.count) for e in recorder.errors] == [("counters-unavailable", 1)]
