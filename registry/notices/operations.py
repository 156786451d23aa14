"""The notice part of `RegistryService`: webhooks, subscriptions, the outbox's list and retry."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from registry.address_policy import UpstreamGuard, UpstreamRefused
from registry.clock import Clock
from registry.errors import Forbidden, InvalidInput, NotFound
from registry.models import AppView, VersionState
from registry.notices.feed import atom_feed
from registry.notices.models import Delivery, DeliveryState
from registry.notices.webhook import new_webhook_secret
from registry.principal import Principal, Role
from registry.problems import Text
from registry.settings import Settings
from registry.store import Store, Unit

MAX_LISTED = 1000


@dataclass(frozen=True)
class WebhookCreated:
    """The one moment a webhook's signing secret exists outside the store."""

    client_id: str
    url: str
    secret: str


class NoticeOperations:
    """Mixed into `RegistryService`."""

    store: Store
    settings: Settings
    clock: Clock

    def set_webhook(self, principal: Principal, client_id: str, url: str) -> WebhookCreated:
        """Register (or replace) the app's webhook URL with a new signing secret."""
        check_webhook_url(url, self.settings)
        with self.store.write() as unit:
            _owned_app(unit, principal, client_id)
            return write_webhook(unit, principal.subject, client_id, url, self.clock())

    def subscribe(self, principal: Principal, client_id: str, slug: str) -> bool:
        """Tell the app of every change to the API; False when it was already subscribed."""
        with self.store.write() as unit:
            _owned_app(unit, principal, client_id)
            return write_subscription(unit, principal.subject, client_id, slug, self.clock())

    def list_notices(
        self, principal: Principal, state: DeliveryState | None, limit: int = 100
    ) -> list[Delivery]:
        _require_operator(principal)
        with self.store.read() as unit:
            return unit.deliveries(state, max(1, min(limit, MAX_LISTED)))

    def retry_notice(self, principal: Principal, delivery_id: str) -> Delivery:
        """Send the delivery again at the worker's next round, with a fresh retry period."""
        _require_operator(principal)
        with self.store.outbox() as unit:
            return unit.retry_delivery(delivery_id, self.clock())

    def change_feed(self, slug: str | None, limit: int = 100) -> bytes:
        """`/feeds/changes.atom` or `/feeds/{slug}.atom`: public changes, newest first."""
        with self.store.read() as unit:
            public = [
                s
                for s in unit.summaries()
                if s.state is not VersionState.DRAFT and (slug is None or s.slug == slug)
            ]
            if slug is not None and not public:
                raise NotFound("not-found", api=slug)
            views = {(s.slug, s.version): unit.version(s.slug, s.version) for s in public}
            entries = unit.public_changes(slug, limit)
        known = {key: view for key, view in views.items() if view is not None}
        return atom_feed(self.settings.public_url, entries, known, slug=slug)


def write_webhook(
    unit: Unit, actor: str, client_id: str, url: str, now: datetime
) -> WebhookCreated:
    """Store the webhook with a new secret and log it; the caller has checked the URL
    (`check_webhook_url`, before the transaction) and that `actor` may change the app."""
    secret = new_webhook_secret()
    unit.set_webhook(client_id, url, secret, now)
    unit.record_change(now, actor, "app.webhook", f"app:{client_id}", {"url": url}, routes=False)
    return WebhookCreated(client_id=client_id, url=url, secret=secret)


def remove_webhook(unit: Unit, actor: str, client_id: str, now: datetime) -> bool:
    """Forget the app's webhook (no more notices by webhook); False when it had none."""
    removed = unit.remove_webhook(client_id)
    if removed:
        unit.record_change(now, actor, "app.webhook.remove", f"app:{client_id}", {}, routes=False)
    return removed


def write_subscription(unit: Unit, actor: str, client_id: str, slug: str, now: datetime) -> bool:
    """Subscribe the app to a public API's changes; False when it already was."""
    public = [s for s in unit.summaries() if s.slug == slug and s.state is not VersionState.DRAFT]
    if not public:
        raise NotFound("not-found", api=slug)
    added = unit.subscribe(client_id, slug, now)
    if added:
        unit.record_change(
            now, actor, "app.subscribe", f"app:{client_id}", {"slug": slug}, routes=False
        )
    return added


def remove_subscription(unit: Unit, actor: str, client_id: str, slug: str, now: datetime) -> bool:
    """Stop telling the app of the API's changes; False when it was not subscribed."""
    removed = unit.unsubscribe(client_id, slug)
    if removed:
        unit.record_change(
            now, actor, "app.unsubscribe", f"app:{client_id}", {"slug": slug}, routes=False
        )
    return removed


def check_webhook_url(url: str, settings: Settings) -> str:
    """HTTPS with a host, no credentials or fragment, and an address the upstream policy
    allows; plain http only for a host on the operator's allow list (an internal network).
    Names are checked again, after resolution, at every delivery."""
    if any(ch <= " " or ch == "\x7f" for ch in url):
        raise _bad(
            url, Text("空白や制御文字を含めないでください", "no spaces or control characters")
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parses the port, raising ValueError when it is malformed
    except ValueError as exc:
        raise _bad(url, Text(f"形式が不正です（{exc}）", f"malformed ({exc})")) from exc
    guard = UpstreamGuard(settings.upstream_allow_list())
    host = parts.hostname or ""
    if parts.scheme != "https" and not (parts.scheme == "http" and _allowed_inside(guard, host)):
        raise _bad(url, Text("https を使ってください", "use https"))
    if not host or parts.username is not None or parts.password is not None or parts.fragment:
        raise _bad(
            url,
            Text(
                "ホストだけを指定し、認証情報やフラグメントを含めないでください",
                "give a host, without credentials or a fragment",
            ),
        )
    try:
        guard.check_registration(host)
    except UpstreamRefused as exc:
        raise InvalidInput("webhook-not-allowed", host=exc.host, reason=exc.why) from exc
    return url


def _allowed_inside(guard: UpstreamGuard, host: str) -> bool:
    """Whether the operator's allow list names this host, or this internal address."""
    if guard.host_allowed(host):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    internal = address.is_private or address.is_loopback
    return internal and guard.refusal(address) is None


def _bad(url: str, reason: Text) -> InvalidInput:
    return InvalidInput("invalid-webhook-url", url=repr(url), reason=reason)


def _owned_app(unit: Unit, principal: Principal, client_id: str) -> AppView:
    """The app, when the principal is an operator or the developer who owns it."""
    app = unit.app(client_id)
    if app is None:
        raise NotFound("app-not-found", client_id=client_id)
    if principal.role is Role.OPERATOR or (
        principal.role is Role.DEVELOPER and app.owner == principal.subject
    ):
        return app
    raise Forbidden("webhook-forbidden")


def _require_operator(principal: Principal) -> None:
    if principal.role is not Role.OPERATOR:
        raise Forbidden("operators-only", action=Text("通知の管理", "manage notices"))
