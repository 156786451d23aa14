"""Request bodies on the platform routers (admin API, OAuth) on a real server: the admin API
authenticates before it reads a body, and every body is counted against a cap while it streams
(413 problem+json), whatever Content-Length says (ADR 0014)."""

from __future__ import annotations

import socket

from tests.security.checks import assert_problem, assert_raw_problem, bearer, read_response
from tests.security.conftest import Gateway

ADMIN_CAP = 4 * 1024 * 1024  # TSUNAGU_PLATFORM_MAX_BODY_BYTES' default
FORM_CAP = 64 * 1024


def _send_then_read(base_url: str, head: bytes, body_bytes: int) -> bytes:
    """Send `head`, then up to `body_bytes` of body while the server reads; return its answer
    (the server may answer and close before the body is complete)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=15) as sock:
        chunk = b"a" * 65536
        sent = 0
        try:
            sock.sendall(head)
            while sent < body_bytes:
                sock.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass  # refused mid-body: the answer is already waiting
        return read_response(sock)


def test_unauthenticated_admin_bodies_are_refused_before_reading(gateway: Gateway) -> None:
    head = (
        "POST /admin/v1/apis HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
        f"Content-Length: {100 * 1024 * 1024}\r\n\r\n"
    ).encode()
    answer = _send_then_read(gateway.server.base_url, head, 256 * 1024)
    assert_raw_problem(answer, 401, "missing-token")
    forged = gateway.http.post(
        "/admin/v1/apis", headers={"Authorization": "Bearer forged"}, content=b"{}" * 10
    )
    assert_problem(forged, 401, "invalid-token")
    assert 'error="invalid_token"' in forged.headers["www-authenticate"]


def test_admin_bodies_over_the_cap_are_413_by_count_not_by_declaration(gateway: Gateway) -> None:
    token = bearer(gateway.token("operator"))["Authorization"]
    declared = (
        f"POST /admin/v1/apis HTTP/1.1\r\nHost: gw\r\nAuthorization: {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {ADMIN_CAP + 1}\r\n\r\n"
    ).encode()
    assert_raw_problem(
        _send_then_read(gateway.server.base_url, declared, 0), 413, "payload-too-large"
    )
    chunked = (
        f"POST /admin/v1/apis HTTP/1.1\r\nHost: gw\r\nAuthorization: {token}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    piece = b"10000\r\n" + b"a" * 65536 + b"\r\n"
    body = piece * (ADMIN_CAP // 65536 + 2)
    answer = _send_then_read(gateway.server.base_url, chunked + body, 0)
    assert_raw_problem(answer, 413, "payload-too-large")
    # Under the cap the request reaches the admin API, which judges the JSON itself.
    small = gateway.http.post(
        "/admin/v1/apis", headers={"Authorization": token}, content=b"{not json"
    )
    assert_problem(small, 400)


def test_oauth_form_bodies_over_the_cap_are_413(gateway: Gateway) -> None:
    response = gateway.http.post(
        "/oauth/token",
        content=b"grant_type=client_credentials&pad=" + b"a" * (FORM_CAP + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en"},
    )
    body = assert_problem(response, 413, "payload-too-large")
    assert body["title"] == "Request body too large"
    assert gateway.token("consumer")  # ordinary token requests still work
