"""A coarse per-address guard against traffic that fails through the client's own fault.

An address whose requests failed *because of what the client sent* reached
`settings.ip_per_minute` in the current minute is refused with 429 before authentication even
runs (token guessing, floods of malformed calls). Only the client's faults count: missing or
invalid credentials, malformed requests, refused methods and sizes (`CLIENT_FAULTS`). Requests
to unknown or retired APIs count in a second window with a far higher limit
(`settings.ip_unknown_api_per_minute`): a client with a stale base URL is not an attacker, and
local governments and companies share NAT addresses.

Never counted: successful traffic, a valid token's own 429 (its app's quota, not the address's
business), the guard's own 429, and every answer the platform or the upstream caused (500, 502,
503, 504): after an outage the address must not stay locked out once the fault is over.

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
from registry.problems import CATALOGUE
from registry.settings import Settings

log = logging.getLogger(__name__)
# Problem codes that are the client's fault: every refused credential (the catalogue's auth
# failures: missing, invalid, expired or revoked tokens, bad API keys, …) and malformed requests.
CLIENT_FAULTS: frozenset[str] = frozenset(
    {code for code, kind in CATALOGUE.items() if kind.auth_failure}
    | {"bad-request", "unsafe-path", "method-not-allowed", "payload-too-large"}
)
# Codes counted against the higher unknown-API limit.
UNKNOWN_API = frozenset({"not-found", "gone"})
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
    """Refuses addresses over a failure budget; counts the client's faults in `on_complete`."""

    name = "ip-ratelimit"

    def __init__(
        self, settings: Settings, problems: ProblemRenderer, clock: Callable[[], float] = time.time
    ) -> None:
        self._draft = settings.ratelimit_header_draft
        self._faults = FailureWindow(Quota("ip", settings.ip_per_minute, 60), clock)
        self._unknown = FailureWindow(
            Quota("ip-unknown-api", settings.ip_unknown_api_per_minute, 60), clock
        )
        self._problems = problems

    async def on_request(self, exchange: Exchange) -> Reply | None:
        address = _address(exchange)
        for window in (self._faults, self._unknown):
            if window.used(address) >= window.quota.limit:
                state = window.state(address)
                exchange.response_headers.extend(
                    rate_limit_headers(self._draft, (window.quota,), (state,))
                )
                return limited_reply(self._problems, exchange, state)
        return None

    def on_complete(self, exchange: Exchange) -> None:
        code = exchange.error_code
        if code in CLIENT_FAULTS:
            self._faults.add(_address(exchange))
        elif code in UNKNOWN_API:
            self._unknown.add(_address(exchange))


def _address(exchange: Exchange) -> str:
    if exchange.client_ip:
        return exchange.client_ip
    client = exchange.scope.get("client")
    return str(client[0]) if client else "unknown"
