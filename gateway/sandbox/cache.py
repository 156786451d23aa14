"""Sandbox indexes kept per route, rebuilt only when the route's document object changes.

A snapshot refresh hands out new `RouteEntry` objects; an index (and the validators compiled
into it) lives as long as its route keeps serving the very same document object, so it is
built at most once per snapshot generation. One entry per (slug, version) bounds the cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.sandbox.index import SandboxIndex
from registry.models import RouteEntry


class SandboxIndexCache:
    """`index_for(route)`: the route's `SandboxIndex`, built on first use."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[Mapping[str, Any], SandboxIndex]] = {}

    def index_for(self, route: RouteEntry) -> SandboxIndex:
        key = (route.slug, route.version)
        hit = self._entries.get(key)
        if hit is not None and hit[0] is route.document:
            return hit[1]
        index = SandboxIndex.for_document(route.document)
        self._entries[key] = (route.document, index)
        return index
