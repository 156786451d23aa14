"""Every gateway-made error is RFC 9457 problem+json (SECURITY-TESTS J, I03) on a real server."""

from __future__ import annotations

import httpx
import pytest

from tests.security.checks import assert_no_internals, assert_problem, bearer, raw_exchange
from tests.security.conftest import Gateway

# (path, code) of errors the data plane answers before or without authentication.
UNAUTHENTICATED = [
    ("/api/nope/v1/x", "not-found"),
    ("/api/secapi/v9/x", "not-found"),
    ("/api/secb/v2/x", "not-found"),  # a draft is not served
    ("/api/secapi", "not-found"),
    ("/api/", "not-found"),
    ("/sandbox/nope/v1/x", "not-found"),
    ("/api/secapi/v1/corporations", "gone"),
    ("/api/secapi/v3/corporations", "missing-token"),
    ("/api/secapi/v3/corporations?api_key=k", "api-key-in-query"),
]


@pytest.mark.parametrize(("path", "code"), UNAUTHENTICATED)
def test_data_plane_errors_are_problems_in_both_languages(
    gateway: Gateway, path: str, code: str
) -> None:
    ja = gateway.http.get(path, headers={"Accept": "text/html"})
    body_ja = assert_problem(ja, ja.status_code, code)
    assert ja.headers["content-language"] == "ja"
    en = gateway.http.get(path, headers={"Accept-Language": "en, ja;q=0.5"})
    body_en = assert_problem(en, ja.status_code, code)
    assert en.headers["content-language"] == "en"
    assert body_en["type"] == body_ja["type"] and body_en["title"] != body_ja["title"]
    assert body_en["detail"] != body_ja["detail"]  # the detail follows Accept-Language too
    assert body_en["detail"].isascii() and not body_ja["detail"].isascii()


def test_authenticated_errors_are_problems(gateway: Gateway) -> None:
    token = bearer(gateway.token("consumer"))
    dot = gateway.http.get("/api/secapi/v3/a/%2e%2e/b", headers=token)
    assert_problem(dot, 400, "unsafe-path")
    head = (
        "POST /api/secapi/v3/corporations HTTP/1.1\r\nHost: gw\r\n"
        f"Authorization: {token['Authorization']}\r\nContent-Length: {11 * 1024 * 1024}\r\n"
        "X-Request-ID: big-1\r\n\r\n"
    )
    answer = raw_exchange(gateway.server.base_url, head.encode() + b"x" * 1024)
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"413", answer[:300]
    assert b"content-type: application/problem+json" in rest.lower()
    assert b"#payload-too-large" in rest and b'"request_id":"big-1"' in rest


def test_upstream_errors_pass_through_unchanged(gateway: Gateway) -> None:
    token = bearer(gateway.token("consumer"))
    for status in (404, 418, 500, 503):
        response = gateway.http.get(f"/api/secapi/v3/status/{status}", headers=token)
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/json")
        assert response.json() == {"upstream": True, "code": status}


def test_admin_problems_carry_content_language_and_request_id(gateway: Gateway) -> None:
    """Regression: the admin API's problems had no Content-Language (RULES.md)."""
    unknown = gateway.http.get("/admin/v1/nothing", headers={"X-Request-ID": "rid-1"})
    assert_problem(unknown, 404)
    assert unknown.headers["content-language"] == "ja"
    assert unknown.json()["request_id"] == "rid-1"
    en = gateway.http.get("/admin/v1/apis", headers={"Accept-Language": "en"})
    assert_problem(en, 401)
    assert en.headers["content-language"] == "en"
    operator = bearer(gateway.token("operator"))
    missing = gateway.http.get("/admin/v1/apis/none/v1", headers=operator)
    assert (
        assert_problem(missing, 404, "not-found")["detail"] == "API none/v1 は登録されていません。"
    )
    assert missing.headers["content-language"] == "ja"  # registry messages follow the caller too
    english = gateway.http.get(
        "/admin/v1/apis/none/v1", headers={**operator, "Accept-Language": "en"}
    )
    assert assert_problem(english, 404, "not-found")["detail"] == "There is no API none/v1."
    assert english.headers["content-language"] == "en"


MALFORMED_ADMIN = [
    ("POST", "/admin/v1/apis", b"{not json", "application/json"),
    ("POST", "/admin/v1/apis", b'{"document": 1, "upstream_url": [], "provider_id": {}}', None),
    ("POST", "/admin/v1/apis", b'{"document": "\xff\xfe"}', "application/json"),
    ("POST", "/admin/v1/providers", b"\x00" * 64, "application/json"),
    ("PUT", "/admin/v1/apis/secb/v1/plan", b'{"per_minute": "many"}', "application/json"),
    ("POST", "/admin/v1/apis/secb/v1/deprecate", b'{"sunset": "someday"}', "application/json"),
    ("POST", "/admin/v1/apps", b"[]", "application/json"),
    ("GET", "/admin/v1/apis/%ff%fe/v1", b"", None),
    ("GET", "/admin/v1/apis/a%00b/v1", b"", None),
    ("GET", "/admin/v1/changes?limit=-1", b"", None),
]


