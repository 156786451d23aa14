"""CORS for API calls from browsers (Fetch standard, "CORS protocol"), per API.

Open-data APIs allow any origin (`*`); others allow the route's `cors_origins`. A preflight
(OPTIONS with Origin and Access-Control-Request-Method) is answered here with 204, before
authentication, because browsers send no credentials on a preflight. Credentials mode is never
enabled (`Access-Control-Allow-Credentials` is never sent), so `*` is never combined with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gateway.pipeline import Exchange, Header, Reply
from registry.models import RouteEntry

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_DEFAULT_METHODS = b"GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
_ALLOW_HEADERS = b"Authorization, Content-Type, X-Request-ID, X-API-Key"
_EXPOSE_HEADERS = (
    b"X-Request-ID, RateLimit, RateLimit-Policy, Retry-After, Deprecation, Sunset, Link"
)
_TEMPLATE = re.compile(r"\{[^/{}]+\}")
# A field-name list (RFC 9110 §5.1, §5.6.1): tokens separated by commas.
_FIELD_NAMES = re.compile(
    rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*,[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*"
)


@dataclass(frozen=True, slots=True)
class RouteCors:
    """One route's CORS decisions, precomputed from its entry."""

    any_origin: bool
    origins: frozenset[bytes]
    operations: tuple[tuple[re.Pattern[str], bytes], ...]

    def allows(self, origin: bytes) -> bool:
        return self.any_origin or origin in self.origins

    def methods(self, rest_path: str) -> bytes:
        """The methods the document declares for this path, or the usual set."""
        for pattern, methods in self.operations:
            if pattern.fullmatch(rest_path):
                return methods
        return _DEFAULT_METHODS


def route_cors(route: RouteEntry) -> RouteCors:
    origins = frozenset(o.rstrip("/").encode() for o in route.cors_origins)
    return RouteCors(
        any_origin=route.open_data or b"*" in origins,
        origins=origins,
        operations=_operations(route.document),
    )


def _operations(document: Mapping[str, Any]) -> tuple[tuple[re.Pattern[str], bytes], ...]:
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        return ()
    out: list[tuple[re.Pattern[str], bytes]] = []
    for template, item in paths.items():
        if not isinstance(template, str) or not isinstance(item, Mapping):
            continue
        declared = [m.upper() for m in _HTTP_METHODS if m in item]
        if not declared:
            continue
        if "OPTIONS" not in declared:
            declared.append("OPTIONS")
        literal = [re.escape(part) for part in _TEMPLATE.split(template)]
        out.append((re.compile("[^/]+".join(literal)), ", ".join(declared).encode()))
    return tuple(out)


def _allow_headers(exchange: Exchange) -> bytes:
    """The usual request fields plus those the preflight asks for: the sandbox's `Prefer` and
    the header parameters an API declares must be sendable from a browser. Echoing them is
    safe because credentials mode is never enabled; a malformed list is ignored."""
    requested = (exchange.header(b"access-control-request-headers") or b"").strip()
    if not requested or not _FIELD_NAMES.fullmatch(requested):
        return _ALLOW_HEADERS
    return _ALLOW_HEADERS + b", " + requested


class CorsPolicy:
    """Answers preflights and adds Access-Control-Allow-Origin to allowed origins' responses.

    Runs right after the route policy (it needs `exchange.route`) and before authentication.
    """

    name = "cors"

    def __init__(self, max_age: int = 600) -> None:
        self._max_age = str(max_age).encode()
        self._cache: dict[tuple[str, str], tuple[RouteEntry, RouteCors]] = {}

    async def on_request(self, exchange: Exchange) -> Reply | None:
        route = exchange.route
        origin = exchange.header(b"origin")
        if route is None or origin is None:
            return None
        cors = self._route_cors(route)
        allowed = cors.allows(origin)
        allow_origin = b"*" if cors.any_origin else origin
        if exchange.method == "OPTIONS" and exchange.header(b"access-control-request-method"):
            headers: list[Header] = [] if cors.any_origin else [(b"vary", b"Origin")]
            if allowed:
                headers += [
                    (b"access-control-allow-origin", allow_origin),
                    (b"access-control-allow-methods", cors.methods(exchange.rest_path)),
                    (b"access-control-allow-headers", _allow_headers(exchange)),
                    (b"access-control-max-age", self._max_age),
                ]
            return Reply(status=204, headers=headers)
        if not cors.any_origin:
            exchange.response_headers.append((b"vary", b"Origin"))
        if allowed:
            exchange.response_headers.append((b"access-control-allow-origin", allow_origin))
            exchange.response_headers.append((b"access-control-expose-headers", _EXPOSE_HEADERS))
        return None

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to do after the response."""

    def _route_cors(self, route: RouteEntry) -> RouteCors:
        key = (route.slug, route.version)
        cached = self._cache.get(key)
        if cached is None or cached[0] is not route:
            cached = (route, route_cors(route))
            self._cache[key] = cached
        return cached[1]
