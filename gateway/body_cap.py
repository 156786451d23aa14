"""Bounded request bodies on the platform routers (admin API, OAuth): 413 problem+json.

FastAPI reads a whole body before any dependency runs, so neither a size check nor the admin
API's authentication could stop a huge body in time. This pure-ASGI wrapper sits in front:
it first runs `admit` (the admin API's bearer check) on the headers alone, then reads the body
itself, counting bytes as they arrive (a declared Content-Length over the cap is refused at
once, but never trusted), answers 413 as soon as the count passes the cap, and hands the app
the body it buffered, so memory per request stays below the cap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.oauth.challenge import bearer_challenge
from gateway.oauth.verifier import InvalidToken, TokenVerifier
from gateway.pipeline import Reply
from gateway.policies.auth import bearer_token
from gateway.problems import ProblemRenderer, preferred_language
from registry.problems import Param, ProblemCode, Text

Admit = Callable[[Scope, ProblemRenderer], Reply | None]


class BodyCap:
    """Caps the bodies `app` sees at `limit` bytes; paths under `exempt` pass untouched."""

    def __init__(
        self,
        app: ASGIApp,
        problems: ProblemRenderer,
        limit: int,
        *,
        admit: Admit | None = None,
        exempt: Sequence[str] = (),
    ) -> None:
        self._app = app
        self._problems = problems
        self._limit = limit
        self._admit = admit
        self._exempt = tuple(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"].startswith(self._exempt)
            or not _has_body(scope["headers"])
        ):
            await self._app(scope, receive, send)
            return
        if self._admit is not None:
            refused = self._admit(scope, self._problems)
            if refused is not None:
                await _send_reply(refused, send)
                return
        declared = _header(scope["headers"], b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._limit:
            await _send_reply(self._too_large(scope), send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self._limit:
                await _send_reply(self._too_large(scope), send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self._app(scope, _replay(b"".join(chunks), receive), send)

    def _too_large(self, scope: Scope) -> Reply:
        return _problem(
            self._problems,
            scope,
            "payload-too-large",
            limit=self._limit,
        )


_TWO_HEADERS = Text(
    "Authorization ヘッダーはひとつだけ送ってください", "send exactly one Authorization header"
)


def bearer_required(verifier: TokenVerifier) -> Admit:
    """The admin API's check before any body byte is read: one `Authorization: Bearer` header
    carrying a valid token, else 401 (400 `invalid_request` for two Authorization headers,
    RFC 6750 §3.1). Scopes are still checked by the routes."""

    def admit(scope: Scope, problems: ProblemRenderer) -> Reply | None:
        values = [v for k, v in scope["headers"] if k == b"authorization"]
        if len(values) > 1:
            headers = bearer_challenge("invalid_request", "Send exactly one Authorization header.")
            return _problem(problems, scope, "bad-request", headers, reason=_TWO_HEADERS)
        token = bearer_token(values[0] if values else None)
        if token is None:
            return _problem(problems, scope, "missing-token", bearer_challenge())
        try:
            verifier.verify(token)
        except InvalidToken as exc:
            headers = bearer_challenge("invalid_token", exc.reason)
            return _problem(problems, scope, exc.code, headers, reason=exc.explanation)
        return None

    return admit


def _has_body(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name == b"transfer-encoding" or (name == b"content-length" and value != b"0"):
            return True
    return False


def _header(headers: list[tuple[bytes, bytes]], wanted: bytes) -> bytes | None:
    return next((v for k, v in headers if k == wanted), None)


def _problem(
    problems: ProblemRenderer,
    scope: Scope,
    code: ProblemCode,
    headers: list[tuple[bytes, bytes]] | None = None,
    **params: Param,
) -> Reply:
    """The platform envelope has already put a sane X-Request-ID in the scope's headers."""
    request_id = _header(scope["headers"], b"x-request-id") or b""
    language = preferred_language(_header(scope["headers"], b"accept-language"))
    return problems.reply(
        code,
        request_id=request_id.decode("latin-1"),
        language=language,
        params=params,
        headers=headers,
    )


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that yields the buffered body once, then defers to the server's."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send_reply(reply: Reply, send: Send) -> None:
    headers = [*reply.headers, (b"content-length", str(len(reply.body)).encode())]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
