"""Notices that time, not a person, causes: sunset reminders, retirement at the sunset, and the
daily launch-watch report. The worker runs `ScheduledNotices.run()` every round; each duty is
idempotent (a reminder is a change-log entry looked up before it is written, a report's
delivery key names its day), so a second instance or a re-run adds nothing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from registry import urls
from registry.clock import Clock, utc_now
from registry.errors import RegistryError
from registry.lifecycle import sunset_day
from registry.models import ApiVersionView, VersionState
from registry.notices.events import JST
from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.slo import Objectives
from registry.store import Unit
from registry.usage.report import launch_report_subject, launch_report_text
from registry.usage.stats import VersionStats, version_stats

log = logging.getLogger(__name__)
REMINDER_DAYS = (90, 30, 7)
SCHEDULER = Principal(role=Role.OPERATOR, subject="tsunagu:notices")
LIVE = (VersionState.PUBLISHED, VersionState.DEPRECATED)


class ScheduledNotices:
    def __init__(self, service: RegistryService, clock: Clock = utc_now) -> None:
        self._service = service
        self._clock = clock

    def run(self) -> None:
        """One round of every duty; a duty that fails is logged and the others still run."""
        now = self._clock()
        with self._service.store.read() as unit:
            views = [v for s in unit.summaries() if (v := unit.version(s.slug, s.version))]
        for view in views:
            try:
                self._duties(view, now)
            except RegistryError as error:  # a lost race or an outage: the next round retries
                log.warning("scheduled notices for %s/%s: %s", view.slug, view.version, error)

    def _duties(self, view: ApiVersionView, now: datetime) -> None:
        if view.state is VersionState.DEPRECATED and view.sunset is not None:
            if view.sunset <= now:
                self._service.retire(SCHEDULER, view.slug, view.version)
                return
            self._remind(view, view.sunset, now)
        if view.state in LIVE:
            self._report(view, now)

    def _remind(self, view: ApiVersionView, sunset: datetime, now: datetime) -> None:
        """The nearest reminder whose day has come, unless the deprecation itself came later
        than that day (its own notice said as much) or it was already sent for this sunset."""
        deprecated = view.deprecated_at or now
        due = [d for d in REMINDER_DAYS if deprecated < sunset - timedelta(days=d) <= now]
        if not due:
            return
        detail = {"days": min(due), "sunset": sunset_day(sunset).isoformat()}
        target = f"{view.slug}/{view.version}"
        with self._service.store.read() as unit:  # the common case, every round: already sent
            if _reminded(unit, target, detail):
                return
        with self._service.store.write() as unit:
            if not _reminded(unit, target, detail):  # another instance may have just written it
                unit.record_change(
                    now, SCHEDULER.subject, "api.reminder", target, detail, routes=False
                )

    def _report(self, view: ApiVersionView, now: datetime) -> None:
        """Yesterday's launch-watch report (Japan calendar day) to the provider's contact."""
        settings = self._service.settings
        today = now.astimezone(JST).date()
        day = today - timedelta(days=1)
        start, end = _midnight(day), _midnight(today)
        watch = timedelta(days=settings.launch_watch_days)
        published = view.published_at
        if published is None or not (published < end and start < published + watch):
            return
        key = f"launch-watch:{view.slug}/{view.version}:{day.isoformat()}"
        with self._service.store.read() as unit:  # the common case, every round: already sent
            if unit.has_delivery(key):
                return
        with self._service.store.outbox() as unit:  # an outbox row, not a registry change
            provider = unit.provider(view.provider_id)
            if provider is None or "@" not in provider.contact or unit.has_delivery(key):
                return
            stats = self._stats(unit, view, start, end)
            before = self._stats(unit, view, _midnight(day - timedelta(days=1)), start)
            page = urls.api_page_url(settings.public_url, view.slug, view.version)
            title = view.title or view.slug
            unit.enqueue_mail(
                to=provider.contact,
                subject=launch_report_subject(title, stats),
                body=launch_report_text(title, stats, before, page),
                kind="launch-watch.report",
                key=key,
            )

    def _stats(
        self, unit: Unit, view: ApiVersionView, since: datetime, until: datetime
    ) -> VersionStats:
        settings = self._service.settings
        totals, apps, codes = unit.traffic_totals(view.slug, view.version, since, until)
        return version_stats(
            view,
            totals=totals,
            apps=apps,
            codes=codes,
            period=(since, until),
            defaults=Objectives(settings.slo_availability_percent, settings.slo_latency_p95_ms),
            launch_watch_days=settings.launch_watch_days,
        )


def _reminded(unit: Unit, target: str, detail: dict[str, object]) -> bool:
    """Whether this reminder (days before this sunset) is already in the change log."""
    return any(dict(entry.detail) == detail for entry in unit.changes_of(target, "api.reminder"))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=JST)
