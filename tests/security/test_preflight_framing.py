"""A CORS preflight's 204 is framed as RFC 9110 §8.6 and §6.4.1 say: no Content-Length, no
Transfer-Encoding, no content. Read off a raw socket, so no client library tidies it up."""

from __future__ import annotations

import pytest

from tests.security.checks import raw_exchange
from tests.security.conftest import Gateway
from tests.security.stack import ALLOWED_ORIGIN


@pytest.mark.parametrize("origin", [ALLOWED_ORIGIN, "https://evil.example"])
def test_preflight_204_has_no_content_length(gateway: Gateway, origin: str) -> None:
    host = gateway.server.base_url.removeprefix("http://")
    request = (
        f"OPTIONS /api/secapi/v3/corporations HTTP/1.1\r\nHost: {host}\r\n"
        f"Origin: {origin}\r\nAccess-Control-Request-Method: GET\r\nConnection: close\r\n\r\n"
    ).encode()
    answer = raw_exchange(gateway.server.base_url, request)
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.split(b"\r\n")
    assert status.startswith(b"HTTP/1.1 204 "), answer
    names = {line.split(b":", 1)[0].strip().lower() for line in lines}
    assert b"content-length" not in names, head
    assert b"transfer-encoding" not in names, head
    assert (b"access-control-allow-origin" in names) is (origin == ALLOWED_ORIGIN)
    assert body == b""
