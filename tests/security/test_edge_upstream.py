"""The upstream hop on a real server: header hygiene both ways, no resend once a request was
written, and a redacted log line when the upstream fails (SECURITY-TESTS A01, C13, C29, I01)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import yaml

from tests.e2e.harness import cli
from tests.security.checks import assert_problem, bearer
from tests.security.conftest import Gateway
from tests.security.stack import Client, token, write_document

API = "/api/secapi/v3"


@dataclass
class ClosingUpstream:
    """Reads each request head, counts it, and closes without answering; for a path under
    `/garbage` it first answers with a malformed status line (aiohttp then raises an error
    that carries the whole request: URL with query, headers, cookies)."""

    port: int
    heads: list[bytes] = field(default_factory=list)


@pytest.fixture(scope="module")
def closing_upstream() -> Iterator[ClosingUpstream]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    upstream = ClosingUpstream(listener.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                upstream.heads.append(data)
                if b" /secclose/v1/garbage" in data:
                    conn.sendall(b"HTTP/1.1 abc\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield upstream
    finally:
        stop.set()
        thread.join(5)
        listener.close()


@pytest.fixture(scope="module")
def closing_api(gateway: Gateway, closing_upstream: ClosingUpstream) -> Client:
    """`secclose` v1 on the closing upstream, and an app allowed to call it."""
    env, tmp = gateway.seeded.env, gateway.seeded.tmp
    document = write_document(tmp, "secclose", 1)
    upstream_url = f"http://127.0.0.1:{closing_upstream.port}/secclose/v1"
    cli(env, "api", "register", str(document), "--provider", "sec-a", "--upstream", upstream_url)
    cli(env, "api", "publish", "secclose", "v1")
    app = ("app", "create", "--name", "closer", "--owner", "c@ex.jp", "--scopes", "secclose")
    out = cli(env, *app, "--format", "json")
    body = json.loads(out.stdout)
    return Client(body["client_id"], body["client_secret"])


def _wait_served(gateway: Gateway, path: str, headers: dict[str, str]) -> httpx.Response:
    deadline = time.monotonic() + 10
    while True:
        response = gateway.http.get(path, headers=headers)
        if response.status_code != 404 or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def test_spoofable_and_identity_headers_never_reach_the_upstream(gateway: Gateway) -> None:
    headers = [
        (b"Authorization", bearer(gateway.token("consumer"))["Authorization"].encode()),
        (b"X_Tsunagu_Client_Id", b"operator-app"),
        (b"X-Tsunagu.Client.Id", b"operator-app"),
        (b"X_Request_ID", b"forged"),
        (b"X-Forwarded-User", b"admin"),
        (b"X-Client-Id", b"someone"),
        (b"X-Consumer-Id", b"someone"),
        (b"X-Real-IP", b"10.0.0.1"),
        (b"X-SSL-Client-Cert", b"-----BEGIN CERTIFICATE-----"),
        (b"X-Ordinary", b"kept"),
    ]
    response = gateway.http.get(f"{API}/corporations", headers=headers)
    assert response.status_code == 200, response.text
    seen = {k.lower(): v for k, v in gateway.seeded.upstream.seen[-1].headers.items()}
    assert seen["x-ordinary"] == "kept"
    assert seen["x-tsunagu-client-id"] == gateway.seeded.apps["consumer"].client_id
    leaked = {k for k in seen if "_" in k or "." in k}
    leaked |= {"x-forwarded-user", "x-client-id", "x-consumer-id", "x-real-ip"} & seen.keys()
    leaked |= {"x-ssl-client-cert"} & seen.keys()
    assert not leaked, seen


def test_upstream_cookies_and_banners_are_dropped(gateway: Gateway) -> None:
    response = gateway.http.get(f"{API}/cookie", headers=bearer(gateway.token("consumer")))
    assert response.status_code == 200 and response.json() == {"cookie": True}
    assert "set-cookie" not in response.headers
    assert "x-powered-by" not in response.headers
    assert "aiohttp" not in response.headers.get("server", "")


def test_an_api_may_opt_in_to_cookies_rescoped_to_its_own_prefix(gateway: Gateway) -> None:
    env, tmp = gateway.seeded.env, gateway.seeded.tmp
    document = write_document(tmp, "seccookie", 1)
    doc = yaml.safe_load(document.read_text(encoding="utf-8"))
    doc["x-upstream-cookies"] = True
    document.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    upstream_url = gateway.seeded.upstream.base_url + "/seccookie/v1"
    cli(env, "api", "register", str(document), "--provider", "sec-a", "--upstream", upstream_url)
    cli(env, "api", "publish", "seccookie", "v1")
    app = ("app", "create", "--name", "cookies", "--owner", "k@ex.jp", "--scopes", "seccookie")
    created = json.loads(cli(env, *app, "--format", "json").stdout)
    client = Client(created["client_id"], created["client_secret"])
    headers = bearer(token(gateway.server.base_url, client))
    response = _wait_served(gateway, "/api/seccookie/v1/cookie", headers)
    assert response.status_code == 200, response.text
    assert response.headers.get_list("set-cookie") == [
        "session=upstream; Path=/api/seccookie/v1/; HttpOnly"
    ]
    assert "x-powered-by" not in response.headers


def test_a_request_the_upstream_read_is_never_sent_twice(
    gateway: Gateway, closing_upstream: ClosingUpstream, closing_api: Client
) -> None:
    headers = bearer(token(gateway.server.base_url, closing_api))
    path = "/api/secclose/v1/corporations"
    first = _wait_served(gateway, path, headers)
    assert_problem(first, 502, "bad-gateway")
    for method in ("GET", "DELETE", "PUT"):
        before = len(closing_upstream.heads)
        response = gateway.http.request(method, path, headers=headers)
        assert_problem(response, 502, "bad-gateway")
        assert len(closing_upstream.heads) == before + 1, closing_upstream.heads[before:]


def test_upstream_failures_are_logged_without_cookies_headers_or_query(
    gateway: Gateway, closing_api: Client
) -> None:
    headers = {
        **bearer(token(gateway.server.base_url, closing_api)),
        "Cookie": "sid=canary-cookie-7f3a",
        "X-Custom": "canary-header-91bd",
    }
    _wait_served(gateway, "/api/secclose/v1/corporations", headers)
    for tail, request_id in (("corporations", "leak-check-1"), ("garbage", "leak-check-2")):
        path = f"/api/secclose/v1/{tail}?q=canary-query-55e0"
        response = gateway.http.get(path, headers={**headers, "X-Request-ID": request_id})
        assert_problem(response, 502, "bad-gateway")
    log = gateway.log()
    for canary in ("canary-cookie", "canary-header", "canary-query"):
        assert canary not in log
    for tail, request_id in (("corporations", "leak-check-1"), ("garbage", "leak-check-2")):
        line = next(ln for ln in log.splitlines() if request_id in ln)
        assert f"GET secclose/v1 /api/secclose/v1/{tail} " in line, line
        assert "error=" in line, line
