"""The admin API's exception handlers: every error as RFC 9457 problem details (section 3).

Registry errors keep their own stable code (`registry.errors`); HTTP and validation errors use
the gateway catalogue (`gateway.problems`). Validation failures are 400, not FastAPI's 422, and
no handler ever puts a stack trace or a SQL statement in a response. Every problem carries
`Content-Language` (RULES.md, gateway behaviour): the catalogue's titles follow
Accept-Language, the registry's own messages are English.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Literal

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.problems import PROBLEM_JSON, preferred_language
from registry.errors import RegistryError
from registry.problems import CATALOGUE
from registry.urls import error_page_url

_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_HTTP_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    429: "rate-limited",
    503: "service-unavailable",
}


def request_id(request: Request) -> str:
    """The caller's `X-Request-ID` when it is sane, else a new one."""
    given = request.headers.get("x-request-id", "")
    return given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


class ProblemResponder:
    """Builds problem+json responses whose `type` URIs live under the portal's error page."""

    def __init__(self, public_url: str) -> None:
        self._public_url = public_url

    def respond(
        self,
        request: Request,
        *,
        code: str,
        title: str,
        status: int,
        detail: str,
        language: Literal["ja", "en"] = "en",
        headers: dict[str, str] | None = None,
    ) -> Response:
        """`language` is the language of `title` and `detail` (registry messages are English)."""
        rid = request_id(request)
        body: dict[str, Any] = {
            "type": error_page_url(self._public_url, code),
            "title": title,
            "status": status,
            "detail": detail,
            "request_id": rid,
        }
        out = {"X-Request-ID": rid, "Content-Language": language, **(headers or {})}
        return Response(orjson.dumps(body), status, out, PROBLEM_JSON.decode())

    def from_catalogue(self, request: Request, status: int, detail: str) -> Response:
        code = _HTTP_CODES.get(status, "bad-request" if status < 500 else "internal")
        kind = CATALOGUE[code]
        language = preferred_language(request.headers.get("accept-language", "").encode())
        title = kind.title_en if language == "en" else kind.title_ja
        return self.respond(
            request, code=code, title=title, status=status, detail=detail, language=language
        )


def validation_detail(exc: RequestValidationError) -> str:
    """One line naming each invalid field, e.g. `body.upstream_url: Field required`."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_problem_handlers(app: FastAPI, responder: ProblemResponder) -> None:
    @app.exception_handler(RegistryError)
    async def registry_error(request: Request, exc: RegistryError) -> Response:
        return responder.respond(
            request, code=exc.code, title=exc.title, status=exc.status, detail=exc.message
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = responder.from_catalogue(request, exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return responder.from_catalogue(request, 400, validation_detail(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette re-raises after this answer; the platform envelope logs it with the id.
        return responder.from_catalogue(request, 500, "An unexpected error occurred.")
