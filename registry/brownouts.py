"""Brownouts: short, announced windows in which a deprecated version answers 410 `brownout`,
so callers that have not migrated notice before the sunset (the GitHub and Stripe practice).

The guards are pure: a window starts at least `BROWNOUT_LEAD_DAYS` ahead (callers get a notice
first), ends no later than the sunset, lasts 1 minute to 24 hours and overlaps no other window
of the same version. Windows are read and written in Japan time (+09:00).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from registry.clock import JAPAN, japan_iso
from registry.errors import InvalidInput, Refused
from registry.models import ApiVersionView, Brownout
from registry.problems import Text

BROWNOUT_LEAD_DAYS = 7
MAX_BROWNOUT_MINUTES = 24 * 60
START_FORMAT = "%Y-%m-%d %H:%M"


def parse_start(value: str) -> datetime:
    """`YYYY-MM-DD HH:MM` in Japan time, as an aware instant."""
    try:
        return datetime.strptime(value.strip(), START_FORMAT).replace(tzinfo=JAPAN)
    except ValueError as exc:
        raise InvalidInput(
            "brownout-invalid",
            reason=Text(
                f"開始は「YYYY-MM-DD HH:MM」（日本時間）で指定してください（指定値：{value!r}）",
                f"give the start as 'YYYY-MM-DD HH:MM' in Japan time, got {value!r}",
            ),
        ) from exc


def check_window(now: datetime, view: ApiVersionView, start: datetime, minutes: int) -> Brownout:
    """The window, or why it cannot be (the version's state is checked by the caller)."""
    if not 1 <= minutes <= MAX_BROWNOUT_MINUTES:
        raise InvalidInput(
            "brownout-invalid",
            reason=Text(
                f"長さは 1〜{MAX_BROWNOUT_MINUTES} 分にしてください（指定値：{minutes}）",
                f"the length must be 1 to {MAX_BROWNOUT_MINUTES} minutes, got {minutes}",
            ),
        )
    earliest = now + timedelta(days=BROWNOUT_LEAD_DAYS)
    if start < earliest:
        shown = earliest.astimezone(JAPAN).replace(second=0, microsecond=0) + timedelta(minutes=1)
        raise Refused("brownout-too-soon", days=BROWNOUT_LEAD_DAYS, earliest=japan_iso(shown))
    window = Brownout(start=start, end=start + timedelta(minutes=minutes))
    name = f"{view.slug}/{view.version}"
    if view.sunset is None or window.end > view.sunset:
        sunset = japan_iso(view.sunset) if view.sunset else "-"
        raise Refused("brownout-after-sunset", api=name, sunset=sunset)
    _check_overlap(name, window, view.brownouts)
    return window


def _check_overlap(name: str, window: Brownout, existing: Sequence[Brownout]) -> None:
    for other in existing:
        if window.start < other.end and other.start < window.end:
            raise Refused(
                "brownout-overlap",
                api=name,
                start=japan_iso(other.start),
                end=japan_iso(other.end),
            )


def brownout_detail(view: ApiVersionView, window: Brownout) -> dict[str, object]:
    """The change log's record (the notices and the feed announce it from there)."""
    minutes = int((window.end - window.start).total_seconds() // 60)
    return {
        "start": japan_iso(window.start),
        "end": japan_iso(window.end),
        "minutes": minutes,
        "sunset": japan_iso(view.sunset) if view.sunset else None,
        "successor": view.successor,
    }
