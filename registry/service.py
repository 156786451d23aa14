"""RegistryService: the one code path for every registry operation (CLI, admin API, gateway).

Each operation checks who is acting (`Principal`), runs in one store transaction, and appends
to the change log (which bumps the generation the gateway watches) in that same transaction.
Providers never see another provider's drafts: those read as NotFound, so existence does not
leak; acting on another provider's public version is Forbidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from registry import apps, lifecycle
from registry.address_policy import UpstreamGuard
from registry.clock import Clock, utc_now
from registry.errors import Forbidden, InvalidInput, NotFound, Refused
from registry.intake import default_slug, document_major_version, load_document
from registry.models import (
    ApiSummary,
    ApiVersionView,
    ChangeLogEntry,
    ConsumerRow,
    Provider,
    RatePlan,
    RegisterResult,
    VersionState,
    Waiver,
    sunset_instant,
)
from registry.notices.operations import NoticeOperations
from registry.principal import Principal, Role
from registry.problems import Text
from registry.settings import Settings
from registry.store import Store, Unit, VersionChanges
from registry.usage.operations import StatusOperations

DRAFT = VersionState.DRAFT


_READ = Text("情報の参照", "read")
_REGISTER = Text("API登録", "register APIs for")


class RegistryService(apps.AppOperations, StatusOperations, NoticeOperations):
    """Providers, API versions and their lifecycle, apps and keys, usage and the change log."""

    def __init__(self, store: Store, settings: Settings, clock: Clock = utc_now) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock

    # providers ---------------------------------------------------------------------------
    def add_provider(
        self,
        principal: Principal,
        id: str,
        name_ja: str,
        name_en: str,
        contact: str,
        *,
        notice_days: int | None = None,
    ) -> Provider:
        _require_operator(principal, Text("プロバイダーの追加", "add providers"))
        lifecycle.check_slug(id)
        lifecycle.check_notice_days(notice_days)
        provider = Provider(
            id=id,
            name_ja=name_ja,
            name_en=name_en,
            contact=contact,
            notice_days=notice_days,
            created_at=self.clock(),
        )
        with self.store.write() as unit:
            if unit.provider(id) is not None:
                raise Refused("provider-exists", provider=id)
            unit.add_provider(provider)
            detail = provider.model_dump(mode="json", exclude={"id", "created_at"})
            unit.record_change(
                provider.created_at, principal.subject, "provider.add", f"provider:{id}", detail
            )
        return provider

    def get_provider(self, principal: Principal, id: str) -> Provider:
        if not principal.may_act_for(id):
            raise Forbidden("provider-forbidden", provider=id, action=_READ)
        with self.store.read() as unit:
            provider = unit.provider(id)
        if provider is None:
            raise NotFound("provider-not-found", provider=id)
        return provider

    # registration and lifecycle ------------------------------------------------------------
    def register(
        self,
        principal: Principal,
        provider_id: str,
        document: bytes,
        upstream_url: str,
        slug: str | None = None,
    ) -> RegisterResult:
        """Store (or replace) the draft of the document's major version, with its lint report."""
        if not principal.may_act_for(provider_id):
            raise Forbidden("provider-forbidden", provider=provider_id, action=_REGISTER)
        doc = lifecycle.as_stored(load_document(document))
        version = document_major_version(doc)
        slug = lifecycle.check_slug(slug) if slug is not None else default_slug(doc)
        lifecycle.check_upstream_url(
            upstream_url, UpstreamGuard(self.settings.upstream_allow_list())
        )
        now = self.clock()
        with self.store.write() as unit:
            if unit.provider(provider_id) is None:
                raise NotFound("provider-not-found", provider=provider_id)
            owner = unit.api_owner(slug)
            if owner is not None and owner != provider_id:
                raise Forbidden("slug-taken", slug=slug)
            current = unit.version(slug, version)
            if current is not None and current.state is not DRAFT:
                lifecycle.check_reregister(current, doc, upstream_url)
                return RegisterResult(
                    slug=slug, version=version, state=current.state, lint=current.lint
                )
            report = lifecycle.lint_version(doc, current.waivers if current else ())
            plan = RatePlan(
                per_minute=self.settings.default_per_minute,
                per_day=self.settings.default_per_day,
                sandbox_per_minute=self.settings.sandbox_per_minute,
            )
            draft = lifecycle.new_draft(
                slug=slug,
                version=version,
                provider_id=provider_id,
                doc=doc,
                source=document,
                upstream_url=upstream_url,
                report=report,
                plan=plan,
                at=now,
            )
            unit.save_draft(draft)
            detail = {
                "provider": provider_id,
                "upstream_url": upstream_url,
                **lifecycle.report_detail(report),
            }
            unit.record_change(now, principal.subject, "api.register", f"{slug}/{version}", detail)
        return RegisterResult(slug=slug, version=version, state=DRAFT, lint=report)

    def publish(self, principal: Principal, slug: str, version: str) -> ApiVersionView:
        now = self.clock()
        with self.store.write() as unit:
            view = _for_write(unit, principal, slug, version)
            lifecycle.check_transition("publish", slug, version, view.state)
            report = lifecycle.lint_version(dict(view.document), view.waivers)
            lifecycle.check_publishable(slug, version, report)
            changes: VersionChanges = {
                "state": VersionState.PUBLISHED,
                "published_at": now,
                "report": report,
            }
            return self._change(
                unit,
                principal,
                view,
                action="api.publish",
                changes=changes,
                detail=lifecycle.report_detail(report),
            )

    def deprecate(
        self,
        principal: Principal,
        slug: str,
        version: str,
        sunset: date,
        *,
        successor: str | None = None,
        note: str | None = None,
    ) -> ApiVersionView:
        now = self.clock()
        with self.store.write() as unit:
            view = _for_write(unit, principal, slug, version)
            if view.state is VersionState.DEPRECATED:
                return self._move_sunset(
                    unit, principal, view, sunset, successor=successor, note=note
                )
            lifecycle.check_transition("deprecate", slug, version, view.state)
            _check_successor(unit, slug, version, successor)
            provider = unit.provider(view.provider_id)
            notice = provider.notice_days if provider and provider.notice_days is not None else None
            notice = self.settings.notice_days if notice is None else notice
            sunset_at = lifecycle.check_sunset(now, sunset, notice)
            changes: VersionChanges = {
                "state": VersionState.DEPRECATED,
                "deprecated_at": now,
                "sunset_at": sunset_at,
                "successor": successor,
                "note": note,
            }
            detail = {"sunset": sunset.isoformat(), "successor": successor, "note": note}
            return self._change(
                unit, principal, view, action="api.deprecate", changes=changes, detail=detail
            )

    def _move_sunset(
        self,
        unit: Unit,
        principal: Principal,
        view: ApiVersionView,
        sunset: date,
        *,
        successor: str | None,
        note: str | None,
    ) -> ApiVersionView:
        """`api deprecate` again: the sunset may move later (never earlier) and the successor
        and note may change; the change log records it as `api.sunset`."""
        sunset_at = sunset_instant(sunset)
        if view.sunset is not None and sunset_at < view.sunset:
            raise Refused(
                "sunset-earlier",
                api=f"{view.slug}/{view.version}",
                current=lifecycle.sunset_day(view.sunset).isoformat(),
                sunset=sunset.isoformat(),
            )
        successor = view.successor if successor is None else successor
        _check_successor(unit, view.slug, view.version, successor)
        note = view.note if note is None else note
        previous = lifecycle.sunset_day(view.sunset).isoformat() if view.sunset else None
        changes: VersionChanges = {"sunset_at": sunset_at, "successor": successor, "note": note}
        detail = {
            "sunset": sunset.isoformat(),
            "previous_sunset": previous,
            "successor": successor,
            "note": note,
        }
        return self._change(
            unit, principal, view, action="api.sunset", changes=changes, detail=detail
        )

    def retire(self, principal: Principal, slug: str, version: str) -> ApiVersionView:
        now = self.clock()
        with self.store.write() as unit:
            view = _for_write(unit, principal, slug, version)
            lifecycle.check_transition("retire", slug, version, view.state)
            changes: VersionChanges = {"state": VersionState.RETIRED, "retired_at": now}
            return self._change(
                unit,
                principal,
                view,
                action="api.retire",
                changes=changes,
                detail={"from": view.state.value},
            )

    def waive(
        self, principal: Principal, slug: str, version: str, rule: str, reason: str
    ) -> ApiVersionView:
        _require_operator(principal, Text("リント指摘の免除", "waive lint findings"))
        if not reason.strip():
            raise InvalidInput("waiver-needs-reason")
        now = self.clock()
        with self.store.write() as unit:
            view = _for_write(unit, principal, slug, version)
            lifecycle.check_transition("waive", slug, version, view.state)
            if all(f.rule != rule for f in view.lint.findings):
                raise InvalidInput("waiver-rule-unknown", rule=rule, api=f"{slug}/{version}")
            waiver = Waiver(rule=rule, reason=reason, granted_by=principal.subject, granted_at=now)
            unit.put_waiver(slug, version, waiver)
            waivers = (*(w for w in view.waivers if w.rule != rule), waiver)
            report = lifecycle.lint_version(dict(view.document), waivers)
            detail = {"rule": rule, "reason": reason, **lifecycle.report_detail(report)}
            return self._change(
                unit, principal, view, action="api.waive", changes={"report": report}, detail=detail
            )

    def set_plan(
        self, principal: Principal, slug: str, version: str, plan: RatePlan
    ) -> ApiVersionView:
        _require_operator(principal, Text("利用回数プランの変更", "change rate-limit plans"))
        with self.store.write() as unit:
            view = _for_write(unit, principal, slug, version)
            return self._change(
                unit,
                principal,
                view,
                action="api.plan",
                changes={"plan": plan},
                detail=plan.model_dump(),
            )

    def _change(
        self,
        unit: Unit,
        principal: Principal,
        view: ApiVersionView,
        *,
        action: str,
        changes: VersionChanges,
        detail: Mapping[str, Any],
    ) -> ApiVersionView:
        now = self.clock()
        unit.update_version(view.slug, view.version, now, changes)
        unit.record_change(now, principal.subject, action, f"{view.slug}/{view.version}", detail)
        updated = unit.version(view.slug, view.version)
        if updated is None:  # the row was just updated in this transaction
            raise NotFound("not-found", api=f"{view.slug}/{view.version}")
        return lifecycle.with_listing(updated)

    # reads -------------------------------------------------------------------------------------
    def list_apis(self, principal: Principal) -> list[ApiSummary]:
        with self.store.read() as unit:
            rows = unit.summaries()
        return [r for r in rows if r.state is not DRAFT or _sees_drafts_of(principal, r.provider)]

    def get_version(self, principal: Principal, slug: str, version: str) -> ApiVersionView:
        with self.store.read() as unit:
            return lifecycle.with_listing(_visible(unit, principal, slug, version))

    def consumers(self, principal: Principal, slug: str, version: str) -> list[ConsumerRow]:
        with self.store.read() as unit:
            view = _visible(unit, principal, slug, version)
            if not principal.may_act_for(view.provider_id):
                raise Forbidden("consumers-forbidden", slug=slug)
            return unit.consumers(slug, version)

    def change_log(self, principal: Principal, limit: int = 100) -> list[ChangeLogEntry]:
        if principal.role is Role.DEVELOPER:
            raise Forbidden("change-log-forbidden")
        with self.store.read() as unit:
            slugs = (
                None
                if principal.role is Role.OPERATOR
                else unit.slugs_of(principal.provider_id or "")
            )
            return unit.change_log(max(1, min(limit, 1000)), slugs)


