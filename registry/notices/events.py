"""Which change-log actions are notices, and what each is called (webhook `type`, headlines).

A notice is derived from one change-log entry. The actions below are the version lifecycle;
an action not listed (one added later, such as a new kind of announcement) still becomes a
notice when its name starts with `api.` and is not one of the provider's private steps, with a
generic headline and the entry's detail shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from registry.problems import Text

JST = timezone(timedelta(hours=9))
PRIVATE_ACTIONS = frozenset({"api.register", "api.waive", "api.plan"})  # drafts, lint, plans


@dataclass(frozen=True, slots=True)
class EventKind:
    """One kind of change notice."""

    type: str  # the webhook `type` and the delivery's `kind`
    headline: Text  # one sentence, `{api}` filled in with "<title> v1"
    important: bool  # marks the e-mail subject 【重要】 / [Important]


EVENTS: dict[str, EventKind] = {
    "api.publish": EventKind(
        "api.version.published",
        Text("{api} を公開しました。", "{api} has been published."),
        important=False,
    ),
    "api.deprecate": EventKind(
        "api.version.deprecated",
        Text(
            "{api} は非推奨になり、提供終了日が決まりました。",
            "{api} is deprecated and has a sunset date.",
        ),
        important=True,
    ),
    "api.sunset": EventKind(
        "api.version.sunset_moved",
        Text("{api} の提供終了日などが変更されました。", "The sunset of {api} has changed."),
        important=True,
    ),
    "api.reminder": EventKind(
        "api.version.sunset_reminder",
        Text("{api} の提供終了が近づいています。", "The sunset of {api} is approaching."),
        important=True,
    ),
    "brownout": EventKind(
        "api.version.brownout_scheduled",
        Text(
            "{api} の一時停止（ブラウンアウト）が予定されました。",
            "A brownout (planned temporary outage) of {api} has been scheduled.",
        ),
        important=True,
    ),
    "api.retire": EventKind(
        "api.version.retired",
        Text("{api} の提供を終了しました。", "{api} has been retired."),
        important=True,
    ),
}
EVENTS["api.brownout"] = EVENTS["brownout"]


def event_kind(action: str) -> EventKind | None:
    """The notice an action causes, or None when it concerns nobody outside the provider."""
    known = EVENTS.get(action)
    if known is not None:
        return known
    if not action.startswith("api.") or action in PRIVATE_ACTIONS:
        return None
    name = action.removeprefix("api.").replace(".", "_")
    return EventKind(
        f"api.version.{name}",
        Text(f"{{api}} に変更がありました（{action}）。", f"{{api}} has changed ({action})."),
        important=False,
    )


def version_target(target: str) -> tuple[str, str] | None:
    """(slug, version) of a change-log target `slug/v1`; None for other targets."""
    slug, sep, version = target.partition("/")
    return (slug, version) if sep and slug and version else None


def jst(at: datetime) -> str:
    """An instant as a person reads it: Japan time with the offset, whole seconds."""
    return at.astimezone(JST).replace(microsecond=0).isoformat()


def day_ja(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
