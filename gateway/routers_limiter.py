"""slowapi for the FastAPI routers (token endpoint, admin, sign-up): build it, install it.

slowapi is synchronous: with Redis every hit is a blocking round trip on the event loop
(PERFORMANCE-PROBE §4.6: 120–150 µs). That is acceptable on these low-volume routers and
never on the proxy path, which uses `gateway.policies.ratelimit` (ADR 0004).

Choices made deliberately:
- key: the ASGI peer address (`get_remote_address`), never `X-Forwarded-For` from anyone
  (slowapi's `get_ipaddr` trusts it); behind a proxy, the server's trusted-proxy handling is
  what sets the peer address.
- storage: `memory://`, or `settings.redis_url` with 100 ms socket timeouts so a hung Redis
  cannot stall the loop for long; its keys start with `<TSUNAGU_REDIS_PREFIX>:routers:`.
- Redis down: `in_memory_fallback_enabled` keeps the same limits per instance (slowapi probes
  Redis again with an exponential backoff); `swallow_errors` turns any other limiter failure
  into a logged, allowed request rather than a 500 (authentication itself never fails open).
- headers: `X-RateLimit-Limit/-Remaining/-Reset` and `Retry-After`. slowapi adds them only when
  the endpoint returns a `Response` or takes a `response: Response` parameter, so decorated
  endpoints must do one of those.

Use: `limiter.limit("10/minute")` on an endpoint that takes `request: Request`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from gateway.problem_handlers import problem_response
from gateway.problems import ProblemRenderer
from registry.settings import Settings

REDIS_TIMEOUT_SECONDS = 0.1


class _Limiter(Limiter):
    """slowapi sets `Retry-After` on every response it decorates; RFC 9110 §10.2.3 gives the
    field a meaning on 429 and 503 only, and on a 200 it tells clients to back off for nothing."""

    def _inject_headers(self, response: Response, current_limit: Any) -> Response:
        response = super()._inject_headers(response, current_limit)
        if response.status_code not in (429, 503) and "retry-after" in response.headers:
            del response.headers["retry-after"]
        return response


def build_router_limiter(settings: Settings) -> Limiter:
    """A slowapi `Limiter` keyed by the peer address, on memory or Redis (see module doc)."""
    options: dict[str, Any] = {}  # passed to redis-py, which wants floats
    if settings.redis_url:
        options = {
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "key_prefix": settings.redis_key("routers"),  # limits' storage: every key under it
        }
    return _Limiter(
        key_func=get_remote_address,
        storage_uri=settings.redis_url or "memory://",
        storage_options=options,
        strategy="fixed-window",
        headers_enabled=True,
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )


def install_limiter(app: FastAPI, limiter: Limiter, problems: ProblemRenderer) -> None:
    """Attach the limiter to the app and answer 429 as problem+json with the limit headers."""
    app.state.limiter = limiter

    async def rate_limited(request: Request, exc: Exception) -> Response:
        limit = str(exc.detail) if isinstance(exc, RateLimitExceeded) else "?"
        response = problem_response(problems, request, "too-many-requests", {"limit": limit})
        # slowapi's own handler does the same: it computes Retry-After and X-RateLimit-*
        return limiter._inject_headers(response, request.state.view_rate_limit)

    app.add_exception_handler(RateLimitExceeded, rate_limited)
