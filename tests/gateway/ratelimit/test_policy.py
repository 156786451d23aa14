"""The rate-limit policies over in-process memory counters, with a fixed clock."""

from __future__ import annotations

import orjson

from gateway.policies.ratelimit import RateLimitPolicy
from gateway.ratelimit.counter import build_counter
from registry.models import RatePlan
from registry.settings import Settings
from tests.gateway.ratelimit.factories import (
    DAY_LEFT,
    MINUTE_LEFT,
    claims,
    exchange,
    fixed_clock,
    headers_of,
    problems,
    route,
)


def policy(draft: int = 9, **settings: int) -> RateLimitPolicy:
    conf = Settings(ratelimit_header_draft=draft, **settings)  # type: ignore[arg-type]
    return RateLimitPolicy(conf, problems(), build_counter(None, clock=fixed_clock))


async def test_draft_9_fields_count_down_on_every_response() -> None:
    limiter, entry = policy(), route(RatePlan(per_minute=5, per_day=100))
    seen = []
    for _ in range(3):
        ex = exchange(entry, claims())
        assert await limiter.on_request(ex) is None
        seen.append(headers_of(ex))
    assert {h["ratelimit-policy"] for h in seen} == {'"minute";q=5;w=60, "day";q=100;w=86400'}
    assert [h["ratelimit"] for h in seen] == [
        f'"minute";r={r};t={MINUTE_LEFT}, "day";r={d};t={DAY_LEFT}'
        for r, d in ((4, 99), (3, 98), (2, 97))
    ]


async def test_draft_7_fields() -> None:
    limiter, entry = policy(draft=7), route(RatePlan(per_minute=5, per_day=100))
    ex = exchange(entry, claims())
    await limiter.on_request(ex)
    assert headers_of(ex) == {
        "ratelimit-policy": "5;w=60, 100;w=86400",
        "ratelimit": f"limit=5, remaining=4, reset={MINUTE_LEFT}",
    }


async def test_over_the_minute_quota_is_a_429_problem_with_retry_after() -> None:
    limiter, entry = policy(), route(RatePlan(per_minute=2, per_day=100))
    for _ in range(2):
        assert await limiter.on_request(exchange(entry, claims())) is None
    ex = exchange(entry, claims())
    reply = await limiter.on_request(ex)
    assert reply is not None and reply.status == 429
    assert dict(reply.headers)[b"retry-after"] == str(MINUTE_LEFT).encode()
    assert dict(reply.headers)[b"content-type"] == b"application/problem+json"
    body = orjson.loads(reply.body)
    assert body["status"] == 429 and body["type"].endswith("#rate-limited")
    assert body["request_id"] == ex.request_id
    assert ex.error_code == "rate-limited"
    assert headers_of(ex)["ratelimit"] == f'"minute";r=0;t={MINUTE_LEFT}'


async def test_apps_and_versions_do_not_share_counters() -> None:
    limiter = policy()
    v1, v2 = route(RatePlan(per_minute=1)), route(RatePlan(per_minute=1), version="v2")
    assert await limiter.on_request(exchange(v1, claims("a"))) is None
    assert await limiter.on_request(exchange(v1, claims("b"))) is None
    assert await limiter.on_request(exchange(v2, claims("a"))) is None
    rejected = await limiter.on_request(exchange(v1, claims("a")))
    assert rejected is not None and rejected.status == 429


async def test_sandbox_uses_its_own_minute_quota() -> None:
    limiter, entry = policy(), route(RatePlan(per_minute=50, sandbox_per_minute=2))
    for _ in range(2):
        assert await limiter.on_request(exchange(entry, claims(), kind="sandbox")) is None
    ex = exchange(entry, claims(), kind="sandbox")
    reply = await limiter.on_request(ex)
    assert reply is not None and reply.status == 429
    assert headers_of(ex)["ratelimit-policy"] == '"minute";q=2;w=60'
    production = exchange(entry, claims())
    assert await limiter.on_request(production) is None
    assert headers_of(production)["ratelimit"].startswith('"minute";r=49;')


async def test_day_quota_rejects_without_consuming_the_minute_quota() -> None:
    limiter, entry = policy(), route(RatePlan(per_minute=100, per_day=3))
    for _ in range(3):
        assert await limiter.on_request(exchange(entry, claims())) is None
    for _ in range(2):
        ex = exchange(entry, claims())
        reply = await limiter.on_request(ex)
        assert reply is not None and reply.status == 429
        assert dict(reply.headers)[b"retry-after"] == str(DAY_LEFT).encode()
    # the refused requests were refunded to the minute quota: 100 - 3 - 1 (this one) = 96
    assert headers_of(ex)["ratelimit"] == f'"minute";r=96;t={MINUTE_LEFT}, "day";r=0;t={DAY_LEFT}'


async def test_requests_without_route_or_claims_pass_untouched() -> None:
    limiter = policy()
    for ex in (exchange(None, claims()), exchange(route(), None)):
        assert await limiter.on_request(ex) is None
        assert ex.response_headers == []
