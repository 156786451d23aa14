"""The proxy end to end: client → uvicorn + DataPlane → aiohttp → real loopback upstreams."""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from gateway.proxy.ssrf import system_lookup
from registry.models import VersionState
from tests.gateway.dataplane.routes import NOW, make_route
from tests.gateway.proxy.servers import (
    STREAM_CHUNK,
    STREAM_TOTAL,
    Upstream,
    echo_upstream,
    gateway,
    raw_server,
)
from tests.services import free_port


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    async with echo_upstream() as state:
        yield state


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        yield session


def header_map(echo: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in echo["headers"]:
        out.setdefault(name, []).append(value)
    return out


async def problem_code(response: aiohttp.ClientResponse) -> str:
    assert response.headers["Content-Type"] == "application/problem+json"
    body = await response.json(content_type="application/problem+json")
    assert body["request_id"] == response.headers["X-Request-ID"]
    return str(body["type"]).rsplit("#", 1)[1]


async def test_forwards_method_path_query_and_rewrites_headers(
    upstream: Upstream, http: aiohttp.ClientSession
) -> None:
    async with gateway([make_route(upstream_url=upstream.url + "/")]) as gw:
        response = await http.put(
            gw + "/api/tax/v1/items/%E6%97%A5?q=%E6%9C%AC&a=1&a=2&plus=a+b",
            data=b"payload",
            headers={
                "Authorization": "Bearer secret-token",
                "X-API-Key": "secret-key",
                "Connection": "keep-alive, X-Secret, X-Request-ID",
                "X-Secret": "hop",
                "Keep-Alive": "timeout=5",
                "TE": "trailers",
                "Trailer": "X-T",
                "Proxy-Authorization": "Basic eDp5",
                "X-Forwarded-For": "198.51.100.7",
                "X-Forwarded-Host": "evil.example",
                "X-Request-ID": "caller-id-1",
                "X-Custom": "kept",
            },
        )
        echo = await response.json()
    assert response.status == 200
    assert response.headers["X-Request-ID"] == "caller-id-1"
    assert (echo["method"], echo["path"]) == ("PUT", "/base/items/日")
    assert echo["raw_query"] == "q=%E6%9C%AC&a=1&a=2&plus=a+b"
    assert echo["length"] == 7
    headers = header_map(echo)
    for dropped in ("authorization", "x-api-key", "x-secret", "keep-alive", "te", "trailer"):
        assert dropped not in headers, dropped
    assert "proxy-authorization" not in headers
    assert headers["x-custom"] == ["kept"]
    assert headers["x-request-id"] == ["caller-id-1"]  # Connection cannot strip gateway fields
    assert headers["x-forwarded-for"] == ["198.51.100.7, 127.0.0.1"]
    assert headers["x-forwarded-proto"] == ["http"]
    assert headers["x-forwarded-host"] == [gw.removeprefix("http://")]
    assert headers["host"] == [upstream.url.removeprefix("http://").removesuffix("/base")]


async def test_response_hop_by_hop_headers_are_dropped_and_gateway_headers_added(
    http: aiohttp.ClientSession,
) -> None:
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close, X-Up-Secret\r\n"
        b"X-Up-Secret: s\r\nKeep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\n"
        b"X-Kept: k\r\n\r\nok"
    )
    route = make_route(
        state=VersionState.DEPRECATED, deprecated_at=NOW, sunset=None, successor="v2"
    )
    async with raw_server(answer) as raw:
        route = route.model_copy(update={"upstream_url": f"http://127.0.0.1:{raw.port}"})
        async with gateway([route]) as gw, http.get(gw + "/api/tax/v1/x") as response:
            assert await response.read() == b"ok"
    assert response.status == 200
    assert response.headers["X-Kept"] == "k"
    for dropped in ("X-Up-Secret", "Keep-Alive", "Proxy-Authenticate"):
        assert dropped not in response.headers
    assert response.headers["Deprecation"] == f"@{int(NOW.timestamp())}"
    assert len(response.headers.getall("Link")) == 2
    assert response.headers["X-Request-ID"]


