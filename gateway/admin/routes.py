"""The admin API's routes: each one calls the `RegistryService` method of the same name.

Authorization is decided by the service from the injected `Principal` (operators may do
anything, a provider only acts on its own provider's APIs); the routes only translate HTTP to
service calls and read models back to JSON. Endpoints are sync: FastAPI runs them in its
thread pool, where the store's blocking database calls belong. (No `from __future__ import
annotations` here: FastAPI must resolve the `Actor` alias, which is local to each factory.)
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, status

from gateway.admin.schemas import (
    ApiKeyIn,
    ApiKeyOut,
    AppIn,
    BrownoutIn,
    DeprecateIn,
    ProviderIn,
    RegisterIn,
    WaiveIn,
)
from registry.brownouts import parse_start
from registry.models import (
    ApiSummary,
    ApiVersionView,
    ChangeLogEntry,
    ConsumerRow,
    CreatedApp,
    Provider,
    RatePlan,
    RegisterResult,
)
from registry.principal import Principal
from registry.service import RegistryService
from registry.usage.operations import parse_period
from registry.usage.stats import VersionStats

PrincipalDependency = Callable[..., Any]
SlugPath = Annotated[str, Path(min_length=1, max_length=100)]
VersionPath = Annotated[str, Path(pattern=r"^v\d+$")]


def accounts_router(service: RegistryService, principal: PrincipalDependency) -> APIRouter:
    """Providers, apps and the change log."""
    router = APIRouter()
    Actor = Annotated[Principal, Depends(principal)]

    @router.post("/providers", status_code=status.HTTP_201_CREATED, tags=["providers"])
    def add_provider(actor: Actor, body: ProviderIn) -> Provider:
        return service.add_provider(
            actor, body.id, body.name_ja, body.name_en, body.contact, notice_days=body.notice_days
        )

    @router.get("/providers/{provider_id}", tags=["providers"])
    def get_provider(actor: Actor, provider_id: SlugPath) -> Provider:
        return service.get_provider(actor, provider_id)

    @router.post("/apps", status_code=status.HTTP_201_CREATED, tags=["apps"])
    def create_app(actor: Actor, body: AppIn) -> CreatedApp:
        """Create an app; the response is the only place its client secret ever appears."""
        return service.create_app(actor, body.name, body.owner, body.scopes, body.sandbox)

    @router.post("/apps/{client_id}/api-keys", status_code=status.HTTP_201_CREATED, tags=["apps"])
    def create_api_key(actor: Actor, client_id: str, body: ApiKeyIn) -> ApiKeyOut:
        """An API key for open-data APIs; the response is the only place it ever appears."""
        key = service.create_api_key(actor, client_id, body.apis)
        return ApiKeyOut(api_key=key, client_id=client_id, apis=body.apis)

    @router.get("/changes", tags=["change log"])
    def change_log(
        actor: Actor, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[ChangeLogEntry]:
        return service.change_log(actor, limit=limit)

    return router


def apis_router(service: RegistryService, principal: PrincipalDependency) -> APIRouter:
    """APIs and their versions through the lifecycle."""
    router = APIRouter(prefix="/apis", tags=["apis"])
    Actor = Annotated[Principal, Depends(principal)]

    @router.post("", status_code=status.HTTP_201_CREATED)
    def register(actor: Actor, body: RegisterIn) -> RegisterResult:
        """Store a draft version (lint errors do not block the draft, only publishing)."""
        document = body.document.encode("utf-8")
        return service.register(
            actor, body.provider_id, document, body.upstream_url, slug=body.slug
        )

    @router.get("")
    def list_apis(actor: Actor) -> list[ApiSummary]:
        return service.list_apis(actor)

    @router.get("/{slug}/{version}")
    def get_version(actor: Actor, slug: SlugPath, version: VersionPath) -> ApiVersionView:
        return service.get_version(actor, slug, version)

    @router.post("/{slug}/{version}/publish")
    def publish(actor: Actor, slug: SlugPath, version: VersionPath) -> ApiVersionView:
        return service.publish(actor, slug, version)

    @router.post("/{slug}/{version}/deprecate")
    def deprecate(
        actor: Actor, slug: SlugPath, version: VersionPath, body: DeprecateIn
    ) -> ApiVersionView:
        return service.deprecate(
            actor, slug, version, body.sunset, successor=body.successor, note=body.note
        )

    @router.post("/{slug}/{version}/retire")
    def retire(actor: Actor, slug: SlugPath, version: VersionPath) -> ApiVersionView:
        return service.retire(actor, slug, version)

    @router.post("/{slug}/{version}/brownouts", status_code=status.HTTP_201_CREATED)
    def brownout(
        actor: Actor, slug: SlugPath, version: VersionPath, body: BrownoutIn
    ) -> ApiVersionView:
        """Schedule a brownout of a deprecated version (410 `brownout` during the window)."""
        return service.brownout(actor, slug, version, parse_start(body.start), body.minutes)

    @router.post("/{slug}/{version}/waive")
    def waive(actor: Actor, slug: SlugPath, version: VersionPath, body: WaiveIn) -> ApiVersionView:
        """Operators only: accept one rule's error findings with a recorded reason."""
        return service.waive(actor, slug, version, body.rule, body.reason)

    @router.put("/{slug}/{version}/plan")
    def set_plan(
        actor: Actor, slug: SlugPath, version: VersionPath, body: RatePlan
    ) -> ApiVersionView:
        """Operators only: the version's rate-limit plan."""
        return service.set_plan(actor, slug, version, body)

    @router.get("/{slug}/{version}/consumers")
    def consumers(actor: Actor, slug: SlugPath, version: VersionPath) -> list[ConsumerRow]:
        return service.consumers(actor, slug, version)

    @router.get("/{slug}/{version}/stats")
    def stats(
        actor: Actor,
        slug: SlugPath,
        version: VersionPath,
        since: Annotated[str, Query(max_length=8, description="1h, 24h, 7d …")] = "24h",
    ) -> VersionStats:
        """Traffic, errors and latency against the objective (`tsunagu status` figures)."""
        return service.version_stats(actor, slug, version, parse_period(since))

    return router
