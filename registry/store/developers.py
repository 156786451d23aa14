"""Developer account queries inside one transaction: accounts, sessions, e-mail tokens,
log-in failures, access requests and the apps an account owns."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from registry.models import AccessRequestView, AccessState, AppView, DailyUsage, DeveloperView
from registry.store import mapping
from registry.store.developer_tables import (
    AccessRequestRow,
    DeveloperRow,
    DeveloperSessionRow,
    DeveloperTokenRow,
    LoginFailureRow,
)
from registry.store.tables import AppRow, NoticeDeliveryRow, TrafficRow

JST = timezone(timedelta(hours=9))
DELETED_OWNER = "deleted-account"
LINK_HORIZON = timedelta(days=30)  # longer than any link lives: older expiries are long gone


class DevelopersUnit:
    """Developer accounts as seen inside the enclosing transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # accounts ----------------------------------------------------------------------------------
    def developer(self, developer_id: str) -> DeveloperView | None:
        row = self.session.get(DeveloperRow, developer_id)
        return _developer(row) if row else None

    def developer_by_email(self, email: str) -> DeveloperView | None:
        row = self.session.scalar(select(DeveloperRow).where(DeveloperRow.email == email))
        return _developer(row) if row else None

    def password_hash(self, developer_id: str) -> str | None:
        row = self.session.get(DeveloperRow, developer_id)
        return row.password_hash if row else None

    def add_developer(self, developer: DeveloperView, password_hash: str | None) -> None:
        self.session.add(DeveloperRow(**developer.model_dump(), password_hash=password_hash))
        self.session.flush()

    def set_verified(self, developer_id: str, at: datetime) -> None:
        row = self.session.get(DeveloperRow, developer_id)
        if row is not None and row.verified_at is None:
            row.verified_at = at

    def set_password_hash(self, developer_id: str, password_hash: str) -> None:
        row = self.session.get(DeveloperRow, developer_id)
        if row is not None:
            row.password_hash = password_hash

    def delete_developer(self, developer_id: str, at: datetime) -> list[str]:
        """Remove the person: the account row (sessions and tokens with it), the mails queued
        or sent to it, the owner e-mail on its apps, the use descriptions it wrote. Apps are
        disabled and kept, so usage and traffic figures stay, attributed to no one. Returns the
        disabled apps' client ids."""
        apps = list(self.session.scalars(select(AppRow).where(AppRow.developer_id == developer_id)))
        for app in apps:
            app.owner, app.developer_id, app.disabled = DELETED_OWNER, None, True
            app.deleted_at = app.deleted_at or at
        self.session.execute(
            update(AccessRequestRow)
            .where(AccessRequestRow.developer_id == developer_id)
            .values(developer_id=None, use_description="")
        )
        for table in (DeveloperSessionRow, DeveloperTokenRow):
            self.session.execute(delete(table).where(table.developer_id == developer_id))
        row = self.session.get(DeveloperRow, developer_id)
        if row is not None:  # the mails to the person go too (their address is in each)
            self.session.execute(
                delete(NoticeDeliveryRow).where(NoticeDeliveryRow.recipient == row.email)
            )
        self.session.execute(delete(DeveloperRow).where(DeveloperRow.id == developer_id))
        return [a.client_id for a in apps]

    # sessions and one-time tokens ---------------------------------------------------------------
    def add_session(
        self, token_hash: str, developer_id: str, at: datetime, until: datetime
    ) -> None:
        self.session.execute(
            delete(DeveloperSessionRow).where(DeveloperSessionRow.expires_at <= at)
        )
        self.session.add(
            DeveloperSessionRow(
                token_hash=token_hash, developer_id=developer_id, created_at=at, expires_at=until
            )
        )

    def session_owner(self, token_hash: str, now: datetime) -> str | None:
        row = self.session.get(DeveloperSessionRow, token_hash)
        return row.developer_id if row is not None and row.expires_at > now else None

    def end_session(self, token_hash: str) -> None:
        self.session.execute(
            delete(DeveloperSessionRow).where(DeveloperSessionRow.token_hash == token_hash)
        )

    def end_sessions_of(self, developer_id: str) -> None:
        self.session.execute(
            delete(DeveloperSessionRow).where(DeveloperSessionRow.developer_id == developer_id)
        )

    def add_token(self, token_hash: str, developer_id: str, purpose: str, until: datetime) -> None:
        """Store a link token's hash (and drop the expired ones of every account)."""
        self.session.execute(
            delete(DeveloperTokenRow).where(DeveloperTokenRow.expires_at <= until - LINK_HORIZON)
        )
        self.session.add(
            DeveloperTokenRow(
                token_hash=token_hash, developer_id=developer_id, purpose=purpose, expires_at=until
            )
        )

    def use_token(self, token_hash: str, purpose: str, now: datetime) -> str | None:
        """The token's account if it is unexpired and for `purpose`; it is spent either way."""
        row = self.session.get(DeveloperTokenRow, token_hash)
        if row is None:
            return None
        self.session.delete(row)
        if row.purpose != purpose or row.expires_at <= now:
            return None
        self.session.execute(
            delete(DeveloperTokenRow).where(
                DeveloperTokenRow.developer_id == row.developer_id,
                DeveloperTokenRow.purpose == purpose,
            )
        )
        return row.developer_id

    # log-in failures ----------------------------------------------------------------------------
    def login_failures(self, keys: Collection[str]) -> dict[str, tuple[int, datetime]]:
        stmt = select(LoginFailureRow).where(LoginFailureRow.key.in_(list(keys)))
        return {r.key: (r.failures, r.last_failure_at) for r in self.session.scalars(stmt)}

    def add_login_failure(self, key: str, at: datetime, forget_before: datetime) -> None:
        """Count one more failure; counts whose last failure is older than `forget_before`
        start again (and such rows of other keys are dropped)."""
        self.session.execute(
            delete(LoginFailureRow).where(
                LoginFailureRow.last_failure_at < forget_before, LoginFailureRow.key != key
            )
        )
        row = self.session.get(LoginFailureRow, key)
        if row is None:
            self.session.add(LoginFailureRow(key=key, failures=1, last_failure_at=at))
        elif row.last_failure_at < forget_before:
            row.failures, row.last_failure_at = 1, at
        else:
            row.failures, row.last_failure_at = row.failures + 1, at

    def clear_login_failures(self, key: str) -> None:
        self.session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))

    # apps of an account ---------------------------------------------------------------------------
    def apps_of(self, developer_id: str) -> list[AppView]:
        stmt = (
            select(AppRow)
            .where(AppRow.developer_id == developer_id, AppRow.deleted_at.is_(None))
            .order_by(AppRow.created_at, AppRow.client_id)
        )
        return [mapping.app(r) for r in self.session.scalars(stmt)]

    def set_app_secret(
        self, client_id: str, secret_hash: str, previous_until: datetime | None
    ) -> None:
        row = self.session.get(AppRow, client_id)
        if row is not None:
            row.previous_secret_hash = row.secret_hash if previous_until else None
            row.previous_secret_until = previous_until
            row.secret_hash = secret_hash

    def set_app_scopes(self, client_id: str, scopes: tuple[str, ...]) -> None:
        row = self.session.get(AppRow, client_id)
        if row is not None:
            row.scopes = list(scopes)

    def disable_app(self, client_id: str, deleted_at: datetime | None = None) -> None:
        row = self.session.get(AppRow, client_id)
        if row is not None:
            row.disabled = True
            row.deleted_at = row.deleted_at or deleted_at

    def disabled_clients(self) -> frozenset[str]:
        return frozenset(self.session.scalars(select(AppRow.client_id).where(AppRow.disabled)))

    # access requests ---------------------------------------------------------------------------
    def add_access_request(
        self, client_id: str, slug: str, developer_id: str, use: str, at: datetime
    ) -> int:
        row = AccessRequestRow(
            client_id=client_id,
            slug=slug,
            developer_id=developer_id,
            use_description=use,
            state=AccessState.PENDING.value,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def access_request(self, request_id: int) -> AccessRequestView | None:
        stmt = _requests().where(AccessRequestRow.id == request_id)
        found = self.session.execute(stmt).first()
        return _request(*found) if found else None

    def access_requests(
        self,
        *,
        slugs: Collection[str] | None = None,
        client_ids: Collection[str] | None = None,
        state: AccessState | None = None,
    ) -> list[AccessRequestView]:
        stmt = _requests().order_by(AccessRequestRow.created_at, AccessRequestRow.id)
        if slugs is not None:
            stmt = stmt.where(AccessRequestRow.slug.in_(list(slugs)))
        if client_ids is not None:
            stmt = stmt.where(AccessRequestRow.client_id.in_(list(client_ids)))
        if state is not None:
            stmt = stmt.where(AccessRequestRow.state == state.value)
        return [_request(r, name) for r, name in self.session.execute(stmt)]

    def decide_access_request(
        self, request_id: int, state: AccessState, by: str, reason: str | None, at: datetime
    ) -> None:
        row = self.session.get(AccessRequestRow, request_id)
        if row is not None:
            row.state, row.decided_by, row.reason, row.decided_at = state.value, by, reason, at

    def request_owner(self, request_id: int) -> str | None:
        row = self.session.get(AccessRequestRow, request_id)
        return row.developer_id if row else None

    # notices ------------------------------------------------------------------------------------
    def mail_notice_ids(self, email: str, limit: int) -> list[str]:
        """The outbox's e-mails to the address about APIs and apps (not the account's own
        link mails), newest first."""
        stmt = (
            select(NoticeDeliveryRow.id)
            .where(
                NoticeDeliveryRow.recipient == email,
                NoticeDeliveryRow.channel == "email",
                ~NoticeDeliveryRow.kind.startswith("account."),
            )
            .order_by(NoticeDeliveryRow.created_at.desc(), NoticeDeliveryRow.id)
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

    # usage ----------------------------------------------------------------------------------------
    def daily_usage(self, client_id: str, since: datetime) -> list[DailyUsage]:
        """Calls and 4xx/5xx answers per Japan day since `since`, from the traffic roll-ups."""
        stmt = select(
            TrafficRow.start,
            func.sum(TrafficRow.requests),
            func.sum(TrafficRow.status_4xx + TrafficRow.status_5xx),
        ).where(TrafficRow.client_id == client_id, TrafficRow.start >= since)
        days: dict[date, list[int]] = {}
        for start, calls, errors in self.session.execute(stmt.group_by(TrafficRow.start)):
            day = days.setdefault(start.astimezone(JST).date(), [0, 0])
            day[0] += int(calls or 0)
            day[1] += int(errors or 0)
        return [DailyUsage(day=d, calls=c, errors=e) for d, (c, e) in sorted(days.items())]


def _developer(row: DeveloperRow) -> DeveloperView:
    return DeveloperView(
        id=row.id,
        email=row.email,
        terms_version=row.terms_version,
        terms_accepted_at=row.terms_accepted_at,
        created_at=row.created_at,
        verified_at=row.verified_at,
    )


def _requests() -> Select[AccessRequestRow, str]:
    return select(AccessRequestRow, AppRow.name).join(
        AppRow, AppRow.client_id == AccessRequestRow.client_id
    )


def _request(row: AccessRequestRow, app_name: str) -> AccessRequestView:
    return AccessRequestView(
        id=row.id,
        client_id=row.client_id,
        app=app_name,
        slug=row.slug,
        use_description=row.use_description,
        state=AccessState(row.state),
        created_at=row.created_at,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        reason=row.reason,
    )
