"""What one hourly roll-up row holds, and the fixed latency buckets all instances share.

Each gateway process counts finished calls per (API version, app, hour) and adds its counts to
the row in the store, so figures from every instance add up. Latency is kept as counts per
fixed bucket (not as percentiles, which cannot be added), so p50/p95/p99 over any period and
any number of instances come from summed buckets.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone

from registry.models import Frozen

JST = timezone(timedelta(hours=9))
ANONYMOUS = ""  # the client id of calls refused before a credential was accepted

# Upper bounds (ms) of the latency buckets; one more bucket counts everything slower.
LATENCY_BOUNDS_MS: tuple[int, ...] = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
BUCKET_COLUMNS: tuple[str, ...] = (
    *(f"latency_le_{bound}" for bound in LATENCY_BOUNDS_MS),
    "latency_over",
)
STATUS_COLUMNS: tuple[str, ...] = ("status_2xx", "status_3xx", "status_4xx", "status_5xx")
COUNT_COLUMNS: tuple[str, ...] = (
    "requests",
    *STATUS_COLUMNS,
    "ratelimited",
    "upstream_errors",
    *BUCKET_COLUMNS,
)


class TrafficCount(Frozen):
    """Counts for one API version, app and hour since the last flush."""

    client_id: str
    slug: str
    version: str
    hour: datetime  # start of the UTC hour
    counts: Mapping[str, int]  # COUNT_COLUMNS -> count
    last_call: datetime


class ErrorCount(Frozen):
    """How often the gateway answered with one problem code, per API version and hour."""

    slug: str
    version: str
    hour: datetime
    code: str
    count: int


def hour_start(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def jst_day_start(at: datetime) -> datetime:
    """00:00 Japan time of the day `at` falls on, as a UTC datetime."""
    local = at.astimezone(JST)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def bucket_index(milliseconds: float) -> int:
    """The latency bucket a duration falls in (the last one for anything over 10 s)."""
    for index, bound in enumerate(LATENCY_BOUNDS_MS):
        if milliseconds <= bound:
            return index
    return len(LATENCY_BOUNDS_MS)
