"""The FastAPI application for everything off the hot path: health, metrics, OAuth, admin.

The pure-ASGI data plane (`gateway.asgi.DataPlane`) falls through to this app for every path
that is not `/api/…` or `/sandbox/…` (ADR 0002). Errors here are problem+json too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp

from gateway.metrics_exposure import CHALLENGE, MetricsEndpoint
from gateway.problem_handlers import install_problem_handlers
from gateway.problems import ProblemRenderer, Refusal

ReadinessCheck = Callable[[], Awaitable[str | None]]  # None when ready, else the reason


def build_platform_app(
    problems: ProblemRenderer,
    readiness: Sequence[tuple[str, ReadinessCheck]],
    metrics: MetricsEndpoint | None,
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

    if metrics is not None:  # None: served on TSUNAGU_METRICS_ADDRESS instead

        @app.get("/metrics", include_in_schema=False)
        async def metrics_text(request: Request) -> Response:
            if not metrics.authorized(request.headers.get("authorization")):
                raise Refusal("metrics-token-required", headers={"WWW-Authenticate": CHALLENGE})
            body, content_type = await metrics.render()
            return Response(body, media_type=content_type)

    for router in routers:
        app.include_router(router)
    for prefix, sub in mounts:
        app.mount(prefix, sub)
    install_problem_handlers(app, problems)
    return app
