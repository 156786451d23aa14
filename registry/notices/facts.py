"""What a change notice says: the facts of one change-log entry about one API version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from registry import urls
from registry.models import ApiVersionView, ChangeLogEntry
from registry.notices.events import EventKind


@dataclass(frozen=True)
class ChangeFacts:
    """The event, the version as it stands after the change, and where to read more."""

    change_id: int
    at: datetime
    kind: EventKind
    action: str
    slug: str
    version: str
    title: str
    state: str
    sunset: datetime | None
    successor: str | None
    note: str | None
    page_url: str
    feed_url: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def api(self) -> str:
        """How the API version is named in a sentence: `<title> v1`."""
        return f"{self.title} {self.version}"


def change_facts(
    entry: ChangeLogEntry, kind: EventKind, view: ApiVersionView, public_url: str
) -> ChangeFacts:
    return ChangeFacts(
        change_id=entry.id,
        at=entry.at,
        kind=kind,
        action=entry.action,
        slug=view.slug,
        version=view.version,
        title=view.title or view.slug,
        state=view.state.value,
        sunset=view.sunset,
        successor=view.successor,
        note=view.note,
        page_url=urls.api_page_url(public_url, view.slug, view.version),
        feed_url=urls.api_feed_url(public_url, view.slug),
        detail=dict(entry.detail),
    )
