"""FastAPI exception handlers of the platform app and the admin API: every error answers as
problem+json through the one `ProblemRenderer`, with the same request-id rule as the data
plane (the caller's sane `X-Request-ID`, which the platform envelope has already chosen).

- `Refusal` (raised by routes and dependencies) and `RegistryError` carry their catalogue code.
- Starlette's own HTTP errors (no route, wrong method) map by status; validation failures are
  400 `invalid-input`, not FastAPI's 422. No handler puts a stack trace or SQL in a response.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.policies.request_id import sane_request_id
from gateway.problems import ProblemRenderer, Refusal, preferred_language
from registry.errors import RegistryError
from registry.problems import Param, ProblemCode

log = logging.getLogger(__name__)


def request_id(request: Request) -> str:
    """The caller's `X-Request-ID` when it is sane, else a new one."""
    given = request.headers.get("x-request-id")
    if given is not None and sane_request_id(given.encode("latin-1", "replace")):
        return given
    return uuid.uuid4().hex


def problem_response(
    problems: ProblemRenderer,
    request: Request,
    code: ProblemCode,
    params: Mapping[str, Param] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    rid = request_id(request)
    language = preferred_language(request.headers.get("accept-language", "").encode("latin-1"))
    reply = problems.reply(code, request_id=rid, language=language, params=params)
    out = {k.decode(): v.decode() for k, v in reply.headers}
    out["X-Request-ID"] = rid
    out.update(headers or {})
    return Response(reply.body, status_code=reply.status, headers=out)


def _http_code(status: int) -> ProblemCode:
    if status == 404:
        return "page-not-found"
    if status == 405:
        return "method-not-allowed"
    return "bad-request" if status < 500 else "internal"


def validation_fields(exc: RequestValidationError) -> str:
    """One line naming each invalid field, e.g. `body.upstream_url: Field required`."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_problem_handlers(app: FastAPI, problems: ProblemRenderer) -> None:
    @app.exception_handler(Refusal)
    async def refused(request: Request, exc: Refusal) -> Response:
        return problem_response(problems, request, exc.code, exc.params, exc.headers)

    @app.exception_handler(RegistryError)
    async def registry_error(request: Request, exc: RegistryError) -> Response:
        level = logging.WARNING if exc.status >= 500 else logging.INFO  # 5xx: the operator's
        log.log(
            level,
            "%s %s refused: %s request_id=%s",
            request.method,
            request.url.path,
            exc.message,
            request_id(request),
        )
        return problem_response(problems, request, exc.code, exc.params)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _http_code(exc.status_code)
        headers = dict(exc.headers or {})
        params: dict[str, Param] = {
            "path": request.url.path,
            "method": request.method,
            "allow": headers.get("Allow", headers.get("allow", "")),
            "reason": str(exc.detail),
        }
        return problem_response(problems, request, code, params, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return problem_response(
            problems, request, "invalid-input", {"fields": validation_fields(exc)}
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette re-raises after this answer; the platform envelope logs it with the id.
        return problem_response(problems, request, "internal")
