"""Read models of the notice outbox: a delivery, its states and channels."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from registry.notices.events import jst


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    SENDING = "sending"  # claimed by a worker; reclaimed if the worker dies before marking it
    SENT = "sent"
    FAILED = "failed"  # retried for the whole retry period without success; `notices retry`


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class Delivery(BaseModel):
    """One notice to one recipient on one channel; `id` is its e-mail Message-ID and webhook-id."""

    model_config = ConfigDict(frozen=True)

    id: str
    key: str
    kind: str
    channel: Channel
    recipient: str
    subject: str
    body: str
    change_id: int | None
    state: DeliveryState
    attempts: int
    created_at: datetime
    retry_from: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None

    def as_document(self) -> dict[str, Any]:
        """What `notices list --format json` and the admin API show: stable keys, times in
        Japan time with the offset, no body (it may be long; it is in the store)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "channel": self.channel.value,
            "recipient": self.recipient,
            "subject": self.subject,
            "state": self.state.value,
            "attempts": self.attempts,
            "change_id": self.change_id,
            "created_at": jst(self.created_at),
            "next_attempt_at": jst(self.next_attempt_at),
            "sent_at": jst(self.sent_at) if self.sent_at else None,
            "last_error": self.last_error,
        }


class Webhook(BaseModel):
    """An app's webhook endpoint and its signing secret (`whsec_…`)."""

    model_config = ConfigDict(frozen=True)

    client_id: str
    url: str
    secret: str


class Caller(BaseModel):
    """An app that called a version, with its owner and its latest call (for the e-mail)."""

    model_config = ConfigDict(frozen=True)

    client_id: str
    app: str
    owner: str
    last_call: datetime | None  # None: a subscriber that has not called it


class Subscription(BaseModel):
    """An app told of every change to one API, whether it called it or not."""

    model_config = ConfigDict(frozen=True)

    client_id: str
    slug: str
    created_at: datetime
