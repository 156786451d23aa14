"""`/developer/v1/apps/{client_id}/webhook` and `…/subscriptions`: who hears of an API's
changes, for the developer's own apps. The URL policy is the CLI's and the admin API's
(`registry.notices.operations`); another developer's app answers 404 like the other routes.
Sync endpoints like the rest of the developer API. (No `from __future__ import annotations`:
FastAPI resolves the local aliases.)
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status

from gateway.developer.schemas import (
    SubscribedOut,
    SubscriptionOut,
    WebhookCreatedOut,
    WebhookIn,
    WebhookOut,
)
from registry.accounts.service import DeveloperService
from registry.models import DeveloperView

SlugPath = Annotated[str, Path(min_length=1, max_length=64)]


def notice_routes(
    service: DeveloperService, current: Callable[[Request], DeveloperView]
) -> APIRouter:
    router = APIRouter(tags=["notices"])
    Developer = Annotated[DeveloperView, Depends(current)]

    @router.get("/apps/{client_id}/webhook")
    def get_webhook(developer: Developer, client_id: str) -> WebhookOut:
        """The app's webhook URL (its secret is never shown again)."""
        return WebhookOut(client_id=client_id, url=service.webhook_url(developer, client_id))

    @router.put("/apps/{client_id}/webhook")
    def set_webhook(developer: Developer, client_id: str, body: WebhookIn) -> WebhookCreatedOut:
        """Register or replace the webhook with a new signing secret; the response is the only
        place the secret appears. Notices are signed per Standard Webhooks."""
        created = service.set_webhook(developer, client_id, body.url)
        return WebhookCreatedOut(
            client_id=created.client_id, url=created.url, secret=created.secret
        )

    @router.delete("/apps/{client_id}/webhook", status_code=status.HTTP_204_NO_CONTENT)
    def remove_webhook(developer: Developer, client_id: str) -> None:
        """No more notices by webhook (subscriptions stay; mail to the owner goes on)."""
        service.remove_webhook(developer, client_id)

    @router.get("/apps/{client_id}/subscriptions")
    def subscriptions(developer: Developer, client_id: str) -> list[SubscriptionOut]:
        return [
            SubscriptionOut(client_id=s.client_id, slug=s.slug, created_at=s.created_at)
            for s in service.subscriptions(developer, client_id)
        ]

    @router.put("/apps/{client_id}/subscriptions/{slug}")
    def subscribe(developer: Developer, client_id: str, slug: SlugPath) -> SubscribedOut:
        """Tell the app of every change to the API, whether it has called it or not."""
        added = service.subscribe(developer, client_id, slug)
        return SubscribedOut(client_id=client_id, slug=slug, subscribed=True, new=added)

    @router.delete("/apps/{client_id}/subscriptions/{slug}", status_code=status.HTTP_204_NO_CONTENT)
    def unsubscribe(developer: Developer, client_id: str, slug: SlugPath) -> None:
        service.unsubscribe(developer, client_id, slug)

    return router
