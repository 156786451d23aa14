"""Traffic roll-up queries inside one transaction: add hourly counts, compact, sum a period."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from registry.store.tables import TrafficErrorRow, TrafficRow
from registry.usage.traffic import COUNT_COLUMNS, ErrorCount, TrafficCount, jst_day_start

HOUR, DAY = "hour", "day"
# pg_advisory_xact_lock key for compaction ("tsunagu-compact" folded into a bigint).
COMPACTION_LOCK = 0x7473756E6167750C


class TrafficTotals(dict[str, int]):
    """Summed COUNT_COLUMNS for one API version over a period."""


class TrafficUnit:
    session: Session

    def add_traffic(self, counts: Iterable[TrafficCount], errors: Iterable[ErrorCount]) -> None:
        """Add counts to their rows (insert or add): every instance's flushes add up."""
        insert = self._insert()
        ordered = sorted(counts, key=lambda c: (c.slug, c.version, c.client_id, c.hour))
        for count in ordered:  # one key order for every writer: no deadlock between flushes
            values: dict[str, Any] = {name: count.counts.get(name, 0) for name in COUNT_COLUMNS}
            stmt = insert(TrafficRow).values(
                slug=count.slug,
                version=count.version,
                client_id=count.client_id,
                grain=HOUR,
                start=count.hour,
                last_call=count.last_call,
                **values,
            )
            excluded = stmt.excluded
            added = {name: getattr(TrafficRow, name) + excluded[name] for name in COUNT_COLUMNS}
            added["last_call"] = func.max(TrafficRow.last_call, excluded.last_call)
            if self._dialect() == "postgresql":
                added["last_call"] = func.greatest(TrafficRow.last_call, excluded.last_call)
            self.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["slug", "version", "client_id", "grain", "start"],
                    set_=added,
                )
            )
        for error in sorted(errors, key=lambda e: (e.slug, e.version, e.code, e.hour)):
            self._add_error((error.slug, error.version, error.code), HOUR, error.hour, error.count)

    def compact_traffic(self, before: datetime) -> int:
        """Fold hourly rows that started before `before` into Japan-day rows; returns how
        many hourly rows went. Serialised across instances, so nothing is counted twice."""
        if self._dialect() == "postgresql":
            self.session.execute(text(f"SELECT pg_advisory_xact_lock({COMPACTION_LOCK})"))
        old = list(
            self.session.scalars(
                select(TrafficRow).where(TrafficRow.grain == HOUR, TrafficRow.start < before)
            )
        )
        days: dict[tuple[str, str, str, datetime], dict[str, Any]] = {}
        for row in old:
            key = (row.slug, row.version, row.client_id, jst_day_start(row.start))
            day = days.setdefault(key, {name: 0 for name in COUNT_COLUMNS} | {"last": row.start})
            for name in COUNT_COLUMNS:
                day[name] += getattr(row, name)
            day["last"] = max(day["last"], row.last_call)
        for key, day in sorted(days.items()):
            last_call = day.pop("last")
            self._add_day(key, last_call, day)
        old_errors = list(
            self.session.scalars(
                select(TrafficErrorRow).where(
                    TrafficErrorRow.grain == HOUR, TrafficErrorRow.start < before
                )
            )
        )
        error_days: dict[tuple[str, str, str, datetime], int] = {}
        for error in old_errors:
            key = (error.slug, error.version, error.code, jst_day_start(error.start))
            error_days[key] = error_days.get(key, 0) + error.count
        for (slug, version, code, start), total in sorted(error_days.items()):
            self._add_error((slug, version, code), DAY, start, total)
        self.session.execute(
            delete(TrafficRow).where(TrafficRow.grain == HOUR, TrafficRow.start < before)
        )
        self.session.execute(
            delete(TrafficErrorRow).where(
                TrafficErrorRow.grain == HOUR, TrafficErrorRow.start < before
            )
        )
        return len(old)

    def _add_day(
        self, key: tuple[str, str, str, datetime], last_call: datetime, counts: dict[str, int]
    ) -> None:
        slug, version, client_id, start = key
        row = self.session.get(TrafficRow, (slug, version, client_id, DAY, start))
        if row is None:
            self.session.add(
                TrafficRow(
                    slug=slug,
                    version=version,
                    client_id=client_id,
                    grain=DAY,
                    start=start,
                    last_call=last_call,
                    **counts,
                )
            )
        else:
            for name, value in counts.items():
                setattr(row, name, getattr(row, name) + value)
            row.last_call = max(row.last_call, last_call)
        self.session.flush()

    def traffic_totals(
        self, slug: str, version: str, since: datetime, until: datetime
    ) -> tuple[TrafficTotals, int, list[tuple[str, int]]]:
        """Summed counts, distinct apps and problem codes (most frequent first) of a period."""
        in_period = (
            TrafficRow.slug == slug,
            TrafficRow.version == version,
            TrafficRow.start >= since,
            TrafficRow.start < until,
        )
        sums = [func.coalesce(func.sum(getattr(TrafficRow, n)), 0) for n in COUNT_COLUMNS]
        row = self.session.execute(select(*sums).where(*in_period)).one()
        totals = TrafficTotals(zip(COUNT_COLUMNS, (int(v) for v in row), strict=True))
        apps = self.session.scalar(
            select(func.count(func.distinct(TrafficRow.client_id))).where(
                *in_period, TrafficRow.client_id != ""
            )
        )
        total = func.sum(TrafficErrorRow.count).label("total")
        codes = self.session.execute(
            select(TrafficErrorRow.code, total)
            .where(
                TrafficErrorRow.slug == slug,
                TrafficErrorRow.version == version,
                TrafficErrorRow.start >= since,
                TrafficErrorRow.start < until,
            )
            .group_by(TrafficErrorRow.code)
            .order_by(total.desc(), TrafficErrorRow.code)
        )
        return totals, int(apps or 0), [(code, int(n)) for code, n in codes]

    def _add_error(
        self, key: tuple[str, str, str], grain: str, start: datetime, count: int
    ) -> None:
        slug, version, code = key
        stmt = self._insert()(TrafficErrorRow).values(
            slug=slug, version=version, code=code, grain=grain, start=start, count=count
        )
        self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["slug", "version", "code", "grain", "start"],
                set_={"count": TrafficErrorRow.count + stmt.excluded["count"]},
            )
        )

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def _insert(self) -> Any:
        return postgresql.insert if self._dialect() == "postgresql" else sqlite.insert