def _check_successor(unit: Unit, slug: str, version: str, successor: str | None) -> None:
    if successor is not None:
        found = unit.version(slug, successor)
        if successor == version or found is None or found.state is not VersionState.PUBLISHED:
            raise Refused("invalid-successor", api=f"{slug}/{successor}")


def _require_operator(principal: Principal, what: Text) -> None:
    if principal.role is not Role.OPERATOR:
        raise Forbidden("operators-only", action=what)


def _sees_drafts_of(principal: Principal, provider_id: str) -> bool:
    return principal.role is not Role.DEVELOPER and principal.may_act_for(provider_id)


def _visible(unit: Unit, principal: Principal, slug: str, version: str) -> ApiVersionView:
    """The version, unless it is missing or a draft the principal may not see (both NotFound)."""
    view = unit.version(slug, version)
    if view is None or (view.state is DRAFT and not _sees_drafts_of(principal, view.provider_id)):
        raise NotFound("not-found", api=f"{slug}/{version}")
    return view


def _for_write(unit: Unit, principal: Principal, slug: str, version: str) -> ApiVersionView:
    if principal.role is Role.DEVELOPER:
        raise Forbidden("developers-read-only")
    view = _visible(unit, principal, slug, version)
    if not principal.may_act_for(view.provider_id):
        raise Forbidden("api-owned-by-other", slug=slug)
    return view
