"""Admin API routes for production access decisions and app disabling (ADR 0025), included
into `/admin/v1` by the composition root. Providers see and decide their own APIs' requests.

(No `from __future__ import annotations`: FastAPI resolves the local `Actor` alias.)
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from registry.accounts.access import REASON_MAX, AccessService
from registry.models import AccessRequestView, AccessState
from registry.principal import Principal


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str | None = Field(default=None, max_length=REASON_MAX)


def access_admin_router(access: AccessService, principal: Callable[..., Any]) -> APIRouter:
    router = APIRouter()
    Actor = Annotated[Principal, Depends(principal)]
    RequestId = Annotated[int, Path(ge=1)]

    @router.get("/access-requests", tags=["access"])
    def list_requests(
        actor: Actor, state: Annotated[AccessState | None, Query()] = AccessState.PENDING
    ) -> list[AccessRequestView]:
        """Production access requests for the caller's APIs (all of them for operators)."""
        return access.list_requests(actor, state)

    @router.post("/access-requests/{request_id}/approve", tags=["access"])
    def approve(actor: Actor, request_id: RequestId, body: DecisionIn) -> AccessRequestView:
        """Grant the API to the app and mail the developer."""
        return access.decide(actor, request_id, True, body.reason)

    @router.post("/access-requests/{request_id}/deny", tags=["access"])
    def deny(actor: Actor, request_id: RequestId, body: DecisionIn) -> AccessRequestView:
        return access.decide(actor, request_id, False, body.reason)

    @router.post("/apps/{client_id}/disable", status_code=status.HTTP_204_NO_CONTENT, tags=["apps"])
    def disable(actor: Actor, client_id: str) -> None:
        """Operators only: the app's tokens stop working within the snapshot refresh."""
        access.disable_app(actor, client_id)

    return router
