"""The admin API's notice routes: the outbox (list, retry), app webhooks and subscriptions.

Sync endpoints like the other admin routes (the store's calls run in FastAPI's thread pool).
No `from __future__ import annotations`: FastAPI must resolve the local `Actor` alias.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from gateway.admin.routes import PrincipalDependency
from registry.notices.models import DeliveryState
from registry.principal import Principal
from registry.service import RegistryService

NoticeId = Annotated[str, Path(min_length=1, max_length=64)]
ClientId = Annotated[str, Path(min_length=1, max_length=64)]
SlugPath = Annotated[str, Path(min_length=1, max_length=100)]


class WebhookIn(BaseModel):
    url: str = Field(min_length=1, max_length=2048)


class WebhookOut(BaseModel):
    client_id: str
    url: str
    secret: str = Field(description="the `whsec_…` signing secret; shown only in this response")


class SubscriptionOut(BaseModel):
    client_id: str
    slug: str
    subscribed: bool
    new: bool


def notices_router(service: RegistryService, principal: PrincipalDependency) -> APIRouter:
    router = APIRouter()
    Actor = Annotated[Principal, Depends(principal)]

    @router.get("/notices", tags=["notices"])
    def list_notices(
        actor: Actor,
        state: DeliveryState | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        """Notices in the outbox, newest first (operators only)."""
        return [d.as_document() for d in service.list_notices(actor, state, limit)]

    @router.post("/notices/{notice_id}/retry", tags=["notices"])
    def retry_notice(actor: Actor, notice_id: NoticeId) -> dict[str, Any]:
        """Send a failed notice again at the worker's next round (operators only)."""
        return service.retry_notice(actor, notice_id).as_document()

    @router.put("/apps/{client_id}/webhook", tags=["apps"])
    def set_webhook(actor: Actor, client_id: ClientId, body: WebhookIn) -> WebhookOut:
        """Register the app's webhook; the response is the only place its secret appears."""
        created = service.set_webhook(actor, client_id, body.url)
        return WebhookOut(client_id=created.client_id, url=created.url, secret=created.secret)

    @router.put("/apps/{client_id}/subscriptions/{slug}", tags=["apps"])
    def subscribe(actor: Actor, client_id: ClientId, slug: SlugPath) -> SubscriptionOut:
        """Tell the app of every change to the API."""
        added = service.subscribe(actor, client_id, slug)
        return SubscriptionOut(client_id=client_id, slug=slug, subscribed=True, new=added)

    return router