@pytest.mark.parametrize(("method", "path", "body", "content_type"), MALFORMED_ADMIN)
def test_malformed_admin_requests_are_400s_without_internals(
    gateway: Gateway, method: str, path: str, body: bytes, content_type: str | None
) -> None:
    headers = bearer(gateway.token("operator"))
    if content_type:
        headers["Content-Type"] = content_type
    response = gateway.http.request(method, path, headers=headers, content=body)
    assert 400 <= response.status_code < 500, response.text
    assert_problem(response, response.status_code)


OAUTH_ERRORS = ("invalid_request", "invalid_client", "unsupported_grant_type")
MALFORMED_TOKEN_REQUESTS: list[tuple[dict[str, str], bytes]] = [
    ({"Content-Type": "application/x-www-form-urlencoded"}, b"grant_type=\xff\xfe"),
    ({"Content-Type": "application/x-www-form-urlencoded"}, b"%00=%00&grant_type"),
    ({"Content-Type": "application/json"}, b'{"grant_type": "client_credentials"}'),
    ({"Content-Type": "application/x-www-form-urlencoded"}, b"a=1&a=2"),
    ({"Content-Type": "application/x-www-form-urlencoded"}, b"x=" + b"y" * 20_000),
    ({"Authorization": "Basic !!!", "Content-Type": "application/x-www-form-urlencoded"}, b""),
    ({"Authorization": "Basic \u00ff\u00fe\u00fd"}, b"grant_type=client_credentials"),
    ({"Authorization": "Basic Og==", "Content-Type": "application/x-www-form-urlencoded"}, b""),
]


@pytest.mark.parametrize(("headers", "body"), MALFORMED_TOKEN_REQUESTS)
def test_malformed_token_requests_are_oauth_errors_without_internals(
    gateway: Gateway, headers: dict[str, str], body: bytes
) -> None:
    encoded = {
        k.encode(): v.encode("latin-1") for k, v in headers.items()
    }  # non-ASCII as raw bytes
    response = gateway.http.post("/oauth/token", headers=encoded, content=body)
    assert response.status_code in (400, 401), response.text
    assert response.json()["error"] in OAUTH_ERRORS
    assert_no_internals(response)


ODD_PATHS = [
    "/api/secapi/v3/%ff%fe",
    "/api/secapi/v3/a%00b",
    "/api/%ff/v1/x",
    "/api/se%00capi/v3/x",
    "/sandbox/secapi/v3/%c0%ae%c0%ae/x",
    "/%ff",
    "/oauth/%00",
    "/portal/%ff%fe",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_bytes_in_paths_never_cause_a_server_error(gateway: Gateway, path: str) -> None:
    response = gateway.http.get(path, headers=bearer(gateway.token("consumer")))
    assert response.status_code < 500 or response.headers.get("x-gateway") is None
    assert response.status_code != 500, response.text
    if response.status_code >= 400:
        assert_problem(response, response.status_code)


def test_paths_that_are_not_utf8_are_400_and_never_forwarded(gateway: Gateway) -> None:
    """Regression: `%ff` reached the upstream as `%EF%BF%BD` (U+FFFD), a different path."""
    seen = gateway.seeded.upstream.seen
    before = len(seen)
    token = bearer(gateway.token("consumer"))
    for path in (
        "/api/secapi/v3/%ff",
        "/api/secapi/v3/a%c0%ae%c0%ae/b",
        "/api/secapi/v3/%ed%a0%80",
    ):
        assert_problem(gateway.http.get(path, headers=token), 400, "unsafe-path")
    fine = gateway.http.get("/api/secapi/v3/%E6%97%A5%EF%BF%BD", headers=token)
    assert fine.status_code == 200
    assert seen[-1].raw_path == "/secapi/v3/%E6%97%A5%EF%BF%BD"
    assert len(seen) == before + 1


def test_huge_headers_are_refused_cleanly(gateway: Gateway) -> None:
    for headers in ({"X-Big": "a" * 70_000}, {f"X-H{i}": "v" for i in range(300)}):
        try:
            response = gateway.http.get("/api/secapi/v3/corporations", headers=headers)
        except httpx.RemoteProtocolError:
            continue  # the server may close the connection: refused, not crashed
        assert response.status_code in (400, 401, 413, 431), response.status_code
        assert_no_internals(response)
    assert gateway.http.get("/healthz").status_code == 200
