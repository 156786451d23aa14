"""Which request methods reach an upstream: the ones OpenAPI can describe, TRACE only if declared.

CONNECT never gets this far (the HTTP server refuses it). TRACE echoes the request, cookies and
credentials included, back to whoever can script the caller's browser (cross-site tracing), and
WebDAV methods (PROPFIND, MKCOL, MOVE, …) reach file-system handlers nobody meant to publish:
405 problem+json with `Allow`, unless the API's document declares a `trace` operation.
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.pipeline import Exchange, Reply
from gateway.problems import ProblemRenderer

_ALWAYS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_ALLOW = b"GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"


class MethodPolicy:
    """Runs after routing (TRACE needs the route's document); answers 405 for other methods."""

    name = "methods"

    def __init__(self, problems: ProblemRenderer) -> None:
        self._problems = problems

    async def on_request(self, exchange: Exchange) -> Reply | None:
        method = exchange.method
        if method in _ALWAYS:
            return None
        route = exchange.route
        if method == "TRACE" and route is not None and _declares_trace(route.document):
            return None
        return self._problems.refuse(
            exchange,
            "method-not-allowed",
            headers=[(b"allow", _ALLOW)],
            path=exchange.rest_path,
            method=method,
            allow=_ALLOW.decode(),
        )

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to record after the response."""


def _declares_trace(document: Mapping[str, object]) -> bool:
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        return False
    return any(isinstance(item, Mapping) and "trace" in item for item in paths.values())
