"""The FastAPI application for everything off the hot path: health, metrics, OAuth, admin.

The pure-ASGI data plane (`gateway.asgi.DataPlane`) falls through to this app for every path
that is not `/api/…` or `/sandbox/…` (ADR 0002). Errors here are problem+json too.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from gateway.problems import ProblemRenderer, preferred_language
from registry.errors import RegistryError
from registry.problems import CATALOGUE

log = logging.getLogger(__name__)

STATUS_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    410: "gone",
    413: "payload-too-large",
    429: "rate-limited",
    503: "service-unavailable",
}
ReadinessCheck = Callable[[], Awaitable[str | None]]  # None when ready, else the reason


def build_platform_app(
    problems: ProblemRenderer,
    readiness: Sequence[tuple[str, ReadinessCheck]],
    render_metrics: Callable[[], tuple[bytes, str]],
    routers: Sequence[APIRouter] = (),
    mounts: Sequence[tuple[str, ASGIApp]] = (),
) -> FastAPI:
    app = FastAPI(title="Tsunagu", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        failures = {}
        for name, check in readiness:
            reason = await check()
            if reason is not None:
                failures[name] = reason
        if failures:
            return JSONResponse({"status": "unavailable", "checks": failures}, status_code=503)
        return JSONResponse({"status": "ready", "checks": {n: "ok" for n, _ in readiness}})

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body, content_type = render_metrics()
        return Response(body, media_type=content_type)

    for router in routers:
        app.include_router(router)
    for prefix, sub in mounts:
        app.mount(prefix, sub)
    _install_problem_handlers(app, problems)
    return app


def _install_problem_handlers(app: FastAPI, problems: ProblemRenderer) -> None:
    def render(
        request: Request, status: int, detail: str, extra: Mapping[str, str] | None = None
    ) -> Response:
        code = STATUS_CODES.get(status, "bad-request" if status < 500 else "internal")
        kind = CATALOGUE[code]
        reply = problems.reply(
            code,
            detail,
            request_id=request.headers.get("x-request-id") or uuid.uuid4().hex,
            language=preferred_language(request.headers.get("accept-language", "").encode()),
        )
        headers = {k.decode(): v.decode() for k, v in reply.headers}
        headers.update(extra or {})
        return Response(reply.body, status_code=kind.status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return render(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RegistryError)
    async def registry_error(request: Request, exc: RegistryError) -> Response:
        log.warning("%s %s: %s", request.method, request.url.path, exc.message)
        return render(request, exc.status, exc.message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette re-raises after this answer; the platform envelope logs it with the id.
        return render(request, 500, "An unexpected error occurred; it has been logged.")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return render(request, 400, "; ".join(str(e.get("msg")) for e in exc.errors()))