async def test_upstream_copies_of_gateway_fields_are_dropped_not_doubled(
    http: aiohttp.ClientSession,
) -> None:
    # Many upstream frameworks echo X-Request-ID and set their own CORS fields; the client
    # must still see exactly one of each, the gateway's (SECURITY-TESTS C34).
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-ID: upstream-id\r\n"
        b"Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\n"
        b'Deprecation: @1\r\nLink: </page/2>; rel="next"\r\nVary: Accept\r\n\r\nok'
    )
    route = make_route(
        state=VersionState.DEPRECATED,
        deprecated_at=NOW,
        sunset=None,
        cors_origins=("https://app.example",),
    )
    async with raw_server(answer) as raw:
        route = route.model_copy(update={"upstream_url": f"http://127.0.0.1:{raw.port}"})
        headers = {"Origin": "https://app.example", "X-Request-ID": "caller-id-2"}
        async with gateway([route]) as gw, http.get(gw + "/api/tax/v1/x", headers=headers) as r:
            assert await r.read() == b"ok"
    assert r.headers.getall("X-Request-ID") == ["caller-id-2"]
    assert r.headers.getall("Access-Control-Allow-Origin") == ["https://app.example"]
    assert "Access-Control-Allow-Credentials" not in r.headers
    assert r.headers.getall("Deprecation") == [f"@{int(NOW.timestamp())}"]
    assert '</page/2>; rel="next"' in r.headers.getall("Link")  # lists keep both sides
    assert sorted(r.headers.getall("Vary")) == ["Accept", "Origin"]


async def test_expect_100_continue_is_answered_by_the_gateway_not_forwarded(
    http: aiohttp.ClientSession,
) -> None:
    # This upstream never sends 100 Continue (like an HTTP/1.0 server): it reads the body
    # straight away, as RFC 9110 §10.1.1 lets it. The gateway must not wait for a 100.
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            seen.append(head)
            body = await asyncio.wait_for(reader.readexactly(5), 5)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + body)
            await writer.drain()
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    port = free_port()
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    try:
        route = make_route(upstream_url=f"http://127.0.0.1:{port}")
        async with (
            gateway([route]) as gw,
            http.post(gw + "/api/tax/v1/up", data=b"hello", expect100=True) as response,
        ):
            assert response.status == 200
            assert await response.read() == b"hello"
    finally:
        server.close()
        await server.wait_closed()
    assert len(seen) == 1
    assert b"expect:" not in seen[0].lower()


async def test_request_body_streams_upstream_intact(
    upstream: Upstream, http: aiohttp.ClientSession
) -> None:
    payload = bytes(range(256)) * 12_000  # about 3 MB

    async def chunks() -> AsyncIterator[bytes]:  # sent chunked, without Content-Length
        for start in range(0, len(payload), 100_000):
            yield payload[start : start + 100_000]

    async with gateway([make_route(upstream_url=upstream.url)]) as gw:
        for data in (io.BytesIO(payload), chunks()):
            async with http.post(gw + "/api/tax/v1/upload", data=data) as response:
                echo = await response.json()
            assert echo["length"] == len(payload)
            assert echo["sha256"] == hashlib.sha256(payload).hexdigest()


async def test_body_over_the_limit_is_413(upstream: Upstream, http: aiohttp.ClientSession) -> None:
    async def chunked() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"x" * 512

    async with gateway([make_route(upstream_url=upstream.url)], max_body_bytes=4096) as gw:
        async with http.post(gw + "/api/tax/v1/declared", data=b"x" * 5000) as response:
            assert response.status == 413
            assert await problem_code(response) == "payload-too-large"
        async with http.post(gw + "/api/tax/v1/chunked", data=chunked()) as response:
            assert response.status == 413
            assert await problem_code(response) == "payload-too-large"
        async with http.post(gw + "/api/tax/v1/small", data=b"x" * 4096) as response:
            assert response.status == 200
    assert upstream.hits["/base/declared"] == 0


