"""The per-app rate-limit policy (after the scope check); the per-address guard against
unauthenticated and failing traffic is `gateway.policies.ip_guard`, before authentication.

- `RateLimitPolicy` runs after the scope check and keys on the verified token's `client_id`
  plus the API slug and version (and `api`/`sandbox`, which never share a counter). Quotas
  come from the route's `RatePlan`: `per_minute` and `per_day` (day windows end at midnight
  JST), or `sandbox_per_minute` alone on `/sandbox/…`. Every response that reached it carries
  `RateLimit-Policy` and `RateLimit` (format: `gateway.ratelimit.headers`); over a quota it
  answers 429 `rate-limited` with `Retry-After`.

When the shared store (Redis) is down it fails open onto per-instance memory: the app quota
becomes `min(per_minute, settings.redis_fallback_per_minute)` per minute with no daily quota
(it cannot be counted per instance), and the fields advertise that. A plan with `fail_closed`
answers 503 `counters-unavailable` instead. Strategy, cost and breaker: `gateway.ratelimit.counter`.
"""

from __future__ import annotations

from gateway.pipeline import Exchange, Reply
from gateway.problems import ProblemRenderer
from gateway.ratelimit.counter import WindowCounter
from gateway.ratelimit.headers import rate_limit_headers
from gateway.ratelimit.quota import Quota
from gateway.ratelimit.replies import limited_reply
from registry.models import RatePlan
from registry.settings import Settings

MINUTE = 60
DAY = 86_400
JST_OFFSET = 9 * 3600
UNAVAILABLE_RETRY_SECONDS = 5  # about the breaker's probe interval
QuotaPair = tuple[tuple[Quota, ...], tuple[Quota, ...] | None]


class RateLimitPolicy:
    """Per app and API version quotas from the route's plan; see the module docstring."""

    name = "ratelimit"

    def __init__(self, settings: Settings, problems: ProblemRenderer, counter: WindowCounter):
        self._draft = settings.ratelimit_header_draft
        self._fallback_cap = settings.redis_fallback_per_minute
        self._problems = problems
        self._counter = counter
        self._quota_cache: dict[tuple[RatePlan, str], QuotaPair] = {}

    async def on_request(self, exchange: Exchange) -> Reply | None:
        route, claims = exchange.route, exchange.claims
        if route is None or claims is None:
            return None  # open-data and unauthenticated traffic meets the IP guard only
        quotas, fallback = self._quotas(route.plan, exchange.kind)
        key = f"app/{claims.client_id}/{route.slug}/{route.version}/{exchange.kind}"
        decision = await self._counter.hit(key, quotas, fallback)
        if decision.unavailable:
            return self._unavailable(exchange)
        advertised = fallback if decision.degraded and fallback else quotas
        exchange.response_headers.extend(
            rate_limit_headers(self._draft, advertised, decision.states)
        )
        if decision.violated is None:
            return None
        return limited_reply(self._problems, exchange, decision.violated)

    def on_complete(self, exchange: Exchange) -> None:
        return None

    def _quotas(self, plan: RatePlan, kind: str) -> QuotaPair:
        cached = self._quota_cache.get((plan, kind))
        if cached is None:
            if len(self._quota_cache) > 4096:  # plans change rarely; stay bounded anyway
                self._quota_cache.clear()
            if kind == "sandbox":
                quotas: tuple[Quota, ...] = (Quota("minute", plan.sandbox_per_minute, MINUTE),)
            else:
                quotas = (
                    Quota("minute", plan.per_minute, MINUTE),
                    Quota("day", plan.per_day, DAY, offset=JST_OFFSET),
                )
            cap = min(quotas[0].limit, self._fallback_cap)
            fallback = None if plan.fail_closed else (Quota("minute", cap, MINUTE),)
            cached = self._quota_cache[(plan, kind)] = (quotas, fallback)
        return cached

    def _unavailable(self, exchange: Exchange) -> Reply:
        retry = [(b"retry-after", str(UNAVAILABLE_RETRY_SECONDS).encode())]
        return self._problems.refuse(exchange, "counters-unavailable", headers=retry)
