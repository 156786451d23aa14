"""What the portal shows, read from the registry in one consistent transaction.

Drafts are never shown. Published, deprecated and retired versions each get a page (a retired
version's page is where its 410 points people to the successor).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from registry.lifecycle import with_listing
from registry.models import ApiVersionView, ChangeLogEntry, Provider, VersionState
from registry.store import Store

SHOWN_STATES = (VersionState.PUBLISHED, VersionState.DEPRECATED, VersionState.RETIRED)
HISTORY_LIMIT = 1000  # newest change-log entries scanned for the pages' change history


@dataclass(frozen=True)
class ApiEntry:
    """One API version as the portal presents it."""

    view: ApiVersionView
    provider: Provider
    history: tuple[ChangeLogEntry, ...] = ()

    @property
    def slug(self) -> str:
        return self.view.slug

    @property
    def version(self) -> str:
        return self.view.version

    @property
    def listing(self) -> Mapping[str, Any]:
        return self.view.listing

    @property
    def title(self) -> str:
        return str(self.listing.get("title") or self.view.title or self.slug)

    @property
    def keywords(self) -> tuple[str, ...]:
        words = [str(k) for k in self.listing.get("keywords") or ()]
        return tuple(words or (str(t) for t in self.listing.get("tags") or ()))


@dataclass(frozen=True)
class Catalogue:
    """Every shown version, ordered by slug then major version; `change_id` fingerprints it."""

    entries: tuple[ApiEntry, ...]
    public_url: str
    change_id: int = 0
    providers: tuple[Provider, ...] = field(default=())

    def versions_of(self, slug: str) -> tuple[ApiEntry, ...]:
        return tuple(e for e in self.entries if e.slug == slug)

    def find(self, slug: str, version: str) -> ApiEntry | None:
        return next((e for e in self.entries if e.slug == slug and e.version == version), None)


def latest_change_id(store: Store) -> int:
    """The newest change-log id: it moves on every registry change the portal could show
    (key rotations and token revocations bump the generation but log no change)."""
    with store.read() as unit:
        newest = unit.change_log(1, None)
    return newest[0].id if newest else 0


def load_catalogue(store: Store, public_url: str) -> Catalogue:
    with store.read() as unit:
        summaries = [s for s in unit.summaries() if s.state in SHOWN_STATES]
        log = unit.change_log(HISTORY_LIMIT, None)
        providers: dict[str, Provider] = {}
        entries = []
        for summary in summaries:
            view = unit.version(summary.slug, summary.version)
            if view is None:
                continue
            provider = providers.get(view.provider_id) or unit.provider(view.provider_id)
            if provider is None:
                continue
            providers[provider.id] = provider
            target = f"{view.slug}/{view.version}"
            history = tuple(e for e in log if e.target == target)
            entries.append(ApiEntry(with_listing(view), provider, history))
    return Catalogue(
        entries=tuple(entries),
        public_url=public_url.rstrip("/"),
        change_id=log[0].id if log else 0,
        providers=tuple(sorted(providers.values(), key=lambda p: p.id)),
    )
