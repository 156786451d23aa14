"""Lifecycle and protocol headers on a real server: Deprecation/Sunset/Link, 410, request ids,
CORS preflight and where the RateLimit fields appear (CONTRACT.md, HTTP)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, timezone

from tests.security.checks import assert_no_rate_limit_fields, assert_problem, bearer
from tests.security.conftest import Gateway
from tests.security.stack import ALLOWED_ORIGIN

JST = timezone(timedelta(hours=9))
PUBLIC_URL = "http://127.0.0.1:8000"  # TSUNAGU_PUBLIC_URL's default: the base of every link


def test_deprecated_version_headers_are_exact(gateway: Gateway) -> None:
    view = gateway.http.get(
        "/admin/v1/apis/secapi/v2", headers=bearer(gateway.token("operator"))
    ).json()
    deprecated_at = datetime.fromisoformat(view["deprecated_at"])
    response = gateway.http.get(
        "/api/secapi/v2/corporations", headers=bearer(gateway.token("consumer"))
    )
    assert response.status_code == 200, response.text
    # RFC 9745 §2: "@" and the Unix time in seconds; RFC 8594 §3: an IMF-fixdate.
    assert response.headers["deprecation"] == f"@{int(deprecated_at.timestamp())}"
    midnight = datetime.combine(gateway.seeded.sunset, time(0), JST).astimezone(UTC)
    assert response.headers["sunset"] == midnight.strftime("%a, %d %b %Y %H:%M:%S GMT")
    links = response.headers.get_list("link")
    assert f'<{PUBLIC_URL}/portal/apis/secapi/v2/>; rel="deprecation"; type="text/html"' in links
    assert f'<{PUBLIC_URL}/api/secapi/v3/>; rel="successor-version"' in links
    current = gateway.http.get(
        "/api/secapi/v3/corporations", headers=bearer(gateway.token("consumer"))
    )
    assert current.status_code == 200
    assert not {"deprecation", "sunset", "link"} & current.headers.keys()


def test_retired_version_is_410_naming_its_successor(gateway: Gateway) -> None:
    for headers in ({}, bearer(gateway.token("consumer")), {"Accept-Language": "en"}):
        response = gateway.http.post("/api/secapi/v1/corporations", headers=headers)
        body = assert_problem(response, 410, "gone")
        assert body["successor"] == "/api/secapi/v2/"
        assert "/api/secapi/v2/" in body["detail"]
        assert_no_rate_limit_fields(response)


def test_request_id_is_echoed_when_sane_and_replaced_when_not(gateway: Gateway) -> None:
    token = bearer(gateway.token("consumer"))
    upstream = gateway.seeded.upstream.seen
    for path, headers in (("/api/secapi/v3/corporations", token), ("/api/nope/v1/x", {})):
        sane = gateway.http.get(path, headers={**headers, "X-Request-ID": "abc-123_x.y:z"})
        assert sane.headers["x-request-id"] == "abc-123_x.y:z"
    assert upstream[-1].headers["X-Request-ID"] == "abc-123_x.y:z"
    minted: set[str] = set()
    for bad in ("a" * 129, "has space", "semi;colon", "日本"):
        response = gateway.http.get(
            "/api/secapi/v3/corporations",
            headers=[(k.encode(), v.encode()) for k, v in {**token, "X-Request-ID": bad}.items()],
        )
        rid = response.headers["x-request-id"]
        assert rid != bad and re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", rid)
        assert upstream[-1].headers["X-Request-ID"] == rid
        minted.add(rid)
    assert len(minted) == 4
    missing = gateway.http.get("/api/secapi/v3/corporations")
    assert missing.headers["x-request-id"] not in minted
    assert missing.json()["request_id"] == missing.headers["x-request-id"]


def test_cors_preflight_follows_the_apis_origins_without_credentials(gateway: Gateway) -> None:
    before = len(gateway.seeded.upstream.seen)
    preflight = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x"}
    allowed = gateway.http.options(
        "/api/secapi/v3/corporations", headers={"Origin": ALLOWED_ORIGIN, **preflight}
    )
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "GET" in allowed.headers["access-control-allow-methods"]
    assert "Authorization" in allowed.headers["access-control-allow-headers"]
    assert allowed.headers["vary"] == "Origin"
    assert "access-control-allow-credentials" not in allowed.headers
    other = gateway.http.options(
        "/api/secapi/v3/corporations", headers={"Origin": "https://evil.example", **preflight}
    )
    assert other.status_code == 204
    assert "access-control-allow-origin" not in other.headers
    assert len(gateway.seeded.upstream.seen) == before  # preflights never reach the upstream
    actual = gateway.http.get(
        "/api/secapi/v3/corporations",
        headers={"Origin": ALLOWED_ORIGIN, **bearer(gateway.token("consumer"))},
    )
    assert actual.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "X-Request-ID" in actual.headers["access-control-expose-headers"]
    unknown = gateway.http.options(
        "/api/nope/v1/x", headers={"Origin": ALLOWED_ORIGIN, **preflight}
    )
    assert_problem(unknown, 404, "not-found")


def test_rate_limit_fields_only_after_the_rate_limit_step(gateway: Gateway) -> None:
    consumer = bearer(gateway.token("consumer"))
    ok = gateway.http.get("/api/secapi/v3/corporations", headers=consumer)
    assert ok.status_code == 200
    assert ok.headers["ratelimit-policy"].startswith('"minute";q=')
    assert re.fullmatch(r'"minute";r=\d+;t=\d+, "day";r=\d+;t=\d+', ok.headers["ratelimit"])
    upstream_error = gateway.http.get("/api/secapi/v3/status/503", headers=consumer)
    assert upstream_error.status_code == 503 and "ratelimit" in upstream_error.headers
    for response in (
        gateway.http.get("/api/secapi/v3/corporations"),
        gateway.http.get("/api/secapi/v3/corporations", headers=bearer("x.y.z")),
        gateway.http.get("/api/secapi/v3/corporations", headers=bearer(gateway.token("narrow"))),
        gateway.http.get("/api/nope/v1/x", headers=consumer),
    ):
        assert response.status_code in (401, 403, 404)
        assert_no_rate_limit_fields(response)
