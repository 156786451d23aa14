"""Scope policy: the API's slug is its scope; writes may need `<slug>:write` (RFC 6750 §3.1).

It also keeps the two doors apart: sandbox credentials never reach production APIs, and the
sandbox only takes sandbox apps' tokens.
"""

from __future__ import annotations

from gateway.oauth.challenge import bearer_challenge
from gateway.pipeline import Exchange, Reply
from gateway.problems import ProblemRenderer

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})  # RFC 9110 §9.2.1


def needed_scope(exchange: Exchange) -> str:
    """`<slug>:write` for any unsafe method on a route that declares write scope, else `<slug>`.

    Unsafe means anything but the safe methods, so PURGE, MKCOL or a made-up method cannot
    reach a write-scoped upstream with a read-only token."""
    route = exchange.route
    if route is not None and route.write_scope and exchange.method.upper() not in SAFE_METHODS:
        return exchange.slug + ":write"
    return exchange.slug


class ScopePolicy:
    name = "scope"

    def __init__(self, problems: ProblemRenderer) -> None:
        self._problems = problems

    def _lacks_scope(self, exchange: Exchange, needed: str) -> Reply:
        headers = bearer_challenge("insufficient_scope", scope=needed)
        return self._problems.refuse(exchange, "insufficient-scope", headers=headers, scope=needed)

    async def on_request(self, exchange: Exchange) -> Reply | None:
        claims = exchange.claims
        if claims is None:  # the auth policy always runs first; refuse rather than assume
            return self._problems.refuse(exchange, "missing-token", headers=bearer_challenge())
        if exchange.kind == "api" and claims.sandbox:
            return self._problems.refuse(exchange, "sandbox-only")
        if exchange.kind == "sandbox" and not claims.sandbox:
            return self._problems.refuse(exchange, "production-token-in-sandbox")
        needed = needed_scope(exchange)
        if needed not in claims.scopes:
            return self._lacks_scope(exchange, needed)
        return None

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to record after the response."""
