"""Header rewriting for the upstream hop: hop-by-hop removal (RFC 9110 §7.6.1) and X-Forwarded-*.

Order matters (SECURITY-TESTS C13/C14): first drop hop-by-hop fields and every field the
`Connection` header names, then the caller's credentials and gateway-owned fields, and only then
add the gateway's own fields, so `Connection: X-Request-ID` cannot strip what the gateway adds.

A field name with anything but letters, digits and `-` is dropped (nginx's default): CGI/WSGI
upstreams turn `-` into `_`, so `X_Tsunagu_Client_Id` would arrive as the gateway's own field.
Identity-looking fields (`X-Forwarded-User`, `X-Client-Id`, `X-Real-IP`, client certificates,
…) are forwarded only from a trusted proxy (`TSUNAGU_TRUSTED_PROXIES`). On the way back,
`Set-Cookie` (every API shares the gateway's origin, so one API could set cookies for all),
`Server` and `X-Powered-By` are dropped; an API whose document says `x-upstream-cookies: true`
gets its cookies back rescoped to its own prefix (`rescoped_cookies`).

W3C Trace Context (`trace_context`): a valid `traceparent` goes upstream with the gateway's
own span id as its parent id, its `tracestate` unchanged; otherwise the gateway starts a trace.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from gateway.pipeline import Header

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"trailers",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Never forwarded: the caller's credentials, the Host (aiohttp sets the upstream's), fields
# the gateway sets itself, and Expect: the server in front of the gateway answers
# `100-continue` when the body is first read (RFC 9110 §10.1.1), while aiohttp would wait
# for an upstream 100 that many servers never send, with no timeout covering the wait.
_REQUEST_DROP = HOP_BY_HOP | {
    b"expect",
    b"authorization",
    b"x-api-key",
    b"host",
    b"forwarded",
    b"x-forwarded-for",
    b"x-forwarded-proto",
    b"x-forwarded-host",
    b"x-request-id",
    b"traceparent",  # re-issued with the gateway's own span id (`trace_context`)
    b"tracestate",
}
# Fields only the gateway may set on the upstream hop.
GATEWAY_PREFIX = b"x-tsunagu-"
# Caller-sent fields an upstream might read as who is calling: forwarded only from a trusted
# proxy. Every other `X-Forwarded-*` (beyond For/Proto/Host, which the gateway rewrites) too.
IDENTITY_FIELDS = frozenset(
    {
        b"x-client-id",
        b"x-consumer-id",
        b"x-consumer-username",
        b"x-consumer-custom-id",
        b"x-credential-identifier",
        b"x-authenticated-userid",
        b"x-authenticated-scope",
        b"x-anonymous-consumer",
        b"x-user",
        b"x-user-id",
        b"x-userid",
        b"x-remote-user",
        b"remote-user",
        b"x-auth-user",
        b"x-auth-request-user",
        b"x-auth-request-email",
        b"x-real-ip",
        b"x-client-ip",
        b"true-client-ip",
        b"cf-connecting-ip",
        b"x-cluster-client-ip",
        b"x-original-forwarded-for",
        b"x-ssl-client-cert",
        b"x-ssl-client-dn",
        b"x-ssl-client-verify",
        b"x-client-cert",
        b"x-client-verify",
        b"ssl-client-cert",
        b"x-arr-clientcert",
        b"x-jwt-assertion",
        b"x-endpoint-api-userinfo",
        b"x-apigateway-api-userinfo",
        b"x-amzn-oidc-identity",
        b"x-amzn-oidc-data",
        b"x-ms-client-principal",
        b"x-ms-client-principal-id",
        b"x-ms-client-principal-name",
        b"x-goog-authenticated-user-email",
        b"x-goog-authenticated-user-id",
    }
)
_IDENTITY_PREFIXES = (b"x-forwarded-",)
# Bytes a forwarded field name may consist of (already lower-cased by the server).
_NAME_BYTES = b"abcdefghijklmnopqrstuvwxyz0123456789-"
# The server in front of the client sets its own Date and Server; cookies and product banners
# of the upstream never reach the client.
_RESPONSE_DROP = HOP_BY_HOP | {b"date", b"server", b"x-powered-by", b"set-cookie", b"set-cookie2"}
# Fields that legitimately repeat: the upstream's values stay beside the gateway's.
_LISTS = frozenset({b"link", b"vary"})


def connection_named(headers: Iterable[Header]) -> frozenset[bytes]:
    """Lower-case field names listed in any `Connection` header."""
    names: set[bytes] = set()
    for name, value in headers:
        if name.lower() == b"connection":
            names.update(part.strip().lower() for part in value.split(b",") if part.strip())
    return frozenset(names)


def upstream_request_headers(
    headers: list[Header],
    *,
    peer: str,
    proto: str,
    request_id: str,
    client_id: str | None = None,
    trusted_sender: bool = False,
    trace: TraceContext | None = None,
) -> list[tuple[str, str]]:
    """The headers to send upstream, as aiohttp wants them (str pairs).

    `X-Tsunagu-Client-Id` names the verified app (SECURITY-TESTS A01): the upstream may use it
    for its own records because the gateway drops every caller-sent `X-Tsunagu-*` field, and
    every name that a CGI-style upstream could normalise into one, first, so no caller can
    forge it. `trusted_sender`: the peer is a trusted proxy, whose identity fields pass.
    `trace`: the W3C trace context to send (by default `trace_context(headers)`)."""
    named = connection_named(headers)
    out: list[tuple[str, str]] = []
    forwarded_for: list[str] = []
    host = ""
    for name, value in headers:
        if name in _REQUEST_DROP or name in named or name.startswith((b"proxy-", GATEWAY_PREFIX)):
            if name == b"host":
                host = value.decode("latin-1")
            elif name == b"x-forwarded-for":
                forwarded_for.append(value.decode("latin-1"))
            continue
        if name.translate(None, _NAME_BYTES):
            continue  # `_`, `.` or another byte an upstream may normalise into `-`
        if not trusted_sender and (name in IDENTITY_FIELDS or name.startswith(_IDENTITY_PREFIXES)):
            continue
        out.append((name.decode("latin-1"), value.decode("latin-1")))
    if peer:
        forwarded_for.append(peer)
    if forwarded_for:
        out.append(("X-Forwarded-For", ", ".join(forwarded_for)))
    out.append(("X-Forwarded-Proto", proto))
    if host:
        out.append(("X-Forwarded-Host", host))
    out.append(("X-Request-ID", request_id))
    trace = trace or trace_context(headers)
    out.append(("traceparent", trace.traceparent()))
    if trace.state:
        out.append(("tracestate", trace.state))
    if client_id:
        out.append(("X-Tsunagu-Client-Id", client_id))
    return out


def downstream_response_headers(
    raw: Iterable[tuple[bytes, bytes]], gateway: Iterable[Header] = ()
) -> list[Header]:
    """The upstream's response headers, names lower-cased for ASGI, minus hop-by-hop fields,
    CORS fields (the gateway answers CORS per API) and the single-valued fields the gateway
    sets itself in `gateway` (SECURITY-TESTS C34): an upstream echoing X-Request-ID or sending
    its own Access-Control-Allow-Origin must not make the client see two of them."""
    pairs = [(name.lower(), value) for name, value in raw]
    drop = _RESPONSE_DROP | connection_named(pairs) | ({name for name, _ in gateway} - _LISTS)
    return [
        (name, value)
        for name, value in pairs
        if name not in drop
        and not name.startswith(b"proxy-")
        and not name.startswith(b"access-control-")
    ]


def rescoped_cookies(raw: Iterable[tuple[bytes, bytes]], path: str) -> list[Header]:
    """The upstream's `Set-Cookie` fields with `Path` set to `path` (the API's own prefix) and
    any `Domain` removed, so one API's cookies never reach another API on the shared origin.
    `__Host-` cookies must have `Path=/` (RFC 6265bis §4.1.3.2) and are dropped."""
    out: list[Header] = []
    for name, value in raw:
        if name.lower() != b"set-cookie":
            continue
        pair, *attributes = value.split(b";")
        if pair.strip().lower().startswith(b"__host-"):
            continue
        kept = [
            attribute.strip()
            for attribute in attributes
            if attribute.strip()
            and attribute.split(b"=", 1)[0].strip().lower() not in (b"path", b"domain")
        ]
        out.append((b"set-cookie", b"; ".join([pair.strip(), b"Path=" + path.encode(), *kept])))
    return out


# W3C Trace Context (Level 1 §3.2.2): version-trace_id-parent_id-flags, lower-case hex; a
# version above 00 may carry more fields after a dash, and version ff is invalid.
_TRACEPARENT = re.compile(rb"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")
_KNOWN_FLAGS = 0x03  # sampled and random (Level 2); reserved bits are sent as zero
_NEW_TRACE_FLAGS = "01"  # sampled: the gateway's access log records every call


@dataclass(frozen=True, slots=True)
class TraceContext:
    """The trace the upstream call belongs to and the gateway's span in it."""

    trace_id: str
    span_id: str
    flags: str
    state: str | None  # the caller's tracestate, kept only when its traceparent was valid

    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"


