"""The caller's IP address: the TCP peer, or X-Forwarded-For only behind trusted proxies.

X-Forwarded-For is trivially forged, so it counts only when the peer is one of the operator's
`trusted_proxies` (IPs or CIDRs); then the right-most entry that is not itself a trusted proxy
is the client (the entries to its left were written by whoever the client is).
"""

from __future__ import annotations

import ipaddress

from gateway.pipeline import Header


class ClientAddress:
    """Resolves the client IP of a request from its peer address and headers."""

    def __init__(self, trusted_proxies: str | None) -> None:
        entries = [p.strip() for p in (trusted_proxies or "").split(",") if p.strip()]
        self._trusted = tuple(ipaddress.ip_network(e, strict=False) for e in entries)

    @property
    def enabled(self) -> bool:
        """True when some proxy is trusted (otherwise the peer is always the client)."""
        return bool(self._trusted)

    def trusts(self, peer: str) -> bool:
        """True when `peer` is one of the operator's trusted proxies."""
        return bool(self._trusted) and self._is_trusted(peer)

    def resolve(self, peer: str, headers: list[Header]) -> str:
        if not self._trusted or not self._is_trusted(peer):
            return peer
        chain = [
            entry.strip()
            for name, value in headers
            if name == b"x-forwarded-for"
            for entry in value.decode("latin-1").split(",")
            if entry.strip()
        ]
        for entry in reversed(chain):
            if not self._is_trusted(entry):
                return entry if _is_ip(entry) else peer
        return chain[0] if chain else peer

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._trusted)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
