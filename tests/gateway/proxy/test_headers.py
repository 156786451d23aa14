"""Header rewriting for the upstream hop, both ways (the black-box side is in
tests/security/test_edge_upstream.py)."""

from __future__ import annotations

from gateway.proxy.headers import (
    downstream_response_headers,
    rescoped_cookies,
    upstream_request_headers,
)

SENT = [
    (b"x_tsunagu_client_id", b"forged"),
    (b"x-tsunagu.client.id", b"forged"),
    (b"x-forwarded-user", b"admin"),
    (b"x-forwarded-port", b"443"),
    (b"x-real-ip", b"10.0.0.1"),
    (b"remote-user", b"admin"),
    (b"accept", b"application/json"),
]


def _names(headers: list[tuple[str, str]]) -> set[str]:
    return {name.lower() for name, _ in headers}


def test_names_an_upstream_could_fold_into_another_are_dropped() -> None:
    out = upstream_request_headers(SENT, peer="192.0.2.1", proto="https", request_id="r1")
    names = _names(out)
    assert "accept" in names
    assert not {n for n in names if "_" in n or "." in n}
    assert not {"x-forwarded-user", "x-forwarded-port", "x-real-ip", "remote-user"} & names


def test_identity_fields_pass_only_from_a_trusted_sender() -> None:
    out = upstream_request_headers(
        SENT, peer="10.0.0.2", proto="https", request_id="r1", trusted_sender=True
    )
    names = _names(out)
    assert {"x-forwarded-user", "x-real-ip", "remote-user"} <= names
    assert not {n for n in names if "_" in n or "." in n}  # never, whoever sends them


def test_cookies_and_banners_never_reach_the_client() -> None:
    raw = [
        (b"Set-Cookie", b"a=1; Path=/"),
        (b"Server", b"Apache/2.2"),
        (b"X-Powered-By", b"PHP/5.4"),
        (b"Content-Type", b"application/json"),
    ]
    assert downstream_response_headers(raw) == [(b"content-type", b"application/json")]


def test_opted_in_cookies_are_rescoped_to_the_apis_prefix() -> None:
    raw = [
        (b"Set-Cookie", b"a=1; Path=/; Domain=example.jp; HttpOnly; Secure"),
        (b"set-cookie", b"b=2"),
        (b"Set-Cookie", b"__Host-c=3; Path=/; Secure"),
        (b"Content-Type", b"application/json"),
    ]
    assert rescoped_cookies(raw, "/api/x/v1/") == [
        (b"set-cookie", b"a=1; Path=/api/x/v1/; HttpOnly; Secure"),
        (b"set-cookie", b"b=2; Path=/api/x/v1/"),
    ]
