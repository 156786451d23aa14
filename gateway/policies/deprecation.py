"""Deprecation signalling: `Deprecation` (RFC 9745 §2), `Sunset` (RFC 8594 §3) and `Link` headers.

The header bytes are built once per route entry (a new snapshot brings new entries) and reused;
the request path only compares identities and extends a list.
"""

from __future__ import annotations

from datetime import UTC
from email.utils import format_datetime

from gateway.pipeline import Exchange, Header, Reply
from registry.models import RouteEntry, VersionState
from registry.settings import Settings
from registry.urls import api_page_url, api_url


def deprecation_headers(route: RouteEntry, public_url: str) -> tuple[Header, ...]:
    """The headers a deprecated version carries on every response."""
    out: list[Header] = []
    if route.deprecated_at is not None:
        # RFC 9745 §2.1: an sf-date, "@" followed by the Unix time in seconds.
        out.append((b"deprecation", b"@%d" % int(route.deprecated_at.timestamp())))
    if route.sunset is not None:
        # RFC 8594 §3: an HTTP-date (IMF-fixdate, RFC 9110 §5.6.7).
        out.append((b"sunset", format_datetime(route.sunset.astimezone(UTC), usegmt=True).encode()))
    portal = api_page_url(public_url, route.slug, route.version)
    out.append((b"link", f'<{portal}>; rel="deprecation"; type="text/html"'.encode()))
    if route.successor:
        successor = api_url(public_url, route.slug, route.successor)
        out.append((b"link", f'<{successor}>; rel="successor-version"'.encode()))
    return tuple(out)


class DeprecationPolicy:
    """Adds the deprecation headers of deprecated versions to `exchange.response_headers`."""

    name = "deprecation"

    def __init__(self, settings: Settings) -> None:
        self._public_url = settings.public_url
        # (slug, version) -> (the entry the headers were built for, the headers)
        self._cache: dict[tuple[str, str], tuple[RouteEntry, tuple[Header, ...]]] = {}

    async def on_request(self, exchange: Exchange) -> Reply | None:
        route = exchange.route
        if route is None or route.state is not VersionState.DEPRECATED:
            return None
        key = (route.slug, route.version)
        cached = self._cache.get(key)
        if cached is None or cached[0] is not route:
            cached = (route, deprecation_headers(route, self._public_url))
            self._cache[key] = cached
        exchange.response_headers.extend(cached[1])
        return None

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to do after the response."""
