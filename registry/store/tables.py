"""The registry's SQL tables (SQLAlchemy 2 typed declarative); the first migration mirrors them.

Timestamps are timezone-aware and stored in UTC (`UTCDateTime` restores the zone on SQLite,
which keeps none). JSON columns hold documents exactly as parsed; on PostgreSQL they are `json`
(not `jsonb`) so key order and text survive unchanged.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC; naive values are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the registry store; use an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class ProviderRow(Base):
    __tablename__ = "providers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_ja: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(Text)
    notice_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class ApiRow(Base):
    __tablename__ = "apis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    provider_id: Mapped[str] = mapped_column(ForeignKey("providers.id"), index=True)
    listing: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class ApiVersionRow(Base):
    __tablename__ = "api_versions"
    __table_args__ = (UniqueConstraint("api_id", "version", name="uq_api_versions_api_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    api_id: Mapped[int] = mapped_column(ForeignKey("apis.id"))
    version: Mapped[str] = mapped_column(String(16))
    document: Mapped[dict[str, Any]]
    source: Mapped[str] = mapped_column(Text)
    upstream_url: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)
    lint_report: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    deprecated_at: Mapped[datetime | None]
    sunset_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]
    successor: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    per_minute: Mapped[int] = mapped_column(Integer)
    per_day: Mapped[int] = mapped_column(Integer)
    sandbox_per_minute: Mapped[int] = mapped_column(Integer)
    fail_closed: Mapped[bool] = mapped_column(Boolean)
    open_data: Mapped[bool] = mapped_column(Boolean)
    write_scope: Mapped[bool] = mapped_column(Boolean)
    cors_origins: Mapped[list[Any]]
    connect_timeout: Mapped[float | None] = mapped_column(Float)
    read_timeout: Mapped[float | None] = mapped_column(Float)
    row_version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012 - SQLAlchemy reads it


class WaiverRow(Base):
    __tablename__ = "waivers"
    __table_args__ = (UniqueConstraint("version_id", "rule", name="uq_waivers_version_rule"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("api_versions.id"))
    rule: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime]


class BrownoutRow(Base):
    """A window in which the gateway answers a deprecated version with 410 `brownout`."""

    __tablename__ = "brownouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("api_versions.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(Text)


class ChangeLogRow(Base):
    """Append-only: database triggers (first migration) refuse UPDATE and DELETE."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(160), index=True)
    detail: Mapped[dict[str, Any]]


class AppRow(Base):
    __tablename__ = "apps"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text)
    scopes: Mapped[list[Any]]
    sandbox: Mapped[bool] = mapped_column(Boolean)
    secret_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    disabled: Mapped[bool] = mapped_column(Boolean)
    developer_id: Mapped[str | None] = mapped_column(String(32), index=True)
    previous_secret_hash: Mapped[str | None] = mapped_column(String(128))
    previous_secret_until: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    key_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("apps.client_id"), index=True)
    slugs: Mapped[list[Any]]
    created_at: Mapped[datetime]


class SigningKeyRow(Base):
    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(String(8))
    public_jwk: Mapped[dict[str, Any]]
    private_pem: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    activates_at: Mapped[datetime]
    retires_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]


class RevokedTokenRow(Base):
    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(128), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class UsageCountRow(Base):
    """Daily call counts per app and version; `day` is the Japan (+09:00) calendar day."""

    __tablename__ = "usage"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    last_call: Mapped[datetime]
    # `count` by status class (registry.models.STATUS_CLASSES); 0 for calls counted before 0004
    status_2xx: Mapped[int] = mapped_column(BigInteger, server_default="0")
    status_3xx: Mapped[int] = mapped_column(BigInteger, server_default="0")
    status_4xx: Mapped[int] = mapped_column(BigInteger, server_default="0")
    status_429: Mapped[int] = mapped_column(BigInteger, server_default="0")
    status_5xx: Mapped[int] = mapped_column(BigInteger, server_default="0")


class RegistryStateRow(Base):
    """One row (id 1): the generation number the gateway watches, and the generation of the
    routes alone (bumped with it by every change that can alter a route, and only by those)."""

    __tablename__ = "registry_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
    routes_generation: Mapped[int] = mapped_column(BigInteger, server_default="0")


class TrafficRow(Base):
    """Traffic per API version, app and period: an hour, or a Japan day once compacted.

    `client_id` is empty for calls refused before a credential was accepted. Latency columns
    count calls per fixed bucket (`registry.usage.traffic.BUCKET_COLUMNS`), so rows add up.
    """

    __tablename__ = "traffic"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(16), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    grain: Mapped[str] = mapped_column(String(4), primary_key=True)  # "hour" or "day"
    start: Mapped[datetime] = mapped_column(primary_key=True, index=True)
    last_call: Mapped[datetime]
    requests: Mapped[int] = mapped_column(BigInteger, default=0)
    status_2xx: Mapped[int] = mapped_column(BigInteger, default=0)
    status_3xx: Mapped[int] = mapped_column(BigInteger, default=0)
    status_4xx: Mapped[int] = mapped_column(BigInteger, default=0)
    status_5xx: Mapped[int] = mapped_column(BigInteger, default=0)
    ratelimited: Mapped[int] = mapped_column(BigInteger, default=0)
    upstream_errors: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_5: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_10: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_25: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_50: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_100: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_250: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_500: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_1000: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_2500: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_5000: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_le_10000: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_over: Mapped[int] = mapped_column(BigInteger, default=0)


class TrafficErrorRow(Base):
    """How often the gateway answered an API version with one problem code, per period."""

    __tablename__ = "traffic_errors"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    grain: Mapped[str] = mapped_column(String(4), primary_key=True)
    start: Mapped[datetime] = mapped_column(primary_key=True, index=True)
    count: Mapped[int] = mapped_column(BigInteger)


class NoticeDeliveryRow(Base):
    """One notice to one recipient on one channel (the outbox, ADR 0021). `id` is the stable
    delivery id (e-mail Message-ID, webhook-id); `key` makes enqueueing idempotent."""

    __tablename__ = "notice_deliveries"
    __table_args__ = (
        Index("ix_notice_deliveries_due", "state", "next_attempt_at"),
        Index("ix_notice_deliveries_change", "change_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))  # "email" or "webhook"
    recipient: Mapped[str] = mapped_column(Text)  # an e-mail address, or an app's client id
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("change_log.id"))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    retry_from: Mapped[datetime]  # retries stop 24 h after this (reset by a manual retry)
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class AppWebhookRow(Base):
    """Where an app receives signed change notices; `secret` is the `whsec_…` signing key."""

    __tablename__ = "app_webhooks"

    client_id: Mapped[str] = mapped_column(ForeignKey("apps.client_id"), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class AppSubscriptionRow(Base):
    """An app that asked to hear of every change to one API, whether it called it or not."""

    __tablename__ = "app_subscriptions"

    client_id: Mapped[str] = mapped_column(ForeignKey("apps.client_id"), primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]
