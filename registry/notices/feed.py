"""The change feeds (RFC 4287 Atom, built with feedgen): every public change, newest first.

One entry per change-log entry that is a notice (`registry.notices.events`); its id is a `tag:`
URI (RFC 4151) of the public host and the change-log id, so it never changes and a reader
never sees an entry twice. The summary is Japanese first, English below, like the e-mail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from registry import urls
from registry.models import ApiVersionView, ChangeLogEntry
from registry.notices.events import EventKind, event_kind, jst, version_target

EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)  # a feed without entries still needs one
TAG_DATE = "2026"  # the year the tag authority was first used; fixed forever (RFC 4151 §2.1)


def tag(public_url: str, specific: str) -> str:
    return f"tag:{urlsplit(public_url).hostname or 'localhost'},{TAG_DATE}:{specific}"


def atom_feed(
    public_url: str,
    entries: Sequence[ChangeLogEntry],
    versions: Mapping[tuple[str, str], ApiVersionView],
    *,
    slug: str | None = None,
) -> bytes:
    """The feed of `entries` (newest first); `slug` makes it one API's feed."""
    feed = FeedGenerator()
    own = urls.changes_feed_url(public_url) if slug is None else urls.api_feed_url(public_url, slug)
    feed.id(tag(public_url, "changes" if slug is None else f"changes/{slug}"))
    name = "すべての API" if slug is None else _api_title(slug, versions)
    feed.title(f"Tsunagu 変更履歴: {name} / Change log")
    feed.link(href=own, rel="self", type="application/atom+xml")
    feed.link(href=urls.portal_url(public_url), rel="alternate", type="text/html")
    feed.language("ja")
    feed.author({"name": "Tsunagu"})
    feed.generator("Tsunagu")
    listed = []
    for entry in entries:
        view = versions.get(version_target(entry.target) or ("", ""))
        kind = event_kind(entry.action)
        if view is not None and kind is not None:
            listed.append((entry, view, kind))
    feed.updated(listed[0][0].at if listed else EMPTY_FEED_UPDATED)
    for entry, view, kind in listed:
        _add(feed, public_url, entry, view, kind)
    data: bytes = feed.atom_str(pretty=True)
    return data


def _add(
    feed: FeedGenerator,
    public_url: str,
    entry: ChangeLogEntry,
    view: ApiVersionView,
    kind: EventKind,
) -> None:
    api = f"{view.title or view.slug} {view.version}"
    item = feed.add_entry(order="append")
    item.id(tag(public_url, f"change/{entry.id}"))
    item.title(f"{kind.headline.ja.format(api=api)} / {kind.headline.en.format(api=api)}")
    item.updated(entry.at)
    item.published(entry.at)
    item.link(href=urls.api_page_url(public_url, view.slug, view.version), rel="alternate")
    item.category(term=kind.type)
    facts = [f"{key}: {value}" for key, value in entry.detail.items() if value not in (None, "")]
    lines = [kind.headline.ja.format(api=api), kind.headline.en.format(api=api), *facts]
    lines.append(f"at: {jst(entry.at)}")
    item.summary("\n".join(lines))


def _api_title(slug: str, versions: Mapping[tuple[str, str], ApiVersionView]) -> str:
    titles = [v.title for (s, _), v in versions.items() if s == slug and v.title]
    return titles[0] if titles else slug
