"""Outbox queries inside one transaction: enqueue, claim, mark; webhooks and subscriptions.

A delivery is written in the transaction of the change that causes it, so a change and its
notices commit together or not at all (ADR 0021). `key` makes enqueueing idempotent: the same
key returns the delivery already stored.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from registry.clock import Clock
from registry.errors import NotFound
from registry.models import ChangeLogEntry
from registry.notices.events import EVENTS, PRIVATE_ACTIONS
from registry.notices.models import (
    Caller,
    Channel,
    Delivery,
    DeliveryState,
    Subscription,
    Webhook,
)
from registry.store import mapping
from registry.store.tables import (
    AppRow,
    AppSubscriptionRow,
    AppWebhookRow,
    ChangeLogRow,
    NoticeDeliveryRow,
    UsageCountRow,
)

OPEN_STATES = (DeliveryState.PENDING, DeliveryState.SENDING)


def new_delivery_id() -> str:
    """A stable, unguessable delivery id (`ntc_` and 24 hex digits)."""
    return f"ntc_{secrets.token_hex(12)}"


class NoticesUnit:
    """The outbox, webhooks and subscriptions as seen inside the enclosing transaction."""

    clock: Clock  # the store's clock (set by `Unit`): when a delivery is enqueued

    def __init__(self, session: Session) -> None:
        self.session = session

    # enqueue ---------------------------------------------------------------------------------
    def enqueue_mail(self, *, to: str, subject: str, body: str, kind: str, key: str) -> str:
        """Write one e-mail delivery in this transaction; the same `key` returns the existing
        delivery's id (idempotent)."""
        return self.enqueue_notice(
            channel=Channel.EMAIL, recipient=to, subject=subject, body=body, kind=kind, key=key
        )

    def enqueue_notice(
        self,
        *,
        channel: Channel,
        recipient: str,
        subject: str,
        body: str,
        kind: str,
        key: str,
        change_id: int | None = None,
    ) -> str:
        """Write one delivery (e-mail to an address, or webhook to an app's client id)."""
        existing = self.session.scalar(
            select(NoticeDeliveryRow.id).where(NoticeDeliveryRow.key == key)
        )
        if existing is not None:
            return existing
        now = self.clock()
        row = NoticeDeliveryRow(
            id=new_delivery_id(),
            key=key,
            kind=kind,
            channel=channel.value,
            recipient=recipient,
            subject=subject,
            body=body,
            change_id=change_id,
            state=DeliveryState.PENDING.value,
            attempts=0,
            created_at=now,
            retry_from=now,
            next_attempt_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    # the worker: claim → send → mark -----------------------------------------------------------
    def claim_due(
        self, now: datetime, limit: int, claim_for: timedelta, channels: Collection[Channel]
    ) -> list[Delivery]:
        """Take up to `limit` deliveries due now (pending, or claimed by a worker that died):
        each becomes `sending` with one more attempt, and comes due again after `claim_for`
        unless it is marked first. SKIP LOCKED lets a cron run and a server run side by side."""
        stmt = (
            select(NoticeDeliveryRow)
            .where(
                NoticeDeliveryRow.state.in_([s.value for s in OPEN_STATES]),
                NoticeDeliveryRow.next_attempt_at <= now,
                NoticeDeliveryRow.channel.in_([c.value for c in channels]),
            )
            .order_by(NoticeDeliveryRow.next_attempt_at, NoticeDeliveryRow.id)
            .limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        rows = list(self.session.scalars(stmt))
        for row in rows:
            row.state = DeliveryState.SENDING.value
            row.attempts += 1
            row.next_attempt_at = now + claim_for
        self.session.flush()
        return [_delivery(row) for row in rows]

    def mark_sent(self, delivery_id: str, at: datetime) -> None:
        row = self._row(delivery_id)
        row.state, row.sent_at, row.last_error = DeliveryState.SENT.value, at, None
        self.session.flush()

    def mark_retry(self, delivery_id: str, next_attempt_at: datetime, error: str) -> None:
        row = self._row(delivery_id)
        row.state, row.next_attempt_at = DeliveryState.PENDING.value, next_attempt_at
        row.last_error = error
        self.session.flush()

    def mark_failed(self, delivery_id: str, error: str) -> None:
        row = self._row(delivery_id)
        row.state, row.last_error = DeliveryState.FAILED.value, error
        self.session.flush()

    def retry_delivery(self, delivery_id: str, now: datetime) -> Delivery:
        """Send a failed (or waiting) delivery again now, with a fresh retry period."""
        row = self._row(delivery_id)
        if row.state != DeliveryState.SENT.value:
            row.state = DeliveryState.PENDING.value
            row.retry_from = row.next_attempt_at = now
            self.session.flush()
        return _delivery(row)

    # reads -----------------------------------------------------------------------------------
    def delivery(self, delivery_id: str) -> Delivery | None:
        row = self.session.get(NoticeDeliveryRow, delivery_id)
        return _delivery(row) if row else None

    def deliveries(self, state: DeliveryState | None, limit: int) -> list[Delivery]:
        """Newest first."""
        stmt = select(NoticeDeliveryRow).order_by(
            NoticeDeliveryRow.created_at.desc(), NoticeDeliveryRow.id
        )
        if state is not None:
            stmt = stmt.where(NoticeDeliveryRow.state == state.value)
        return [_delivery(row) for row in self.session.scalars(stmt.limit(limit))]

    def public_changes(self, slug: str | None, limit: int) -> list[ChangeLogEntry]:
        """Newest first: change-log entries that are notices (`registry.notices.events`), of
        one API when `slug` is given."""
        stmt = (
            select(ChangeLogRow)
            .where(
                or_(ChangeLogRow.action.startswith("api."), ChangeLogRow.action.in_(list(EVENTS))),
                ChangeLogRow.action.not_in(list(PRIVATE_ACTIONS)),
            )
            .order_by(ChangeLogRow.id.desc())
            .limit(limit)
        )
        if slug is not None:
            stmt = stmt.where(ChangeLogRow.target.startswith(f"{slug}/", autoescape=True))
        return [mapping.change(row) for row in self.session.scalars(stmt)]

    def has_delivery(self, key: str) -> bool:
        stmt = select(NoticeDeliveryRow.id).where(NoticeDeliveryRow.key == key)
        return self.session.scalar(stmt) is not None

    def changes_of(self, target: str, action: str) -> list[ChangeLogEntry]:
        """The change-log entries of one action on one target, oldest first."""
        stmt = (
            select(ChangeLogRow)
            .where(ChangeLogRow.target == target, ChangeLogRow.action == action)
            .order_by(ChangeLogRow.id)
        )
        return [mapping.change(row) for row in self.session.scalars(stmt)]

    def _row(self, delivery_id: str) -> NoticeDeliveryRow:
        row = self.session.get(NoticeDeliveryRow, delivery_id)
        if row is None:
            raise NotFound("notice-not-found", id=delivery_id)
        return row

    # webhooks and subscriptions ----------------------------------------------------------------
    def set_webhook(self, client_id: str, url: str, secret: str, at: datetime) -> None:
        row = self.session.get(AppWebhookRow, client_id) or AppWebhookRow(client_id=client_id)
        row.url, row.secret, row.created_at = url, secret, at
        self.session.add(row)
        self.session.flush()

    def webhook(self, client_id: str) -> Webhook | None:
        row = self.session.get(AppWebhookRow, client_id)
        return Webhook(client_id=row.client_id, url=row.url, secret=row.secret) if row else None

    def subscribe(self, client_id: str, slug: str, at: datetime) -> bool:
        """Subscribe the app to the API's changes; False when it already was."""
        if self.session.get(AppSubscriptionRow, (client_id, slug)) is not None:
            return False
        self.session.add(AppSubscriptionRow(client_id=client_id, slug=slug, created_at=at))
        self.session.flush()
        return True

    def remove_webhook(self, client_id: str) -> bool:
        """Forget the app's webhook; False when it had none."""
        row = self.session.get(AppWebhookRow, client_id)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def unsubscribe(self, client_id: str, slug: str) -> bool:
        """Stop telling the app of the API's changes; False when it was not subscribed."""
        row = self.session.get(AppSubscriptionRow, (client_id, slug))
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def subscriptions(self, client_id: str) -> list[Subscription]:
        """The app's subscriptions, by API slug."""
        stmt = (
            select(AppSubscriptionRow)
            .where(AppSubscriptionRow.client_id == client_id)
            .order_by(AppSubscriptionRow.slug)
        )
        return [
            Subscription(client_id=row.client_id, slug=row.slug, created_at=row.created_at)
            for row in self.session.scalars(stmt)
        ]

    # recipients --------------------------------------------------------------------------------
    def callers(self, slug: str, versions: Collection[str], since: datetime) -> list[Caller]:
        """Enabled apps that called one of `versions` of the API since `since` (usage
        roll-ups), with their latest call, plus the apps subscribed to the API."""
        last = func.max(UsageCountRow.last_call)
        called = (
            select(AppRow.client_id, AppRow.name, AppRow.owner, last)
            .join(AppRow, AppRow.client_id == UsageCountRow.client_id)
            .where(
                UsageCountRow.slug == slug,
                UsageCountRow.version.in_(list(versions)),
                UsageCountRow.last_call >= since,
                AppRow.disabled.is_(False),
            )
            .group_by(AppRow.client_id, AppRow.name, AppRow.owner)
        )
        found = {
            cid: Caller(client_id=cid, app=name, owner=owner, last_call=at)
            for cid, name, owner, at in self.session.execute(called)
        }
        subscribed = (
            select(AppRow.client_id, AppRow.name, AppRow.owner)
            .join(AppSubscriptionRow, AppSubscriptionRow.client_id == AppRow.client_id)
            .where(AppSubscriptionRow.slug == slug, AppRow.disabled.is_(False))
        )
        for cid, name, owner in self.session.execute(subscribed):
            found.setdefault(cid, Caller(client_id=cid, app=name, owner=owner, last_call=None))
        return sorted(found.values(), key=lambda c: c.client_id)

    def webhooks_of(self, client_ids: Collection[str]) -> dict[str, Webhook]:
        if not client_ids:
            return {}
        stmt = select(AppWebhookRow).where(AppWebhookRow.client_id.in_(list(client_ids)))
        return {
            row.client_id: Webhook(client_id=row.client_id, url=row.url, secret=row.secret)
            for row in self.session.scalars(stmt)
        }


def _delivery(row: NoticeDeliveryRow) -> Delivery:
    return Delivery(
        id=row.id,
        key=row.key,
        kind=row.kind,
        channel=Channel(row.channel),
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        change_id=row.change_id,
        state=DeliveryState(row.state),
        attempts=row.attempts,
        created_at=row.created_at,
        retry_from=row.retry_from,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
        last_error=row.last_error,
    )
