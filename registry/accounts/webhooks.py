"""A developer's own app's webhook and subscriptions, mixed into `DeveloperService`.

The URL policy and the writes are the notice operations' own (`registry.notices.operations`),
so the developer API, the admin API and the CLI refuse and record the same things. Only the
ownership check differs: another developer's app reads as not found (`app-not-yours`).
"""

from __future__ import annotations

from registry.accounts.ownership import own_app
from registry.clock import Clock
from registry.errors import Refused
from registry.models import DeveloperView
from registry.notices import operations
from registry.notices.models import Subscription
from registry.notices.operations import WebhookCreated, check_webhook_url
from registry.settings import Settings
from registry.store import Store


class DeveloperWebhooks:
    """Mixed into `DeveloperService`."""

    store: Store
    settings: Settings
    clock: Clock

    def webhook_url(self, developer: DeveloperView, client_id: str) -> str | None:
        """The app's webhook URL (never its secret), or None when it has none."""
        with self.store.read() as unit:
            own_app(unit, developer, client_id)
            found = unit.webhook(client_id)
        return found.url if found else None

    def set_webhook(self, developer: DeveloperView, client_id: str, url: str) -> WebhookCreated:
        """Register or replace the webhook; the answer holds the signing secret this once."""
        check_webhook_url(url, self.settings)
        with self.store.write() as unit:
            app = own_app(unit, developer, client_id)
            if app.disabled:
                raise Refused("app-disabled", client_id=client_id)
            return operations.write_webhook(unit, developer.id, client_id, url, self.clock())

    def remove_webhook(self, developer: DeveloperView, client_id: str) -> bool:
        with self.store.write() as unit:
            own_app(unit, developer, client_id)
            return operations.remove_webhook(unit, developer.id, client_id, self.clock())

    def subscriptions(self, developer: DeveloperView, client_id: str) -> list[Subscription]:
        with self.store.read() as unit:
            own_app(unit, developer, client_id)
            return unit.subscriptions(client_id)

    def subscribe(self, developer: DeveloperView, client_id: str, slug: str) -> bool:
        """Tell the app of every change to the API; False when it already was subscribed."""
        with self.store.write() as unit:
            app = own_app(unit, developer, client_id)
            if app.disabled:
                raise Refused("app-disabled", client_id=client_id)
            now = self.clock()
            return operations.write_subscription(unit, developer.id, client_id, slug, now)

    def unsubscribe(self, developer: DeveloperView, client_id: str, slug: str) -> bool:
        with self.store.write() as unit:
            own_app(unit, developer, client_id)
            now = self.clock()
            return operations.remove_subscription(unit, developer.id, client_id, slug, now)
