"""Which network addresses an upstream may live at: the policy behind the SSRF guard.

The rule is "not globally routable" (RFC 6890 special-purpose registries, via `ipaddress`) plus
explicit ranges `ipaddress` does not flag everywhere: CGNAT 100.64/10 (RFC 6598), 0.0.0.0/8,
cloud metadata addresses, multicast, and IPv6 forms that embed an IPv4 address: IPv4-mapped
(RFC 4291 §2.5.5.2, unwrapped and checked), IPv4-compatible (deprecated), NAT64 (RFC 6052 §2.1,
RFC 8215), 6to4 (RFC 3056) and Teredo (RFC 4380), which are refused outright. The operator's
allow-list (TSUNAGU_UPSTREAM_ALLOW) overrides it. It lives in the registry, the bottom layer, so
that registration refuses an obviously internal upstream early and the gateway's resolver
(`gateway.proxy.ssrf`) applies the very same policy to every address it connects to.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from registry.problems import Text

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

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
    """The upstream host resolves to an address the guard does not allow; `why` says so in
    both languages (the message is English, for logs)."""

    def __init__(self, host: str, why: Text) -> None:
        super().__init__(f"upstream host {host} refused: {why.en}")
        self.host = host
        self.why = why


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
                hosts.add(normal_host(entry))
        self._allowed_networks = tuple(networks)
        self._allowed_hosts = frozenset(hosts)
        self._refused = tuple(ipaddress.ip_network(n) for n in (*_REFUSED_V4, *_REFUSED_V6))
        self._metadata = frozenset(ipaddress.ip_address(a) for a in _METADATA)

    def host_allowed(self, host: str) -> bool:
        """True when the host name itself is on the allow-list."""
        return normal_host(host) in self._allowed_hosts

    def refusal(self, address: str | IPAddress) -> Text | None:
        """Why the address may not be connected to, or None when it may."""
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
        if any(ip in net for net in self._allowed_networks):
            return None
        return self._forbidden(ip)

    def _forbidden(self, ip: IPAddress) -> Text | None:
        if ip in self._metadata:
            return Text(
                f"{ip} はクラウドのメタデータアドレスです", f"{ip} is a cloud metadata address"
            )
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            inner = self.refusal(ip.ipv4_mapped)
            return Text(f"{ip} は {inner.ja}", f"{ip} embeds {inner.en}") if inner else None
        if ip.is_multicast or not ip.is_global or any(ip in net for net in self._refused):
            return Text(f"{ip} は公開アドレスではありません", f"{ip} is not a public address")
        return None

    def check_registration(self, host: str) -> None:
        """At registration: refuse IP literals and local names the policy forbids. Other names
        are resolved and checked when the gateway connects (the control plane's DNS may differ
        from the data plane's)."""
        name = normal_host(host)
        if self.host_allowed(name):
            return
        if name == "localhost" or name.endswith((".localhost", ".local", ".internal")):
            raise UpstreamRefused(host, Text("ローカル名です", "a local name"))
        self.check_literal(name)

    def check_literal(self, host: str) -> None:
        """Refuse an IP-literal host (aiohttp connects to those without asking the resolver)."""
        try:
            ip = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return
        reason = self.refusal(ip)
        if reason:
            raise UpstreamRefused(host, reason)

    def check_resolved(self, host: str, addresses: Sequence[str]) -> None:
        """Refuse the host unless every address it resolved to is allowed."""
        if self.host_allowed(host):
            return
        if not addresses:
            raise UpstreamRefused(host, Text("アドレスに解決できません", "resolved to no address"))
        for address in addresses:
            reason = self.refusal(address)
            if reason:
                raise UpstreamRefused(host, reason)


def normal_host(host: str) -> str:
    """Lower-case, without brackets or the trailing dot of a fully qualified name."""
    return host.strip().strip("[]").rstrip(".").lower()
