"""Slow and numerous clients on a real server (SECURITY-TESTS C23): a deadline for receiving a
request head and a cap on open connections per process, both answered with problem+json.

This module runs its own `tsunagu serve` with a 2-second head deadline and room for 4
connections, so that the limits are reached with a handful of sockets.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.e2e.harness import Server, serve
from tests.security.checks import assert_raw_problem
from tests.security.conftest import Seeded

CAP = 4


@pytest.fixture(scope="module")
def server(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {
        **seeded.env,
        "TSUNAGU_HEADER_TIMEOUT_SECONDS": "2",
        "TSUNAGU_MAX_CONNECTIONS": str(CAP),
    }
    with serve(env, Path(tmp_path_factory.mktemp("slow"))) as running:
        yield running


def _connect(server: Server) -> socket.socket:
    host, port = server.base_url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=15)


def _read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes (bounded by the socket timeout and 64 KiB)."""
    received = b""
    while len(received) < 65536:
        chunk = sock.recv(4096)
        if not chunk:
            return received
        received += chunk
    return received


def test_a_head_that_never_ends_is_cut_with_408(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /api/secapi/v3/corporations HTTP/1.1\r\nHost: gw\r\nX-Slow: a")
        answer = _read_all(sock)  # the server must answer and close; the client waits
    assert_raw_problem(answer, 408, "request-timeout")


def test_a_connection_that_sends_nothing_is_closed(server: Server) -> None:
    with _connect(server) as sock:
        assert _read_all(sock) == b""


def test_connections_over_the_cap_are_refused_with_503(server: Server) -> None:
    answers = []
    with ExitStack() as stack:
        socks = [stack.enter_context(_connect(server)) for _ in range(CAP + 2)]
        for sock in socks:
            sock.settimeout(0.5)
            try:
                answers.append(sock.recv(65536))
            except TimeoutError:
                answers.append(b"")  # accepted and waiting for a request
    refused = [a for a in answers if a]
    assert refused, "no connection over the cap was refused"
    for answer in refused:
        assert_raw_problem(answer, 503, "too-many-connections")
    assert httpx.get(server.base_url + "/healthz", timeout=10).status_code == 200
