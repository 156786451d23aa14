"""The per-address guard counts the client's own faults only, per instance."""

from __future__ import annotations

from gateway.policies.ip_guard import (
    CLIENT_FAULTS,
    MAX_ADDRESSES,
    FailureWindow,
    IpRateLimitPolicy,
)
from gateway.ratelimit.quota import Quota
from registry.problems import CATALOGUE
from registry.settings import Settings
from tests.gateway.ratelimit.factories import (
    MINUTE_LEFT,
    claims,
    exchange,
    fixed_clock,
    headers_of,
    problems,
)


def guard(limit: int, unknown: int = 1000) -> IpRateLimitPolicy:
    settings = Settings(ip_per_minute=limit, ip_unknown_api_per_minute=unknown)
    return IpRateLimitPolicy(settings, problems(), clock=fixed_clock)


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
    first.error_code = "missing-token"
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


async def test_answers_the_platform_or_the_quota_caused_are_never_counted() -> None:
    policy = guard(1)
    for code in (
        "rate-limited",
        "bad-gateway",
        "upstream-refused",
        "counters-unavailable",
        "gateway-timeout",
        "internal",
        None,
    ):
        done = exchange(None, None if code is None else claims(), ip="198.51.100.3")
        done.error_code = code
        policy.on_complete(done)
    assert await policy.on_request(exchange(None, None, ip="198.51.100.3")) is None


async def test_unknown_apis_have_their_own_higher_limit() -> None:
    policy = guard(1, unknown=3)
    for _ in range(2):
        missing = exchange(None, None, ip="198.51.100.4")
        missing.error_code = "not-found"
        policy.on_complete(missing)
    assert await policy.on_request(exchange(None, None, ip="198.51.100.4")) is None
    gone = exchange(None, None, ip="198.51.100.4")
    gone.error_code = "gone"
    policy.on_complete(gone)
    refused = exchange(None, None, ip="198.51.100.4")
    assert await policy.on_request(refused) is not None
    assert headers_of(refused)["ratelimit-policy"] == '"ip-unknown-api";q=3;w=60'


def test_every_refused_credential_and_malformed_request_is_a_client_fault() -> None:
    """The guard follows the catalogue: expired, revoked tokens and bad API keys count too."""
    auth = {code for code, kind in CATALOGUE.items() if kind.auth_failure}
    assert auth | {"unsafe-path", "bad-request"} <= CLIENT_FAULTS
    assert {"rate-limited", "bad-gateway", "counters-unavailable", "internal"}.isdisjoint(
        CLIENT_FAULTS
    )
