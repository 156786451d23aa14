"""Account queries inside one transaction: apps, API keys, usage, signing keys, revocations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from registry.errors import NotFound
from registry.models import (
    STATUS_CLASSES,
    ApiKeyView,
    AppView,
    ConsumerRow,
    RouteEntry,
    SigningKeyView,
    UsageRow,
    VersionState,
)
from registry.store import brownouts, mapping
from registry.store.tables import (
    ApiKeyRow,
    ApiRow,
    ApiVersionRow,
    AppRow,
    RevokedTokenRow,
    SigningKeyRow,
    UsageCountRow,
)

JST = timezone(timedelta(hours=9))
_COLUMN = {name: f"status_{name}" for name in STATUS_CLASSES}  # "2xx" -> status_2xx
SERVED_STATES = (VersionState.PUBLISHED, VersionState.DEPRECATED, VersionState.RETIRED)


class AccountsUnit:
    """Apps, keys and usage as seen inside the enclosing transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # apps and API keys -----------------------------------------------------------------------
    def app(self, client_id: str) -> AppView | None:
        row = self.session.get(AppRow, client_id)
        return mapping.app(row) if row else None

    def add_app(self, app: AppView) -> None:
        values = app.model_dump()
        values["scopes"] = list(app.scopes)
        self.session.add(AppRow(**values))
        self.session.flush()

    def add_api_key(self, key: ApiKeyView, at: datetime) -> None:
        row = ApiKeyRow(
            key_hash=key.key_hash, client_id=key.client_id, slugs=list(key.slugs), created_at=at
        )
        self.session.add(row)
        self.session.flush()

    # usage (upsert-add per app, version and Japan calendar day) ------------------------------
    def add_usage(self, rows: Iterable[UsageRow]) -> None:
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # one key order for every writer, so two flushing gateways cannot deadlock each other
        for row in sorted(rows, key=lambda r: (r.client_id, r.slug, r.version, r.last_call)):
            by_class = {_COLUMN[c]: row.statuses.get(c, 0) for c in STATUS_CLASSES}
            stmt = insert(UsageCountRow).values(
                client_id=row.client_id,
                slug=row.slug,
                version=row.version,
                day=row.last_call.astimezone(JST).date(),
                count=row.count,
                last_call=row.last_call,
                **by_class,
            )
            excluded = stmt.excluded
            added = {
                name: getattr(UsageCountRow, name) + excluded[name] for name in ("count", *by_class)
            }
            stmt = stmt.on_conflict_do_update(
                index_elements=["client_id", "slug", "version", "day"],
                set_={
                    **added,
                    "last_call": _later(dialect, UsageCountRow.last_call, excluded.last_call),
                },
            )
            self.session.execute(stmt)

    def consumers(self, slug: str, version: str) -> list[ConsumerRow]:
        """Apps that called the version, with their latest call, total count and the count by
        status class; busiest first."""
        total = func.sum(UsageCountRow.count).label("total")
        by_class = [func.sum(getattr(UsageCountRow, _COLUMN[c])) for c in STATUS_CLASSES]
        stmt = (
            select(
                AppRow.client_id,
                AppRow.name,
                AppRow.owner,
                func.max(UsageCountRow.last_call),
                total,
                *by_class,
            )
            .join(AppRow, AppRow.client_id == UsageCountRow.client_id)
            .where(UsageCountRow.slug == slug, UsageCountRow.version == version)
            .group_by(AppRow.client_id, AppRow.name, AppRow.owner)
            .order_by(total.desc(), AppRow.client_id)
        )
        return [
            ConsumerRow(
                client_id=cid,
                app=name,
                owner=owner,
                last_call=last,
                count=int(count),
                statuses={c: int(n) for c, n in zip(STATUS_CLASSES, classes, strict=True)},
            )
            for cid, name, owner, last, count, *classes in self.session.execute(stmt)
        ]

    def apps_that_called(self, slug: str, version: str, since: datetime) -> list[str]:
        """Client ids of the apps that called the version at or after `since` (any answer,
        429 and 5xx included), sorted: whom a change to the version concerns."""
        stmt = (
            select(UsageCountRow.client_id)
            .where(
                UsageCountRow.slug == slug,
                UsageCountRow.version == version,
                UsageCountRow.last_call >= since,
            )
            .distinct()
            .order_by(UsageCountRow.client_id)
        )
        return list(self.session.scalars(stmt))

    # signing keys and revocations --------------------------------------------------------------
    def signing_keys(self, *, include_private: bool) -> list[SigningKeyView]:
        stmt = select(SigningKeyRow).order_by(SigningKeyRow.activates_at, SigningKeyRow.kid)
        return [
            mapping.signing_key(r, include_private=include_private)
            for r in self.session.scalars(stmt)
        ]

    def add_signing_key(self, key: SigningKeyView) -> None:
        values = key.model_dump()
        values["public_jwk"] = dict(key.public_jwk)
        self.session.add(SigningKeyRow(**values))
        self.session.flush()

    def set_key_times(
        self, kid: str, retires_at: datetime | None, expires_at: datetime | None
    ) -> None:
        stmt = (
            update(SigningKeyRow)
            .where(SigningKeyRow.kid == kid)
            .values(retires_at=retires_at, expires_at=expires_at)
        )
        if self.session.execute(stmt).rowcount == 0:  # type: ignore[attr-defined]
            raise NotFound("signing-key-not-found", kid=kid)

    def revoke_jti(self, jti: str, expires_at: datetime, now: datetime) -> None:
        """Record a revoked token id and forget revocations whose tokens have expired anyway."""
        self.session.execute(delete(RevokedTokenRow).where(RevokedTokenRow.expires_at <= now))
        row = self.session.get(RevokedTokenRow, jti)
        if row is None:
            self.session.add(RevokedTokenRow(jti=jti, expires_at=expires_at))
        else:
            row.expires_at = max(row.expires_at, expires_at)
        self.session.flush()

    # snapshot parts ----------------------------------------------------------------------------
    def routes(self) -> dict[tuple[str, str], RouteEntry]:
        stmt = (
            select(ApiRow, ApiVersionRow)
            .join(ApiVersionRow, ApiVersionRow.api_id == ApiRow.id)
            .where(ApiVersionRow.state.in_(SERVED_STATES))
        )
        rows = list(self.session.execute(stmt))
        windows = brownouts.windows(self.session, [v.id for _, v in rows])
        return {(a.slug, v.version): mapping.route(a, v, windows.get(v.id, ())) for a, v in rows}

    def api_keys(self) -> dict[str, ApiKeyView]:
        stmt = (
            select(ApiKeyRow)
            .join(AppRow, AppRow.client_id == ApiKeyRow.client_id)
            .where(AppRow.disabled.is_(False))
        )
        return {row.key_hash: mapping.api_key(row) for row in self.session.scalars(stmt)}

    def revoked_jtis(self, now: datetime) -> frozenset[str]:
        stmt = select(RevokedTokenRow.jti).where(RevokedTokenRow.expires_at > now)
        return frozenset(self.session.scalars(stmt))


def _later(dialect: str, current: Any, incoming: Any) -> Any:
    """The later of two timestamps in SQL: `GREATEST` on PostgreSQL, two-argument `max` on SQLite
    (whose UTC timestamps are fixed-format text, so text order is time order)."""
    if dialect == "postgresql":
        return func.greatest(current, incoming)
    return func.max(current, incoming)
