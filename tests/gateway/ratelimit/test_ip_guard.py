"""The per-address guard counts unauthenticated and failed requests only, per instance."""

from __future__ import annotations

from gateway.policies.ip_guard import MAX_ADDRESSES, FailureWindow, IpRateLimitPolicy
from gateway.ratelimit.quota import Quota
from registry.settings import Settings
from tests.gateway.ratelimit.factories import (
    MINUTE_LEFT,
    claims,
    exchange,
    fixed_clock,
    headers_of,
    problems,
)


def guard(limit: int) -> IpRateLimitPolicy:
    return IpRateLimitPolicy(Settings(ip_per_minute=limit), problems(), clock=fixed_clock)


async def test_failures_are_counted_and_then_refused_before_authentication() -> None:
    policy = guard(3)
    for _ in range(3):
        failed = exchange(None, None, ip="192.0.2.7")
        assert await policy.on_request(failed) is None
        failed.error_code = "invalid-token"
        policy.on_complete(failed)
    refused = exchange(None, claims(), ip="192.0.2.7")  # even with a token: checked before auth
    reply = await policy.on_request(refused)
    assert reply is not None and reply.status == 429
    assert headers_of(refused) == {
        "ratelimit-policy": '"ip";q=3;w=60',
        "ratelimit": f'"ip";r=0;t={MINUTE_LEFT}',
    }
    assert await policy.on_request(exchange(None, None, ip="192.0.2.8")) is None


async def test_successful_authenticated_traffic_is_never_counted() -> None:
    policy = guard(2)
    for _ in range(50):
        ok = exchange(None, claims(), ip="198.51.100.1")
        assert await policy.on_request(ok) is None
        ok.status = 200
        policy.on_complete(ok)
    assert await policy.on_request(exchange(None, None, ip="198.51.100.1")) is None


async def test_authenticated_but_refused_requests_count() -> None:
    policy = guard(1)
    forbidden = exchange(None, claims(), ip="198.51.100.2")
    forbidden.error_code = "insufficient-scope"
    policy.on_complete(forbidden)
    assert await policy.on_request(exchange(None, claims(), ip="198.51.100.2")) is not None


async def test_the_socket_peer_when_the_data_plane_set_no_client_ip() -> None:
    policy = guard(1)
    first = exchange(None, None, ip="192.0.2.9")
    first.client_ip = ""
    policy.on_complete(first)
    second = exchange(None, None, ip="192.0.2.9")
    second.client_ip = ""
    assert await policy.on_request(second) is not None


def test_windows_roll_over_and_stay_bounded() -> None:
    now = [0.0]
    window = FailureWindow(Quota("ip", 5, 60), lambda: now[0])
    window.add("a")
    assert window.used("a") == 1
    now[0] = 61.0
    assert window.used("a") == 0
    for i in range(MAX_ADDRESSES + 10):
        window.add(str(i))
    assert window.used(str(MAX_ADDRESSES + 5)) == 0  # beyond the bound: not counted
    assert window.used("0") == 1
