"""Unit tests of the request-id, route, deprecation, CORS and security-header policies."""

from __future__ import annotations

from datetime import date, timedelta

import orjson
import pytest

from gateway.pipeline import Exchange
from gateway.policies.cors import CorsPolicy
from gateway.policies.deprecation import DeprecationPolicy
from gateway.policies.request_id import RequestIdPolicy, RequestIds, sane_request_id
from gateway.policies.route import RoutePolicy
from gateway.policies.security_headers import SecurityHeadersPolicy
from gateway.problems import ProblemRenderer
from registry.models import VersionState, sunset_instant
from registry.settings import load_settings
from tests.gateway.dataplane.exchanges import make_exchange
from tests.gateway.dataplane.routes import NOW, holder, make_route

PUBLIC = "https://api.example.go.jp"


def values(exchange: Exchange, name: bytes) -> list[bytes]:
    return [v for k, v in exchange.response_headers if k == name]


# --- request id -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "sane"),
    [
        (b"abc-123", True),
        (b"a" * 128, True),
        (b"A.b_c:d-9", True),
        (b"", False),
        (b"a" * 129, False),
        (b"has space", False),
        (b"new\nline", False),
        (b"semi;colon", False),
        ("日本".encode(), False),
    ],
)
def test_sane_request_ids(value: bytes, sane: bool) -> None:
    assert sane_request_id(value) is sane


async def test_request_id_keeps_a_sane_caller_id() -> None:
    exchange = make_exchange(headers=[(b"x-request-id", b"caller-42")])
    assert await RequestIdPolicy().on_request(exchange) is None
    assert exchange.request_id == "caller-42"
    assert values(exchange, b"x-request-id") == [b"caller-42"]


async def test_request_id_replaces_an_insane_caller_id_with_unique_ones() -> None:
    policy = RequestIdPolicy()
    ids = set()
    for _ in range(3):
        exchange = make_exchange(headers=[(b"x-request-id", b"bad id\r\n")])
        await policy.on_request(exchange)
        assert sane_request_id(exchange.request_id.encode())
        assert values(exchange, b"x-request-id") == [exchange.request_id.encode()]
        ids.add(exchange.request_id)
    assert len(ids) == 3
    other = RequestIds().choose(None)  # another process or instance: another prefix
    assert other[:16] != exchange.request_id.encode()[:16]


# --- route ------------------------------------------------------------------------------


def route_policy(*routes: object, now_offset: timedelta = timedelta()) -> RoutePolicy:
    return RoutePolicy(
        holder(routes),  # type: ignore[arg-type]
        ProblemRenderer(PUBLIC),
        clock=lambda: NOW + now_offset,
    )


async def test_route_sets_the_entry_of_a_published_version() -> None:
    route = make_route()
    exchange = make_exchange()
    assert await route_policy(route).on_request(exchange) is None
    assert exchange.route is route


@pytest.mark.parametrize(
    ("slug", "version"), [("tax", "v2"), ("taxi", "v1"), ("", ""), ("tax", "")]
)
async def test_route_unknown_is_404_problem(slug: str, version: str) -> None:
    exchange = make_exchange(slug=slug, version=version)
    reply = await route_policy(make_route()).on_request(exchange)
    assert reply is not None and reply.status == 404
    body = orjson.loads(reply.body)
    assert body["type"].endswith("#not-found")
    assert (b"content-type", b"application/problem+json") in reply.headers
    assert exchange.route is None and exchange.error_code == "not-found"


async def test_route_never_serves_drafts() -> None:
    reply = await route_policy(make_route(state=VersionState.DRAFT)).on_request(make_exchange())
    assert reply is not None and reply.status == 404


async def test_route_retired_is_410_naming_the_successor() -> None:
    route = make_route(state=VersionState.RETIRED, successor="v2")
    exchange = make_exchange(headers=[(b"accept-language", b"en")])
    exchange.language = "en"
    reply = await route_policy(route).on_request(exchange)
    assert reply is not None and reply.status == 410
    body = orjson.loads(reply.body)
    assert body["successor"] == "/api/tax/v2/"
    assert "/api/tax/v2/" in body["detail"]
    assert body["title"] == "This API version has been retired"


async def test_route_past_sunset_is_410_even_when_not_yet_retired() -> None:
    route = make_route(state=VersionState.DEPRECATED, sunset=NOW - timedelta(seconds=1))
    reply = await route_policy(route).on_request(make_exchange())
    assert reply is not None and reply.status == 410
    assert "successor" not in orjson.loads(reply.body)


async def test_route_before_sunset_serves_the_deprecated_version() -> None:
    route = make_route(state=VersionState.DEPRECATED, sunset=NOW + timedelta(days=1))
    exchange = make_exchange()
    assert await route_policy(route).on_request(exchange) is None
    assert exchange.route is route


# --- deprecation -------------------------------------------------------------------------


async def test_deprecation_headers_of_a_deprecated_version() -> None:
    route = make_route(
        state=VersionState.DEPRECATED,
        deprecated_at=NOW,
        sunset=sunset_instant(date(2027, 6, 17)),  # 00:00 in Japan
        successor="v2",
    )
    exchange = make_exchange()
    exchange.route = route
    policy = DeprecationPolicy(load_settings(public_url=PUBLIC + "/"))
    assert await policy.on_request(exchange) is None
    assert values(exchange, b"deprecation") == [b"@%d" % int(NOW.timestamp())]
    assert values(exchange, b"sunset") == [b"Wed, 16 Jun 2027 15:00:00 GMT"]
    assert values(exchange, b"link") == [
        b'<https://api.example.go.jp/portal/apis/tax/v1/>; rel="deprecation"; type="text/html"',
        b'<https://api.example.go.jp/api/tax/v2/>; rel="successor-version"',
    ]


