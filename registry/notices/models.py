"""Read models of the notice outbox: a delivery, its states and channels."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


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
