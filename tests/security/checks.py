"""Assertions shared by the security tests: problem+json shape and the absence of internals."""

from __future__ import annotations

import json
import re
import socket
from typing import Any

import httpx

PROBLEM_KEYS = {"type", "title", "status", "detail", "request_id"}
# What a stack trace, a SQL error or a file path looks like in a body.
INTERNALS = re.compile(
    r"Traceback|File \"|\.py\b|site-packages|sqlalchemy|psycopg|sqlite3|SELECT |INSERT ",
    re.IGNORECASE,
)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """A gateway-made problem+json (RFC 9457 §3) whose status and request id match."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json", response.headers
    body: dict[str, Any] = response.json()
    assert body.keys() >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["title"] and body["detail"]
    if code is not None:
        assert body["type"].endswith("#" + code), body["type"]
    assert response.headers["content-language"] in ("ja", "en")
    if "x-request-id" in response.headers:
        assert body["request_id"] == response.headers["x-request-id"]
    assert_no_internals(response)
    return body


def assert_no_internals(response: httpx.Response) -> None:
    assert not INTERNALS.search(response.text), response.text


def assert_no_rate_limit_fields(response: httpx.Response) -> None:
    """CONTRACT: the fields appear only on requests that reached the rate-limit step."""
    assert "ratelimit" not in response.headers, response.headers
    assert "ratelimit-policy" not in response.headers, response.headers


def raw_exchange(base_url: str, request: bytes, limit: int = 65536) -> bytes:
    """Send raw bytes on a fresh connection; returns what the server answered (bounded)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        return read_response(conn, limit)


def read_response(conn: socket.socket, limit: int = 65536) -> bytes:
    """One response off `conn`: until its Content-Length is complete or the server closes
    (bounded by `limit` bytes and the socket's timeout)."""
    received = b""
    while len(received) < limit:
        try:
            chunk = conn.recv(4096)
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
        if b"\r\n\r\n" in received and _complete(received):
            break
    return received


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def assert_raw_problem(answer: bytes, status: int, code: str) -> dict[str, Any]:
    """A problem+json answer read off a raw socket: status, code, a request id in the body that
    matches `X-Request-ID`, and nothing internal."""
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    assert status_line.split()[1] == str(status), answer[:400]
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    assert headers["content-type"] == "application/problem+json", headers
    problem: dict[str, Any] = json.loads(body)
    assert problem["status"] == status and problem["type"].endswith("#" + code), problem
    assert problem["request_id"] and problem["request_id"] == headers["x-request-id"]
    assert not INTERNALS.search(body.decode("utf-8", "replace")), body
    return problem
