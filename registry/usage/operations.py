"""The status part of `RegistryService`: traffic statistics per API version, provider-scoped."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from registry.clock import Clock
from registry.errors import Forbidden, InvalidInput, NotFound
from registry.models import ApiVersionView, VersionState
from registry.principal import Principal, Role
from registry.settings import Settings
from registry.slo import Objectives
from registry.store import Store, Unit
from registry.usage.stats import VersionStats, version_stats

MAX_PERIOD = timedelta(days=90)
_PERIOD = re.compile(r"(\d{1,4})([hd])")


def parse_period(value: str) -> timedelta:
    """`1h`, `24h`, `7d` … (hours or days, at most 90 days)."""
    match = _PERIOD.fullmatch(value.strip())
    if match is None:
        raise InvalidInput("invalid-period", value=repr(value))
    amount, unit = int(match.group(1)), match.group(2)
    period = timedelta(hours=amount) if unit == "h" else timedelta(days=amount)
    if not timedelta(0) < period <= MAX_PERIOD:
        raise InvalidInput("invalid-period", value=repr(value))
    return period


class StatusOperations:
    """Mixed into `RegistryService`."""

    store: Store
    settings: Settings
    clock: Clock

    def version_stats(
        self, principal: Principal, slug: str, version: str, period: timedelta
    ) -> VersionStats:
        until, since = self._period(period)
        with self.store.read() as unit:
            view = unit.version(slug, version)
            if view is None or not _may_see(principal, view):
                raise NotFound("not-found", api=f"{slug}/{version}")
            return self._stats(unit, view, since, until)

    def status(
        self, principal: Principal, slug: str | None, period: timedelta
    ) -> list[VersionStats]:
        """Every served version the principal may see (of one API when `slug` is given)."""
        until, since = self._period(period)
        with self.store.read() as unit:
            rows = [r for r in unit.summaries() if slug is None or r.slug == slug]
            views = [unit.version(r.slug, r.version) for r in rows]
            visible = [
                v
                for v in views
                if v is not None and v.state is not VersionState.DRAFT and _may_see(principal, v)
            ]
            if slug is not None and not visible:
                raise NotFound("not-found", api=slug)
            return [self._stats(unit, v, since, until) for v in visible]

    def compact_traffic(self) -> int:
        """Fold hourly traffic older than the retention period into daily rows."""
        keep = timedelta(days=self.settings.traffic_hourly_retention_days)
        return self.store.compact_traffic(self.clock() - keep)

    def _period(self, period: timedelta) -> tuple[datetime, datetime]:
        if not timedelta(0) < period <= MAX_PERIOD:
            raise InvalidInput("invalid-period", value=str(period))
        until = self.clock()
        return until, until - period

    def _stats(
        self, unit: Unit, view: ApiVersionView, since: datetime, until: datetime
    ) -> VersionStats:
        totals, apps, codes = unit.traffic_totals(view.slug, view.version, since, until)
        defaults = Objectives(
            self.settings.slo_availability_percent, self.settings.slo_latency_p95_ms
        )
        return version_stats(
            view,
            totals=totals,
            apps=apps,
            codes=codes,
            period=(since, until),
            defaults=defaults,
            launch_watch_days=self.settings.launch_watch_days,
        )


def _may_see(principal: Principal, view: ApiVersionView) -> bool:
    if principal.role is Role.DEVELOPER:
        raise Forbidden("stats-forbidden")
    return principal.may_act_for(view.provider_id)