async def test_deprecation_cache_follows_a_new_entry() -> None:
    policy = DeprecationPolicy(load_settings(public_url=PUBLIC))
    first = make_route(state=VersionState.DEPRECATED, deprecated_at=NOW)
    second = make_route(state=VersionState.DEPRECATED, deprecated_at=NOW, successor="v3")
    for route, links in ((first, 1), (second, 2), (first, 1)):
        exchange = make_exchange()
        exchange.route = route
        await policy.on_request(exchange)
        assert len(values(exchange, b"link")) == links


async def test_no_deprecation_headers_on_published_versions() -> None:
    exchange = make_exchange()
    exchange.route = make_route()
    await DeprecationPolicy(load_settings(public_url=PUBLIC)).on_request(exchange)
    assert exchange.response_headers == []


# --- CORS --------------------------------------------------------------------------------

DOC = {
    "openapi": "3.1.0",
    "paths": {"/items/{id}": {"get": {}, "delete": {}}, "/items": {"post": {}}},
}


def preflight(origin: bytes, rest_path: str = "/items/7") -> Exchange:
    return make_exchange(
        method="OPTIONS",
        rest_path=rest_path,
        headers=[(b"origin", origin), (b"access-control-request-method", b"GET")],
    )


async def test_cors_preflight_for_an_allowed_origin_lists_the_documents_methods() -> None:
    exchange = preflight(b"https://app.example.jp")
    exchange.route = make_route(document=DOC, cors_origins=("https://app.example.jp",))
    reply = await CorsPolicy(max_age=300).on_request(exchange)
    assert reply is not None and reply.status == 204
    headers = dict(reply.headers)
    assert headers[b"access-control-allow-origin"] == b"https://app.example.jp"
    assert headers[b"access-control-allow-methods"] == b"GET, DELETE, OPTIONS"
    assert b"Authorization" in headers[b"access-control-allow-headers"]
    assert headers[b"access-control-max-age"] == b"300"
    assert headers[b"vary"] == b"Origin"
    assert b"access-control-allow-credentials" not in headers


@pytest.mark.parametrize(
    ("requested", "allowed"),
    [
        (
            b"prefer, x-trace",
            b"Authorization, Content-Type, X-Request-ID, X-API-Key, prefer, x-trace",
        ),
        (b"bad header\r\nx: y", b"Authorization, Content-Type, X-Request-ID, X-API-Key"),
    ],
)
async def test_cors_preflight_allows_the_request_headers_the_browser_asks_for(
    requested: bytes, allowed: bytes
) -> None:
    # The sandbox's Prefer and an API's header parameters must pass a browser's preflight.
    exchange = preflight(b"https://app.example.jp")
    exchange.request_headers.append((b"access-control-request-headers", requested))
    exchange.route = make_route(document=DOC, cors_origins=("https://app.example.jp",))
    reply = await CorsPolicy().on_request(exchange)
    assert reply is not None
    assert dict(reply.headers)[b"access-control-allow-headers"] == allowed


async def test_cors_preflight_for_other_origins_has_no_allow_headers() -> None:
    exchange = preflight(b"https://evil.example")
    exchange.route = make_route(document=DOC, cors_origins=("https://app.example.jp",))
    reply = await CorsPolicy().on_request(exchange)
    assert reply is not None and reply.status == 204
    assert b"access-control-allow-origin" not in dict(reply.headers)


async def test_cors_open_data_allows_any_origin_with_star() -> None:
    exchange = preflight(b"https://anyone.example", rest_path="/unknown")
    exchange.route = make_route(document=DOC, open_data=True)
    reply = await CorsPolicy().on_request(exchange)
    assert reply is not None
    headers = dict(reply.headers)
    assert headers[b"access-control-allow-origin"] == b"*"
    assert headers[b"access-control-allow-methods"].startswith(b"GET, HEAD, POST")


async def test_cors_on_normal_responses() -> None:
    route = make_route(cors_origins=("https://app.example.jp",))
    allowed = make_exchange(headers=[(b"origin", b"https://app.example.jp")])
    allowed.route = route
    refused = make_exchange(headers=[(b"origin", b"https://evil.example")])
    refused.route = route
    policy = CorsPolicy()
    assert await policy.on_request(allowed) is None
    assert await policy.on_request(refused) is None
    assert values(allowed, b"access-control-allow-origin") == [b"https://app.example.jp"]
    assert values(allowed, b"vary") == [b"Origin"]
    assert b"X-Request-ID" in values(allowed, b"access-control-expose-headers")[0]
    assert values(refused, b"access-control-allow-origin") == []


async def test_options_without_preflight_headers_is_not_answered() -> None:
    exchange = make_exchange(method="OPTIONS", headers=[(b"origin", b"https://x.example")])
    exchange.route = make_route(open_data=True)
    assert await CorsPolicy().on_request(exchange) is None


# --- security headers --------------------------------------------------------------------


@pytest.mark.parametrize(("public_url", "hsts"), [(PUBLIC, True), ("http://127.0.0.1", False)])
async def test_hsts_only_over_https(public_url: str, hsts: bool) -> None:
    exchange = make_exchange()
    await SecurityHeadersPolicy(load_settings(public_url=public_url)).on_request(exchange)
    expected = [b"max-age=63072000; includeSubDomains"] if hsts else []
    assert values(exchange, b"strict-transport-security") == expected