async def test_response_streams_before_the_upstream_finishes(
    upstream: Upstream, http: aiohttp.ClientSession
) -> None:
    async with (
        gateway([make_route(upstream_url=upstream.url)]) as gw,
        http.get(gw + "/api/tax/v1/stream") as response,
    ):
        assert response.status == 200
        # The upstream holds back all but its first chunk until `release` is set, so
        # reading this far proves the gateway does not buffer the body.
        first = await asyncio.wait_for(response.content.readexactly(STREAM_CHUNK), 10)
        assert not upstream.release.is_set()
        upstream.release.set()
        rest = 0
        async for chunk in response.content.iter_any():
            rest += len(chunk)
    assert first == b"a" * STREAM_CHUNK
    assert STREAM_CHUNK + rest == STREAM_TOTAL


async def test_read_timeout_is_504(upstream: Upstream, http: aiohttp.ClientSession) -> None:
    route = make_route(upstream_url=upstream.url, read_timeout=0.2)
    async with gateway([route]) as gw, http.get(gw + "/api/tax/v1/slow") as response:
        assert response.status == 504
        assert await problem_code(response) == "gateway-timeout"


async def test_connection_refused_is_502(http: aiohttp.ClientSession) -> None:
    route = make_route(upstream_url=f"http://127.0.0.1:{free_port()}")
    async with gateway([route]) as gw, http.get(gw + "/api/tax/v1/") as response:
        assert response.status == 502
        assert await problem_code(response) == "bad-gateway"


async def test_upstream_closing_the_connection_is_502(http: aiohttp.ClientSession) -> None:
    async with raw_server(None) as raw:
        route = make_route(upstream_url=f"http://127.0.0.1:{raw.port}")
        async with gateway([route]) as gw, http.post(gw + "/api/tax/v1/", data=b"x") as response:
            assert response.status == 502
            assert await problem_code(response) == "bad-gateway"
    assert raw.connections == 1  # a POST is not resent


async def test_redirects_are_passed_through_not_followed(
    upstream: Upstream, http: aiohttp.ClientSession
) -> None:
    async with gateway([make_route(upstream_url=upstream.url)]) as gw:
        url = gw + "/api/tax/v1/redirect"
        async with http.get(url, allow_redirects=False) as response:
            assert response.status == 302
            assert response.headers["Location"] == "http://169.254.169.254/latest/meta-data/"
    assert upstream.hits["/base/redirect"] == 1


async def test_mid_stream_failure_aborts_the_response(http: aiohttp.ClientSession) -> None:
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + b"z" * 70_000
    async with raw_server(answer) as raw:
        route = make_route(upstream_url=f"http://127.0.0.1:{raw.port}")
        async with gateway([route]) as gw:
            async with http.get(gw + "/api/tax/v1/") as response:
                assert response.status == 200
                with pytest.raises(aiohttp.ClientPayloadError):
                    await response.read()
            async with http.get(gw + "/api/nope/v1/") as response:  # the worker survived
                assert response.status == 404


class FlakyLookup:
    """DNS for `flaky.test`: the first answer points at a closed port, later ones at `live`."""

    def __init__(self, dead: int, live: int) -> None:
        self.ports = [dead, live]
        self.calls = 0

    async def __call__(self, host: str, port: int) -> list[tuple[str, int]]:
        if host != "flaky.test":
            return await system_lookup(host, port)
        self.calls += 1
        return [("127.0.0.1", self.ports[min(self.calls, 2) - 1])]


@pytest.mark.parametrize(("method", "status", "hits"), [("GET", 200, 1), ("POST", 502, 0)])
async def test_connect_failure_is_retried_once_for_idempotent_methods_only(
    upstream: Upstream, http: aiohttp.ClientSession, method: str, status: int, hits: int
) -> None:
    live = int(upstream.url.split(":")[2].split("/")[0])
    lookup = FlakyLookup(dead=free_port(), live=live)
    route = make_route(upstream_url="http://flaky.test:1/base")
    async with (
        gateway([route], lookup=lookup, dns_cache_seconds=None) as gw,
        http.request(method, gw + "/api/tax/v1/retry") as response,
    ):
        assert response.status == status
    assert lookup.calls == (2 if method == "GET" else 1)
    assert upstream.hits["/base/retry"] == hits