def trace_context(headers: Iterable[Header]) -> TraceContext:
    """Continue the caller's trace with a new span id (the gateway is the upstream's parent), or
    start a trace when the caller sent no valid `traceparent` (absent, malformed, all-zero ids,
    version ff, or sent twice); `tracestate` travels only with a valid `traceparent`."""
    parents: list[bytes] = []
    states: list[bytes] = []
    for name, value in headers:
        if name == b"traceparent":
            parents.append(value)
        elif name == b"tracestate":
            states.append(value)
    incoming = _parse_traceparent(parents[0]) if len(parents) == 1 else None
    if incoming is None:
        return TraceContext(_random_id(16), _random_id(8), _NEW_TRACE_FLAGS, None)
    trace_id, flags = incoming
    state = ",".join(s.decode("latin-1").strip() for s in states if s.strip()) or None
    return TraceContext(trace_id, _random_id(8), flags, state)


def _parse_traceparent(value: bytes) -> tuple[str, str] | None:
    """The trace id and the flags to pass on, or None when `value` is not a valid traceparent."""
    match = _TRACEPARENT.fullmatch(value.strip())
    if match is None:
        return None
    version, trace_id, parent_id, flags, extra = match.groups()
    if version == b"ff" or (version == b"00" and extra is not None):
        return None
    if trace_id == b"0" * 32 or parent_id == b"0" * 16:
        return None
    return trace_id.decode(), f"{int(flags, 16) & _KNOWN_FLAGS:02x}"


def _random_id(size: int) -> str:
    """`size` random bytes as hex, never all zeros (an invalid id)."""
    while True:
        value = os.urandom(size)
        if any(value):
            return value.hex()
