"""Row → read-model mapping: the only place SQL rows turn into registry/models.py objects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry.models import (
    ApiKeyView,
    ApiSummary,
    ApiVersionView,
    AppView,
    Brownout,
    ChangeLogEntry,
    LintReport,
    Provider,
    RatePlan,
    RouteEntry,
    SigningKeyView,
    VersionState,
    Waiver,
)
from registry.store.tables import (
    ApiKeyRow,
    ApiRow,
    ApiVersionRow,
    AppRow,
    ChangeLogRow,
    ProviderRow,
    SigningKeyRow,
    WaiverRow,
)


def provider(row: ProviderRow) -> Provider:
    return Provider(
        id=row.id,
        name_ja=row.name_ja,
        name_en=row.name_en,
        contact=row.contact,
        notice_days=row.notice_days,
        created_at=row.created_at,
    )


def plan(row: ApiVersionRow) -> RatePlan:
    return RatePlan(
        per_minute=row.per_minute,
        per_day=row.per_day,
        sandbox_per_minute=row.sandbox_per_minute,
        fail_closed=row.fail_closed,
    )


def title(document: dict[str, Any]) -> str:
    info = document.get("info")
    value = info.get("title") if isinstance(info, dict) else None
    return value if isinstance(value, str) else ""


def waiver(row: WaiverRow) -> Waiver:
    return Waiver(
        rule=row.rule, reason=row.reason, granted_by=row.granted_by, granted_at=row.granted_at
    )


def version_view(
    api: ApiRow,
    row: ApiVersionRow,
    waivers: Iterable[WaiverRow],
    brownouts: tuple[Brownout, ...] = (),
) -> ApiVersionView:
    """The full view; `listing` holds only the stored overrides (the service merges the rest)."""
    return ApiVersionView(
        slug=api.slug,
        version=row.version,
        provider_id=api.provider_id,
        state=VersionState(row.state),
        title=title(row.document),
        upstream_url=row.upstream_url,
        document=row.document,
        lint=LintReport.model_validate(row.lint_report),
        waivers=tuple(waiver(w) for w in waivers),
        listing=api.listing,
        plan=plan(row),
        open_data=row.open_data,
        write_scope=row.write_scope,
        cors_origins=tuple(row.cors_origins),
        connect_timeout=row.connect_timeout,
        read_timeout=row.read_timeout,
        created_at=row.created_at,
        updated_at=row.updated_at,
        published_at=row.published_at,
        deprecated_at=row.deprecated_at,
        sunset=row.sunset_at,
        successor=row.successor,
        note=row.note,
        retired_at=row.retired_at,
        brownouts=brownouts,
    )


def summary(api: ApiRow, row: ApiVersionRow, brownouts: tuple[Brownout, ...] = ()) -> ApiSummary:
    return ApiSummary(
        slug=api.slug,
        version=row.version,
        state=VersionState(row.state),
        provider=api.provider_id,
        published_at=row.published_at,
        sunset=row.sunset_at,
        brownouts=brownouts,
    )


def route(api: ApiRow, row: ApiVersionRow, brownouts: tuple[Brownout, ...] = ()) -> RouteEntry:
    return RouteEntry(
        slug=api.slug,
        version=row.version,
        provider_id=api.provider_id,
        state=VersionState(row.state),
        upstream_url=row.upstream_url,
        document=row.document,
        plan=plan(row),
        open_data=row.open_data,
        write_scope=row.write_scope,
        cors_origins=tuple(row.cors_origins),
        connect_timeout=row.connect_timeout,
        read_timeout=row.read_timeout,
        published_at=row.published_at,
        deprecated_at=row.deprecated_at,
        sunset=row.sunset_at,
        successor=row.successor,
        brownouts=brownouts,
    )


def app(row: AppRow) -> AppView:
    return AppView(
        client_id=row.client_id,
        name=row.name,
        owner=row.owner,
        scopes=tuple(row.scopes),
        sandbox=row.sandbox,
        secret_hash=row.secret_hash,
        created_at=row.created_at,
        disabled=row.disabled,
        developer_id=row.developer_id,
        previous_secret_hash=row.previous_secret_hash,
        previous_secret_until=row.previous_secret_until,
        deleted_at=row.deleted_at,
    )


def api_key(row: ApiKeyRow) -> ApiKeyView:
    return ApiKeyView(key_hash=row.key_hash, client_id=row.client_id, slugs=tuple(row.slugs))


def signing_key(row: SigningKeyRow, *, include_private: bool) -> SigningKeyView:
    return SigningKeyView(
        kid=row.kid,
        alg=row.alg,  # type: ignore[arg-type]  # the column only ever holds ES256 / RS256
        public_jwk=row.public_jwk,
        private_pem=row.private_pem if include_private else None,
        created_at=row.created_at,
        activates_at=row.activates_at,
        retires_at=row.retires_at,
        expires_at=row.expires_at,
    )


def change(row: ChangeLogRow) -> ChangeLogEntry:
    return ChangeLogEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        detail=row.detail,
    )
