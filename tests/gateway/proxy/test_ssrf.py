"""The SSRF guard: addresses, host spellings, fake DNS answers, and a canary that must stay idle."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest

from gateway.proxy.ssrf import GuardedResolver, UpstreamGuard, UpstreamRefused, system_lookup
from tests.gateway.dataplane.routes import make_route
from tests.gateway.proxy.servers import RawServer, gateway, raw_server

REFUSED_ADDRESSES = [
    "127.0.0.1",
    "127.255.255.254",
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "100.64.0.1",  # CGNAT
    "100.127.255.254",
    "100.100.100.200",  # Alibaba metadata
    "169.254.169.254",  # AWS/GCP/Azure metadata
    "169.254.0.1",
    "192.0.0.1",
    "192.0.2.1",  # TEST-NET-1
    "198.18.0.1",  # benchmarking
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",  # broadcast
    "::",
    "::1",
    "fe80::1",
    "fe80::1%1",
    "fc00::1",
    "fd00::1",
    "fd00:ec2::254",  # AWS metadata over IPv6
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::127.0.0.1",  # IPv4-compatible
    "::8.8.8.8",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::808:808",
    "64:ff9b:1::1",  # local-use NAT64
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:7f00:1::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",  # documentation
]
ALLOWED_ADDRESSES = ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"]

# Host spellings that getaddrinfo turns into loopback or "this host".
LOOPBACK_SPELLINGS = [
    "127.1",
    "0x7f.0.0.1",
    "0177.0.0.1",
    "2130706433",
    "0x7f000001",
    "017700000001",
    "0x7f.1",
    "127.0.1",
    "0",
    "localhost",
    "localhost.",
    "LOCALHOST",
    "１２７.０.０.１",  # full-width digits
]
LITERALS = ["[::1]", "[::]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "169.254.169.254"]
FAKE_DNS = {
    "127.0.0.1.nip.io": ["127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "intranet.test": ["10.1.2.3"],
    "mixed.test": ["93.184.216.34", "192.168.0.10"],
    "v6.test": ["::1"],
    "rebind.test": ["127.0.0.1"],  # the answer a rebinding attacker gives at request time
}


async def fake_lookup(host: str, port: int) -> list[tuple[str, int]]:
    if host in FAKE_DNS:
        return [(address, port) for address in FAKE_DNS[host]]
    return await system_lookup(host, port)


def test_enough_cases() -> None:
    assert len(REFUSED_ADDRESSES) + len(LOOPBACK_SPELLINGS) + len(LITERALS) + len(FAKE_DNS) >= 40


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_address_is_refused(address: str) -> None:
    assert UpstreamGuard(()).refusal(address) is not None


@pytest.mark.parametrize("address", ALLOWED_ADDRESSES)
def test_public_address_is_allowed(address: str) -> None:
    assert UpstreamGuard(()).refusal(address) is None


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + list(FAKE_DNS))
async def test_host_resolving_to_a_refused_address_is_refused(host: str) -> None:
    resolver = GuardedResolver(UpstreamGuard(()), fake_lookup)
    with pytest.raises(UpstreamRefused):
        await resolver.resolve(host, 80)


@pytest.mark.parametrize("host", LITERALS)
def test_ip_literal_hosts_are_refused(host: str) -> None:
    with pytest.raises(UpstreamRefused):
        UpstreamGuard(()).check_literal(host)


async def test_resolver_returns_only_the_checked_addresses() -> None:
    FAKE_DNS["public.test"] = ["93.184.216.34", "2606:4700:4700::1111"]
    try:
        results = await GuardedResolver(UpstreamGuard(()), fake_lookup).resolve(
            "public.test", 443, family=socket.AF_UNSPEC
        )
    finally:
        del FAKE_DNS["public.test"]
    assert [(r["host"], r["port"], r["hostname"]) for r in results] == [
        ("93.184.216.34", 443, "public.test"),
        ("2606:4700:4700::1111", 443, "public.test"),
    ]


@pytest.mark.parametrize(
    ("allow", "host"),
    [
        (["127.0.0.0/8"], "127.1"),
        (["localhost"], "localhost."),
        (["intranet.test"], "intranet.test"),
        (["10.1.2.3"], "intranet.test"),
        (["[::1]"], "v6.test"),
    ],
)
async def test_allow_list_entries(allow: list[str], host: str) -> None:
    resolver = GuardedResolver(UpstreamGuard(allow), fake_lookup)
    results = await resolver.resolve(host, 80, family=socket.AF_UNSPEC)
    assert results and all(ipaddress.ip_address(r["host"]) for r in results)


async def test_allow_list_is_exact() -> None:
    guard = UpstreamGuard(["10.1.2.3", "partner.test"])
    assert guard.refusal("10.1.2.4") is not None
    with pytest.raises(UpstreamRefused):
        await GuardedResolver(guard, fake_lookup).resolve("metadata.test", 80)


# --- end to end: nothing may reach the canary -------------------------------------------

CANARY_HOSTS = [
    "127.0.0.1",
    *LOOPBACK_SPELLINGS,
    "[::ffff:127.0.0.1]",
    "127.0.0.1.nip.io",
    "rebind.test",
]


@pytest.fixture
async def canary() -> AsyncIterator[RawServer]:
    async with raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\ncanary") as server:
        yield server


async def test_canary_sees_no_connection_through_any_spelling(canary: RawServer) -> None:
    routes = [
        make_route(slug=f"s{i}", upstream_url=f"http://{host}:{canary.port}/")
        for i, host in enumerate(CANARY_HOSTS)
    ]
    async with gateway(routes, allow=(), lookup=fake_lookup) as gw, aiohttp.ClientSession() as http:
        for i, host in enumerate(CANARY_HOSTS):
            async with http.get(f"{gw}/api/s{i}/v1/") as response:
                assert response.status == 502, host
                body = await response.json(content_type="application/problem+json")
                assert body["type"].endswith("#upstream-refused"), (host, body)
    assert canary.connections == 0


async def test_canary_is_reached_once_allow_listed(canary: RawServer) -> None:
    """Proves the canary test above can fail: the same route works when allowed."""
    route = make_route(upstream_url=f"http://127.0.0.1:{canary.port}/")
    async with (
        gateway([route], allow=("127.0.0.1",)) as gw,
        aiohttp.ClientSession() as http,
        http.get(f"{gw}/api/tax/v1/") as response,
    ):
        assert response.status == 200
        assert await response.read() == b"canary"
    assert canary.connections == 1


async def test_resolver_honours_the_connector_address_family() -> None:
    FAKE_DNS["dual.test"] = ["93.184.216.34", "2606:4700:4700::1111"]
    try:
        resolver = GuardedResolver(UpstreamGuard(()), fake_lookup)
        v4 = await resolver.resolve("dual.test", 80, family=socket.AF_INET)
        v6 = await resolver.resolve("dual.test", 80, family=socket.AF_INET6)
    finally:
        del FAKE_DNS["dual.test"]
    assert [r["host"] for r in v4] == ["93.184.216.34"]
    assert [r["host"] for r in v6] == ["2606:4700:4700::1111"]
