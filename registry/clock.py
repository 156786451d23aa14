"""The registry's notion of now: an injectable clock returning timezone-aware UTC datetimes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

Clock = Callable[[], datetime]

JAPAN = timezone(timedelta(hours=9))
"""Japan Standard Time (+09:00, no daylight saving): how a person reads every instant."""


def utc_now() -> datetime:
    """The current instant, timezone-aware, in UTC (the store keeps every timestamp in UTC)."""
    return datetime.now(UTC)


def japan_iso(value: datetime) -> str:
    """An instant as ISO 8601 in Japan time with its offset (`2027-06-19T00:00:00+09:00`)."""
    return value.astimezone(JAPAN).isoformat()
