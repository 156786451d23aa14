"""The SSRF guard: which addresses an upstream connection may reach, checked after resolution.

The address policy itself is `registry.address_policy.UpstreamGuard`. Host spellings
are never parsed here: names go through `getaddrinfo`, and every address it returns is checked, so
`127.1`, `0x7f.0.0.1`, `2130706433` or a name pointing at 10.0.0.1 end up checked as the address
they reach. `GuardedResolver` hands aiohttp only checked addresses, so the connection goes to
the address that was checked (no second lookup, no DNS-rebinding window).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable

from aiohttp.abc import AbstractResolver, ResolveResult

from registry.address_policy import UpstreamGuard, UpstreamRefused, normal_host

__all__ = ["GuardedResolver", "Lookup", "UpstreamGuard", "UpstreamRefused", "system_lookup"]

Lookup = Callable[[str, int], Awaitable[list[tuple[str, int]]]]
"""Resolves (host, port) to (address, port) pairs; the default is the loop's getaddrinfo."""


class GuardedResolver(AbstractResolver):
    """An aiohttp resolver that returns only addresses the guard has checked (pinning)."""

    def __init__(self, guard: UpstreamGuard, lookup: Lookup | None = None) -> None:
        self._guard = guard
        self._lookup = lookup or system_lookup

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        name = normal_host(host)
        pairs = await self._lookup(name, port)
        self._guard.check_resolved(name, [address for address, _ in pairs])
        results = [
            ResolveResult(
                hostname=host,
                host=address,
                port=resolved_port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            )
            for address, resolved_port in pairs
        ]
        if family in (socket.AF_INET, socket.AF_INET6):
            results = [result for result in results if result["family"] == family]
        return results

    async def close(self) -> None:
        """Nothing to release: lookups use the event loop's getaddrinfo."""


async def system_lookup(host: str, port: int) -> list[tuple[str, int]]:
    """(address, port) pairs from the event loop's non-blocking getaddrinfo, deduplicated."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, family=socket.AF_UNSPEC
    )
    seen: dict[tuple[str, int], None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        seen[(str(sockaddr[0]), int(sockaddr[1]))] = None
    return list(seen)
