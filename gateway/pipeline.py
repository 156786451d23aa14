"""The request pipeline's shapes: the per-request `Exchange`, a `Policy`, a terminal `Handler`.

Modelled on Kong's plugin phases: a policy acts in `on_request` (it may answer early with a
`Reply`, which ends the pipeline) and in `on_complete` (after the response went out: metrics,
usage). Headers a policy wants on *every* response (request id, rate-limit, deprecation) go into
`exchange.response_headers`; whoever sends the response (a `Reply` or the handler) appends them.
The order of policies is one explicit tuple in `gateway.app`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from registry.models import RouteEntry
from registry.problems import Language, ProblemCode

PATH_SAFETY = "path-safety"  # the policy every tuple must end with (gateway.policies.path_safety)

Header = tuple[bytes, bytes]
Scope = dict[str, Any]
Message = dict[str, Any]


class Receive(Protocol):
    async def __call__(self) -> Message: ...


class Send(Protocol):
    async def __call__(self, message: Message) -> None: ...


@dataclass(slots=True)
class TokenClaims:
    """The verified parts of an access token (or an API key) that later policies use."""

    subject: str
    client_id: str
    scopes: frozenset[str]
    sandbox: bool
    jti: str | None = None
    expires_at: int = 0
    via_api_key: bool = False


@dataclass(slots=True)
class Reply:
    """A complete, small response produced by a policy (errors, preflight, sandbox answers)."""

    status: int
    body: bytes = b""
    headers: list[Header] = field(default_factory=list)


@dataclass(slots=True)
class Exchange:
    """One request travelling through the pipeline."""

    scope: Scope
    receive: Receive
    kind: Literal["api", "sandbox"]
    method: str
    slug: str
    version: str
    rest_path: str  # the part after /{kind}/{slug}/{version}, always starting with "/"
    query_string: bytes
    request_headers: list[Header]
    started_ns: int
    request_id: str = ""
    language: Language = "ja"
    route: RouteEntry | None = None
    claims: TokenClaims | None = None
    client_ip: str = ""
    response_headers: list[Header] = field(default_factory=list)
    status: int = 0
    error_code: ProblemCode | None = None  # set by `ProblemRenderer.refuse` on an error answer
    upstream_seconds: float = 0.0
    trace_id: str | None = None  # W3C trace id, set when the call goes upstream

    def header(self, name: bytes) -> bytes | None:
        """First request header with this lower-case name."""
        for key, value in self.request_headers:
            if key == name:
                return value
        return None


class Policy(Protocol):
    """One gateway concern. Return a `Reply` from `on_request` to answer early."""

    name: str

    async def on_request(self, exchange: Exchange) -> Reply | None: ...

    def on_complete(self, exchange: Exchange) -> None: ...


class Handler(Protocol):
    """The terminal step (proxy or sandbox): sends the response itself, streaming if it wants.

    It must set `exchange.status` and append `exchange.response_headers` to what it sends.
    """

    async def __call__(self, exchange: Exchange, send: Send) -> None: ...


class ResponseAborted(Exception):
    """Raised by a handler to abort a response it already started (already logged)."""


async def send_reply(exchange: Exchange, reply: Reply, send: Send) -> None:
    """Send a complete `Reply` with `exchange.response_headers` and a Content-Length."""
    exchange.status = reply.status
    headers = [*reply.headers, *exchange.response_headers]
    headers.append((b"content-length", str(len(reply.body)).encode()))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
