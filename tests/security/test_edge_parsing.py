"""The HTTP edge on a real server, over raw sockets: size limits enforced while parsing (431,
414), strict request lines and Host, refused methods, and the server's own errors as
problem+json with a request id (ADR 0014; SECURITY-TESTS C12, C22)."""

from __future__ import annotations

import pytest

from tests.security.checks import assert_problem, assert_raw_problem, bearer, raw_exchange
from tests.security.conftest import Gateway

API = "/api/secapi/v3/corporations"


def _get(path: str, *headers: str, version: str = "HTTP/1.1") -> bytes:
    lines = [f"GET {path} {version}", "Host: gw", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_oversized_or_too_many_headers_are_431_and_never_forwarded(gateway: Gateway) -> None:
    token = bearer(gateway.token("consumer"))["Authorization"]
    before = len(gateway.seeded.upstream.seen)
    big = f"X-Big: {'a' * 100_000}"
    for path in (API, "/healthz"):
        answer = raw_exchange(gateway.server.base_url, _get(path, f"Authorization: {token}", big))
        assert_raw_problem(answer, 431, "header-fields-too-large")
    many = [f"X-N{i}: {i}" for i in range(5_000)]
    answer = raw_exchange(gateway.server.base_url, _get(API, f"Authorization: {token}", *many))
    assert_raw_problem(answer, 431, "header-fields-too-large")
    assert len(gateway.seeded.upstream.seen) == before
    assert gateway.http.get("/healthz").status_code == 200


def test_a_long_url_is_414(gateway: Gateway) -> None:
    answer = raw_exchange(gateway.server.base_url, _get(API + "?q=" + "a" * 9_000))
    problem = assert_raw_problem(answer, 414, "uri-too-long")
    assert "8192" in problem["detail"]
    english = raw_exchange(gateway.server.base_url, _get("/x" * 40_000, "Accept-Language: en"))
    assert assert_raw_problem(english, 414, "uri-too-long")["title"] == "URI too long"


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /api/secapi/v3/corporations?a=1\nX-Injected: yes HTTP/1.1\r\nHost: gw\r\n\r\n",
        b"GET /api/secapi/v3/corporations\r\n\r\n",  # HTTP/0.9
        b"GET /api/secapi/v3/corporations HTTP/2.0\r\nHost: gw\r\n\r\n",
        b"GET /api/secapi/v3/corporations HTTP/1.1\r\nHost: gw\r\nHost: evil\r\n\r\n",
        b"GET /api/secapi/v3/corporations HTTP/1.1\r\n\r\n",  # no Host
        b"GET /healthz HTTP/1.1\r\n\r\n",
        b"GARBAGE\x01 / HTTP/1.1\r\nHost: gw\r\n\r\n",
    ],
    ids=["bare-lf", "http-0.9", "http-2.0", "two-hosts", "no-host", "no-host-health", "junk"],
)
def test_malformed_request_lines_and_hosts_are_400_problems(
    gateway: Gateway, request_bytes: bytes
) -> None:
    before = len(gateway.seeded.upstream.seen)
    answer = raw_exchange(gateway.server.base_url, request_bytes)
    assert_raw_problem(answer, 400, "bad-request")
    assert len(gateway.seeded.upstream.seen) == before


def test_http_1_0_without_host_is_still_served(gateway: Gateway) -> None:
    answer = raw_exchange(gateway.server.base_url, b"GET /healthz HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]


def test_connect_trace_and_webdav_methods_are_405_and_never_forwarded(gateway: Gateway) -> None:
    token = bearer(gateway.token("consumer"))
    before = len(gateway.seeded.upstream.seen)
    connect = raw_exchange(
        gateway.server.base_url, b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n"
    )
    assert_raw_problem(connect, 405, "method-not-allowed")
    for method in ("TRACE", "PROPFIND", "MKCOL", "MOVE", "LOCK"):
        response = gateway.http.request(method, API, headers=token)
        assert_problem(response, 405, "method-not-allowed")
        assert "GET" in response.headers["allow"]
    assert len(gateway.seeded.upstream.seen) == before


def test_two_authorization_headers_are_400_invalid_request(gateway: Gateway) -> None:
    token = bearer(gateway.token("consumer"))["Authorization"]
    operator = bearer(gateway.token("operator"))["Authorization"]
    before = len(gateway.seeded.upstream.seen)
    for path, value in ((API, token), ("/admin/v1/apis", operator)):
        headers = [(b"Authorization", value.encode()), (b"Authorization", b"Bearer other")]
        response = gateway.http.post(path, headers=headers, json={"x": 1})
        assert_problem(response, 400, "bad-request")
        assert 'error="invalid_request"' in response.headers["www-authenticate"]
    assert len(gateway.seeded.upstream.seen) == before


@pytest.mark.parametrize("spelling", ["..;/", "..;x/", "%2e%2e;/", ".;/..;/"])
def test_path_parameter_traversal_is_refused(gateway: Gateway, spelling: str) -> None:
    token = bearer(gateway.token("consumer"))
    before = len(gateway.seeded.upstream.seen)
    response = gateway.http.get(f"/api/secapi/v3/a/{spelling}admin", headers=token)
    assert_problem(response, 400, "unsafe-path")
    assert len(gateway.seeded.upstream.seen) == before
