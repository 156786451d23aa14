"""Builds the admin sub-application the platform app mounts at `/admin/v1`."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.security import HTTPBearer

from gateway.admin.notices import notices_router
from gateway.admin.routes import PrincipalDependency, accounts_router, apis_router
from gateway.problem_handlers import install_problem_handlers
from gateway.problems import ProblemRenderer
from registry.service import RegistryService


def build_admin_app(
    service: RegistryService,
    principal_dependency: PrincipalDependency,
    *,
    public_url: str = "http://127.0.0.1:8000",
) -> FastAPI:
    """The admin API over `service`; `principal_dependency` says who is calling.

    `principal_dependency` is a FastAPI dependency returning a `Principal` (the platform wires
    OAuth bearer tokens into it). Mounted at `/admin/v1`, the OpenAPI document is served at
    `/admin/v1/openapi.json`; there is no interactive docs page (it would load scripts from a
    CDN). `public_url` is the base of the problem `type` URIs.
    """
    app = FastAPI(
        title="Tsunagu admin API",
        version="1",
        description="Providers and operators: register, publish, deprecate and retire APIs.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        # Documents the bearer token in the OpenAPI document; `principal_dependency` checks it.
        dependencies=[Depends(HTTPBearer(auto_error=False))],
    )
    app.include_router(accounts_router(service, principal_dependency))
    app.include_router(apis_router(service, principal_dependency))
    app.include_router(notices_router(service, principal_dependency))
    install_problem_handlers(app, ProblemRenderer(public_url))
    return app
