"""One seeded registry and recording upstream per session; one `tsunagu serve` per module.

The server is the real console script on a free loopback port with its own log file, so tests
can grep what it logged. Rate-limit counters live in each server's memory, so modules do not
share quotas; the per-address guard is raised well above what a module sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.e2e.harness import Server, serve
from tests.security.stack import Client, seed, sunset, token
from tests.security.upstream import Upstream, recording_upstream


@dataclass(frozen=True)
class Seeded:
    env: dict[str, str]
    tmp: Path
    upstream: Upstream
    apps: dict[str, Client]
    sunset: date


@dataclass(frozen=True)
class Gateway:
    server: Server
    http: httpx.Client
    seeded: Seeded

    def token(self, app: str, scope: str | None = None) -> str:
        return token(self.server.base_url, self.seeded.apps[app], scope)

    def log(self) -> str:
        return self.server.log()


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    tmp = tmp_path_factory.mktemp("security")
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp / 'tsunagu.db'}",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_IP_PER_MINUTE": "100000",
        "TSUNAGU_SNAPSHOT_POLL_SECONDS": "0.2",
    }
    with recording_upstream() as upstream:
        until = sunset()
        yield Seeded(env, tmp, upstream, seed(env, tmp, upstream.base_url, until), until)


@pytest.fixture(scope="module")
def gateway(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with (
        serve(seeded.env, tmp_path_factory.mktemp("serve")) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as http,
    ):
        yield Gateway(server, http, seeded)
