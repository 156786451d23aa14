"""Answers the HTTP server itself sends when it refuses a request before the application runs.

They are complete HTTP/1.1 responses as bytes (problem+json, `Connection: close`, a request id)
because the protocol writes them straight to the transport: no ASGI app is involved, so a
malformed or oversized request never reaches the routers.
"""

from __future__ import annotations

import http
import uuid

from gateway.problems import ProblemRenderer, preferred_language
from registry.problems import Param, ProblemCode


class Refusal(Exception):
    """Raised from a parser callback: the request is refused with `code` (catalogue) and its
    parameters; the protocol catches it, answers and closes the connection."""

    def __init__(self, code: ProblemCode, **params: Param) -> None:
        super().__init__(code)
        self.code: ProblemCode = code
        self.params = params


def refusal_bytes(
    problems: ProblemRenderer, refusal: Refusal, accept_language: bytes | None
) -> bytes:
    """The whole response for `refusal`, in the language the request asked for (if it got
    that far), with a fresh request id in the body and in `X-Request-ID`."""
    request_id = uuid.uuid4().hex
    reply = problems.reply(
        refusal.code,
        request_id=request_id,
        language=preferred_language(accept_language),
        params=refusal.params,
    )
    phrase = http.HTTPStatus(reply.status).phrase
    lines = [f"HTTP/1.1 {reply.status} {phrase}".encode()]
    for name, value in reply.headers:
        lines.append(name + b": " + value)
    lines.append(b"x-request-id: " + request_id.encode())
    lines.append(b"content-length: " + str(len(reply.body)).encode())
    lines.append(b"connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + reply.body
