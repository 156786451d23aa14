"""A coarse per-address guard against unauthenticated and failing traffic.

The issue asks for "a coarse per-IP limit for unauthenticated and failed requests": an address
whose requests *without verified credentials, or answered with the gateway's own error,* reached
`settings.ip_per_minute` in the current minute is refused with 429 before authentication even
runs (token guessing, scans of unknown APIs, floods of malformed calls). Successful
authenticated traffic is never counted here: it is limited by the app's plan, so many apps
behind one NAT address are not capped by their neighbours.

The counter is this instance's memory (fixed one-minute windows, bounded in size): no round trip
on the hot path, so N instances allow up to N × the limit — coarse by design; the exact, shared
limits are the per-app ones (`gateway.policies.ratelimit`, ADR 0004).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from gateway.pipeline import Exchange, Reply
from gateway.problems import ProblemRenderer
from gateway.ratelimit.headers import rate_limit_headers
from gateway.ratelimit.quota import Quota, QuotaState
from gateway.ratelimit.replies import limited_reply
from registry.settings import Settings

log = logging.getLogger(__name__)
MAX_ADDRESSES = 200_000  # per window; beyond it new addresses go uncounted (logged once)


class FailureWindow:
    """Failed-request counts per address in the current fixed window; older windows vanish."""

    def __init__(self, quota: Quota, clock: Callable[[], float]) -> None:
        self.quota = quota
        self._clock = clock
        self._index = -1
        self._counts: dict[str, int] = {}
        self._full_warned = False

    def _current(self) -> dict[str, int]:
        index = self.quota.index(self._clock())
        if index != self._index:
            self._index, self._counts, self._full_warned = index, {}, False
        return self._counts

    def used(self, address: str) -> int:
        return self._current().get(address, 0)

    def add(self, address: str) -> None:
        counts = self._current()
        if address not in counts and len(counts) >= MAX_ADDRESSES:
            if not self._full_warned:
                log.warning(
                    "ip guard: %d addresses this minute; new ones go uncounted", len(counts)
                )
                self._full_warned = True
            return
        counts[address] = counts.get(address, 0) + 1

    def state(self, address: str) -> QuotaState:
        return QuotaState(self.quota, self.used(address), self.quota.seconds_left(self._clock()))


class IpRateLimitPolicy:
    """Refuses addresses over their failure budget; counts failures in `on_complete`."""

    name = "ip-ratelimit"

    def __init__(
        self, settings: Settings, problems: ProblemRenderer, clock: Callable[[], float] = time.time
    ) -> None:
        self._draft = settings.ratelimit_header_draft
        self._window = FailureWindow(Quota("ip", settings.ip_per_minute, 60), clock)
        self._problems = problems

    async def on_request(self, exchange: Exchange) -> Reply | None:
        address = _address(exchange)
        if self._window.used(address) < self._window.quota.limit:
            return None
        state = self._window.state(address)
        exchange.response_headers.extend(
            rate_limit_headers(self._draft, (self._window.quota,), (state,))
        )
        return limited_reply(self._problems, exchange, state)

    def on_complete(self, exchange: Exchange) -> None:
        if exchange.claims is None or exchange.error_code is not None:
            self._window.add(_address(exchange))


def _address(exchange: Exchange) -> str:
    if exchange.client_ip:
        return exchange.client_ip
    client = exchange.scope.get("client")
    return str(client[0]) if client else "unknown"
