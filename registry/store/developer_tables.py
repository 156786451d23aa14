"""The self-service tables: developer accounts, their sessions and one-time e-mail tokens,
failed log-in counters, and production access requests (migration 0007)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.store.tables import Base


class DeveloperRow(Base):
    """One account. Deleting it removes the row; apps and usage stay without the person."""

    __tablename__ = "developers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(Text)  # None for OpenID-only accounts
    terms_version: Mapped[str] = mapped_column(String(32))
    terms_accepted_at: Mapped[datetime]
    created_at: Mapped[datetime]
    verified_at: Mapped[datetime | None]


class DeveloperSessionRow(Base):
    """A logged-in browser: only the SHA-256 of the cookie's random value is kept."""

    __tablename__ = "developer_sessions"

    token_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    developer_id: Mapped[str] = mapped_column(
        ForeignKey("developers.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class DeveloperTokenRow(Base):
    """A one-time token sent by e-mail (verify the address, reset the password)."""

    __tablename__ = "developer_tokens"

    token_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    developer_id: Mapped[str] = mapped_column(
        ForeignKey("developers.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime]


class LoginFailureRow(Base):
    """Failed log-ins per key (a hash of account+address, or of the address alone)."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime]


class AccessRequestRow(Base):
    """A developer's request for one production app to call one API; its provider decides."""

    __tablename__ = "access_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("apps.client_id"), index=True)
    slug: Mapped[str] = mapped_column(String(64), index=True)
    developer_id: Mapped[str | None] = mapped_column(String(32), index=True)
    use_description: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)  # pending, approved, denied
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
