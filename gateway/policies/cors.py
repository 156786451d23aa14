"""CORS for API calls from browsers (Fetch standard, "CORS protocol"), per API.

Open-data APIs allow any origin (`*`); others allow the route's `cors_origins`. A preflight
(OPTIONS with Origin and Access-Control-Request-Method) is answered here with 204, before
authentication, because browsers send no credentials on a preflight. Credentials mode is never
enabled (`Access-Control-Allow-Credentials` is never sent), so `*` is never combined with it.
"""

from __future__ import annotations

import re

from gateway.compiled_routes import CompiledRoute, CompiledRoutes
from gateway.pipeline import Exchange, Header, Reply

_DEFAULT_METHODS = b"GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
_ALLOW_HEADERS = b"Authorization, Content-Type, X-Request-ID, X-API-Key"
_EXPOSE_HEADERS = (
    b"X-Request-ID, RateLimit, RateLimit-Policy, Retry-After, Deprecation, Sunset, Link"
)
# A field-name list (RFC 9110 §5.1, §5.6.1): tokens separated by commas.
_FIELD_NAMES = re.compile(
    rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*,[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*"
)


def _allows(route: CompiledRoute, origin: bytes) -> bool:
    return route.cors_any_origin or origin in route.cors_origins


def _methods(route: CompiledRoute, rest_path: str) -> bytes:
    """The methods the document declares for this path (and OPTIONS), or the usual set."""
    declared = [m.upper() for m in route.document.model.methods_at(rest_path)]
    if not declared:
        return _DEFAULT_METHODS
    if "OPTIONS" not in declared:
        declared.append("OPTIONS")
    return ", ".join(declared).encode()


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

    def __init__(self, routes: CompiledRoutes | None = None, max_age: int = 600) -> None:
        self._routes = routes if routes is not None else CompiledRoutes()
        self._max_age = str(max_age).encode()

    async def on_request(self, exchange: Exchange) -> Reply | None:
        route = exchange.route
        origin = exchange.header(b"origin")
        if route is None or origin is None:
            return None
        cors = self._routes.for_entry(route)
        allowed = _allows(cors, origin)
        allow_origin = b"*" if cors.cors_any_origin else origin
        if exchange.method == "OPTIONS" and exchange.header(b"access-control-request-method"):
            headers: list[Header] = [] if cors.cors_any_origin else [(b"vary", b"Origin")]
            if allowed:
                headers += [
                    (b"access-control-allow-origin", allow_origin),
                    (b"access-control-allow-methods", _methods(cors, exchange.rest_path)),
                    (b"access-control-allow-headers", _allow_headers(exchange)),
                    (b"access-control-max-age", self._max_age),
                ]
            return Reply(status=204, headers=headers)
        if not cors.cors_any_origin:
            exchange.response_headers.append((b"vary", b"Origin"))
        if allowed:
            exchange.response_headers.append((b"access-control-allow-origin", allow_origin))
            exchange.response_headers.append((b"access-control-expose-headers", _EXPOSE_HEADERS))
        return None

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to do after the response."""
