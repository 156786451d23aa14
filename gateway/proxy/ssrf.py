"""The SSRF guard: which addresses an upstream connection may reach, checked after resolution.

The rule is "not globally routable" (RFC 6890 special-purpose registries, via `ipaddress`) plus
explicit ranges `ipaddress` does not flag everywhere: CGNAT 100.64/10 (RFC 6598), 0.0.0.0/8,
cloud metadata addresses, multicast, and IPv6 forms that embed an IPv4 address: IPv4-mapped
(RFC 4291 §2.5.5.2, unwrapped and checked), IPv4-compatible (deprecated), NAT64 (RFC 6052 §2.1,
RFC 8215), 6to4 (RFC 3056) and Teredo (RFC 4380), which are refused outright. Host spellings
are never parsed here: names go through `getaddrinfo`, and every address it returns is checked, so
`127.1`, `0x7f.0.0.1`, `2130706433` or a name pointing at 10.0.0.1 end up checked as the address
they reach. `GuardedResolver` hands aiohttp only checked addresses, so the connection goes to
the address that was checked (no second lookup, no DNS-rebinding window).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence

from aiohttp.abc import AbstractResolver, ResolveResult

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Lookup = Callable[[str, int], Awaitable[list[tuple[str, int]]]]
"""Resolves (host, port) to (address, port) pairs; the default is the loop's getaddrinfo."""

_REFUSED_V4 = ("0.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "192.0.0.0/24", "198.18.0.0/15")
_REFUSED_V6 = (
    "::/96",  # IPv4-compatible, deprecated (RFC 4291 §2.5.5.1)
    "64:ff9b::/96",  # NAT64 well-known prefix (RFC 6052)
    "64:ff9b:1::/48",  # NAT64 local-use prefix (RFC 8215)
    "2002::/16",  # 6to4 (RFC 3056)
    "2001::/32",  # Teredo (RFC 4380)
    "fd00:ec2::254/128",  # AWS metadata over IPv6
    "fc00::/7",  # unique local (RFC 4193)
)
_METADATA = ("169.254.169.254", "100.100.100.200", "fd00:ec2::254")


class UpstreamRefused(Exception):
    """The upstream host resolves to an address the guard does not allow."""


class UpstreamGuard:
    """Decides whether an address (or a host's resolved addresses) may be connected to.

    `allow` holds operator allow-list entries (`settings.upstream_allow_list()`): CIDRs or IP
    addresses allow those addresses; a host name allows whatever that name resolves to.
    """

    def __init__(self, allow: Sequence[str]) -> None:
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in allow:
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(_normal_host(entry))
        self._allowed_networks = tuple(networks)
        self._allowed_hosts = frozenset(hosts)
        self._refused = tuple(ipaddress.ip_network(n) for n in (*_REFUSED_V4, *_REFUSED_V6))
        self._metadata = frozenset(ipaddress.ip_address(a) for a in _METADATA)

    def host_allowed(self, host: str) -> bool:
        """True when the host name itself is on the allow-list."""
        return _normal_host(host) in self._allowed_hosts

    def refusal(self, address: str | IPAddress) -> str | None:
        """Why the address may not be connected to, or None when it may."""
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
        if any(ip in net for net in self._allowed_networks):
            return None
        return self._forbidden(ip)

    def _forbidden(self, ip: IPAddress) -> str | None:
        if ip in self._metadata:
            return f"{ip} is a cloud metadata address"
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            inner = self.refusal(ip.ipv4_mapped)
            return f"{ip} embeds {inner}" if inner else None
        if ip.is_multicast or not ip.is_global or any(ip in net for net in self._refused):
            return f"{ip} is not a public address"
        return None

    def check_literal(self, host: str) -> None:
        """Refuse an IP-literal host (aiohttp connects to those without asking the resolver)."""
        try:
            ip = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return
        reason = self.refusal(ip)
        if reason:
            raise UpstreamRefused(f"upstream host {host} refused: {reason}")

    def check_resolved(self, host: str, addresses: Sequence[str]) -> None:
        """Refuse the host unless every address it resolved to is allowed."""
        if self.host_allowed(host):
            return
        if not addresses:
            raise UpstreamRefused(f"upstream host {host} resolved to no address")
        for address in addresses:
            reason = self.refusal(address)
            if reason:
                raise UpstreamRefused(f"upstream host {host} refused: {reason}")


class GuardedResolver(AbstractResolver):
    """An aiohttp resolver that returns only addresses the guard has checked (pinning)."""

    def __init__(self, guard: UpstreamGuard, lookup: Lookup | None = None) -> None:
        self._guard = guard
        self._lookup = lookup or system_lookup

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        name = _normal_host(host)
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


def _normal_host(host: str) -> str:
    """Lower-case, without brackets or the trailing dot of a fully qualified name."""
    return host.strip().strip("[]").rstrip(".").lower()
