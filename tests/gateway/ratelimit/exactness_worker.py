"""One gateway-like process for the exactness test: many concurrent clients, one shared key.

Run as `python -m tests.gateway.ratelimit.exactness_worker REDIS_URL PREFIX CLIENTS REQUESTS
LIMIT`. It prints `ready`, waits for `go` on stdin (so both processes
start together), runs CLIENTS concurrent tasks of REQUESTS requests each through the real
`RateLimitPolicy`, and prints `allowed=<n> refused=<n> other=<n>`.
"""

from __future__ import annotations

import asyncio
import sys

from gateway.policies.ratelimit import RateLimitPolicy
from gateway.ratelimit.counter import build_counter
from registry.models import RatePlan
from registry.settings import Settings
from tests.gateway.ratelimit.factories import claims, exchange, fixed_clock, problems, route


async def run(url: str, key_prefix: str, clients: int, requests: int, limit: int) -> str:
    counter = build_counter(url, key_prefix=key_prefix, clock=fixed_clock, timeout_seconds=2.0)
    policy = RateLimitPolicy(Settings(), problems(), counter)
    entry = route(RatePlan(per_minute=limit, per_day=100_000))
    outcomes: list[int] = []

    async def client() -> None:
        for _ in range(requests):
            reply = await policy.on_request(exchange(entry, claims("shared-app")))
            outcomes.append(200 if reply is None else reply.status)

    try:
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        await asyncio.gather(*(client() for _ in range(clients)))
    finally:
        await counter.aclose()
    allowed, refused = outcomes.count(200), outcomes.count(429)
    return f"allowed={allowed} refused={refused} other={len(outcomes) - allowed - refused}"


def main() -> None:
    url, key_prefix, clients, requests, limit = sys.argv[1:6]
    print(asyncio.run(run(url, key_prefix, int(clients), int(requests), int(limit))), flush=True)


if __name__ == "__main__":
    main()
