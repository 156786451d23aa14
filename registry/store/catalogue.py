"""Catalogue queries inside one transaction: providers, APIs, versions, waivers, change log."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import or_, select, text, update
from sqlalchemy.orm import Session

from registry.errors import NotFound
from registry.models import (
    ApiSummary,
    ApiVersionView,
    ChangeLogEntry,
    LintReport,
    Provider,
    RatePlan,
    VersionState,
    Waiver,
)
from registry.store import mapping
from registry.store.tables import (
    ApiRow,
    ApiVersionRow,
    ChangeLogRow,
    ProviderRow,
    RegistryStateRow,
    WaiverRow,
)

GENERATION_CHANNEL = "tsunagu_generation"  # PostgreSQL LISTEN/NOTIFY channel of generation bumps


@dataclass(frozen=True)
class Draft:
    """A version as registered: stored as a new draft or replacing the existing draft."""

    slug: str
    version: str
    provider_id: str
    document: dict[str, Any]
    source: str
    upstream_url: str
    report: LintReport
    plan: RatePlan
    open_data: bool
    write_scope: bool
    at: datetime
    cors_origins: tuple[str, ...] = field(default=())
    connect_timeout: float | None = None
    read_timeout: float | None = None


class VersionChanges(TypedDict, total=False):
    """Fields a lifecycle step may change on a version (column names of api_versions)."""

    state: VersionState
    report: LintReport
    plan: RatePlan
    published_at: datetime
    deprecated_at: datetime
    sunset_at: datetime
    retired_at: datetime
    successor: str | None
    note: str | None


class CatalogueUnit:
    """Providers, APIs and versions as seen inside the enclosing transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # generation and change log ------------------------------------------------------------
    def generation(self) -> int:
        value = self.session.scalar(
            select(RegistryStateRow.generation).where(RegistryStateRow.id == 1)
        )
        return int(value or 0)

    def routes_generation(self) -> int:
        value = self.session.scalar(
            select(RegistryStateRow.routes_generation).where(RegistryStateRow.id == 1)
        )
        return int(value or 0)

    def bump_generation(self, *, routes: bool = True) -> int:
        """Advance the generation the gateway watches (commits with the change, or not at all);
        `routes=False` for a change that cannot alter a route (apps, keys, revocations), so
        gateways keep their routes and reload only the credentials.

        On PostgreSQL it also queues `NOTIFY tsunagu_generation, '<n>'`: notifications are
        transactional, so listening gateways hear of the change at commit and never of a
        rolled-back one.
        """
        values: dict[str, Any] = {"generation": RegistryStateRow.generation + 1}
        if routes:
            values["routes_generation"] = RegistryStateRow.routes_generation + 1
        stmt = (
            update(RegistryStateRow)
            .where(RegistryStateRow.id == 1)
            .values(**values)
            .returning(RegistryStateRow.generation)
        )
        generation = int(self.session.execute(stmt).scalar_one())
        if self.session.get_bind().dialect.name == "postgresql":
            notify = text("SELECT pg_notify(:channel, :payload)")
            self.session.execute(
                notify, {"channel": GENERATION_CHANNEL, "payload": str(generation)}
            )
        return generation

    def record_change(
        self,
        at: datetime,
        actor: str,
        action: str,
        target: str,
        detail: Mapping[str, Any],
        *,
        routes: bool = True,
    ) -> ChangeLogEntry:
        """Append to the change log and bump the generation, in this transaction (`routes`:
        see `bump_generation`)."""
        row = ChangeLogRow(at=at, actor=actor, action=action, target=target, detail=dict(detail))
        self.session.add(row)
        self.session.flush()
        self.bump_generation(routes=routes)
        return mapping.change(row)

    def change_log(self, limit: int, slugs: Collection[str] | None) -> list[ChangeLogEntry]:
        """Newest first; with `slugs`, only entries whose target is a version of those APIs."""
        stmt = select(ChangeLogRow).order_by(ChangeLogRow.id.desc()).limit(limit)
        if slugs is not None:
            if not slugs:
                return []
            stmt = stmt.where(or_(*(ChangeLogRow.target.startswith(f"{s}/") for s in slugs)))
        return [mapping.change(row) for row in self.session.scalars(stmt)]

    # providers -------------------------------------------------------------------------------
    def provider(self, provider_id: str) -> Provider | None:
        row = self.session.get(ProviderRow, provider_id)
        return mapping.provider(row) if row else None

    def add_provider(self, provider: Provider) -> None:
        self.session.add(ProviderRow(**provider.model_dump()))
        self.session.flush()

    # APIs and versions -------------------------------------------------------------------------
    def api_owner(self, slug: str) -> str | None:
        return self.session.scalar(select(ApiRow.provider_id).where(ApiRow.slug == slug))

    def slugs_of(self, provider_id: str) -> list[str]:
        return list(
            self.session.scalars(select(ApiRow.slug).where(ApiRow.provider_id == provider_id))
        )

    def known_slugs(self, slugs: Collection[str]) -> set[str]:
        return set(self.session.scalars(select(ApiRow.slug).where(ApiRow.slug.in_(slugs))))

    def open_data_slugs(self, slugs: Collection[str]) -> set[str]:
        """Those of `slugs` with a published or deprecated open-data version."""
        stmt = (
            select(ApiRow.slug)
            .join(ApiVersionRow, ApiVersionRow.api_id == ApiRow.id)
            .where(ApiRow.slug.in_(slugs), ApiVersionRow.open_data.is_(True))
            .where(ApiVersionRow.state.in_([VersionState.PUBLISHED, VersionState.DEPRECATED]))
        )
        return set(self.session.scalars(stmt))

    def _rows(self, slug: str, version: str) -> tuple[ApiRow, ApiVersionRow] | None:
        stmt = (
            select(ApiRow, ApiVersionRow)
            .join(ApiVersionRow, ApiVersionRow.api_id == ApiRow.id)
            .where(ApiRow.slug == slug, ApiVersionRow.version == version)
        )
        found = self.session.execute(stmt).first()
        return (found[0], found[1]) if found else None

    def _waivers(self, version_id: int) -> list[WaiverRow]:
        stmt = select(WaiverRow).where(WaiverRow.version_id == version_id).order_by(WaiverRow.id)
        return list(self.session.scalars(stmt))

    def version(self, slug: str, version: str) -> ApiVersionView | None:
        rows = self._rows(slug, version)
        if rows is None:
            return None
        api, row = rows
        return mapping.version_view(api, row, self._waivers(row.id))

    def summaries(self) -> list[ApiSummary]:
        """Every version, by slug and then major version as a number (v2 before v10)."""
        stmt = select(ApiRow, ApiVersionRow).join(ApiVersionRow, ApiVersionRow.api_id == ApiRow.id)
        rows = [mapping.summary(api, row) for api, row in self.session.execute(stmt)]
        return sorted(rows, key=lambda r: (r.slug, int(r.version[1:])))

    def save_draft(self, draft: Draft) -> None:
        """Insert the version as a draft, or overwrite the existing draft of that version."""
        api = self.session.scalar(select(ApiRow).where(ApiRow.slug == draft.slug))
        if api is None:
            api = ApiRow(
                slug=draft.slug, provider_id=draft.provider_id, listing={}, created_at=draft.at
            )
            self.session.add(api)
            self.session.flush()
        rows = self._rows(draft.slug, draft.version)
        row = (
            rows[1]
            if rows
            else ApiVersionRow(api_id=api.id, version=draft.version, created_at=draft.at)
        )
        row.document = draft.document
        row.source = draft.source
        row.upstream_url = draft.upstream_url
        row.state = VersionState.DRAFT
        row.lint_report = draft.report.model_dump(mode="json")
        row.updated_at = draft.at
        _apply_plan(row, draft.plan)
        row.open_data = draft.open_data
        row.write_scope = draft.write_scope
        row.cors_origins = list(draft.cors_origins)
        row.connect_timeout = draft.connect_timeout
        row.read_timeout = draft.read_timeout
        self.session.add(row)
        self.session.flush()

    def update_version(
        self, slug: str, version: str, at: datetime, changes: VersionChanges
    ) -> None:
        """Apply `changes`; the row version check turns a lost race into StaleDataError."""
        rows = self._rows(slug, version)
        if rows is None:
            raise NotFound("not-found", api=f"{slug}/{version}")
        row = rows[1]
        for key, value in changes.items():
            if key == "report":
                row.lint_report = changes["report"].model_dump(mode="json")
            elif key == "plan":
                _apply_plan(row, changes["plan"])
            else:
                setattr(row, key, value)
        row.updated_at = at
        self.session.flush()

    def put_waiver(self, slug: str, version: str, waiver: Waiver) -> None:
        """Record (or replace) the waiver of one rule on one version."""
        rows = self._rows(slug, version)
        if rows is None:
            raise NotFound("not-found", api=f"{slug}/{version}")
        stmt = select(WaiverRow).where(
            WaiverRow.version_id == rows[1].id, WaiverRow.rule == waiver.rule
        )
        row = self.session.scalar(stmt) or WaiverRow(version_id=rows[1].id, rule=waiver.rule)
        row.reason, row.granted_by, row.granted_at = (
            waiver.reason,
            waiver.granted_by,
            waiver.granted_at,
        )
        self.session.add(row)
        self.session.flush()


def _apply_plan(row: ApiVersionRow, plan: RatePlan) -> None:
    row.per_minute = plan.per_minute
    row.per_day = plan.per_day
    row.sandbox_per_minute = plan.sandbox_per_minute
    row.fail_closed = plan.fail_closed
