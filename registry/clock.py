"""The registry's notion of now: an injectable clock returning timezone-aware UTC datetimes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current instant, timezone-aware, in UTC (the store keeps every timestamp in UTC)."""
    return datetime.now(UTC)
