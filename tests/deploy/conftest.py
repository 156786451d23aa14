"""A running gateway with traffic on a healthy and a failing API, for the monitoring checks."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import App, create_app, seed_echo
from tests.e2e.harness import Server, serve
from tests.e2e.upstream import echo_app, upstream_server
from tests.services import free_port, unavailable

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def tool_or_skip(name: str) -> str:
    """The path of a Debian tool (promtool, prometheus), or a skip (a failure in CI)."""
    found = shutil.which(name)
    if found is None:
        unavailable(name, "not on PATH; Debian's `prometheus` package provides it")
    return found


@dataclass
class Monitored:
    server: Server
    env: dict[str, str]
    app: App
    token: str

    def call(self, slug: str) -> int:
        response = requests.get(
            f"{self.server.base_url}/api/{slug}/v1/corporations/7000012050002",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=10,
        )
        return response.status_code

    def metrics_text(self) -> str:
        response = requests.get(self.server.base_url + "/metrics", timeout=10)
        assert response.status_code == 200, response.text
        return response.text


@pytest.fixture(scope="package")
def monitored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Monitored]:
    """`echo` forwards to a live upstream; `broken` to a loopback port nobody listens on."""
    tmp = tmp_path_factory.mktemp("monitoring")
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp / 'tsunagu.db'}",
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
        "TSUNAGU_TRAFFIC_FLUSH_SECONDS": "0.5",
    }
    with upstream_server(echo_app) as upstream:
        seed_echo(env, tmp, upstream)
        broken_tmp = tmp / "broken"
        broken_tmp.mkdir()
        seed_broken(env, broken_tmp, f"http://127.0.0.1:{free_port()}")
        app = create_app(env, "echo broken")
        with serve(env, tmp) as server:
            yield Monitored(server, env, app, app.token(server))


def seed_broken(env: dict[str, str], tmp: Path, dead_upstream: str) -> None:
    from tests.e2e.documents import write_variant
    from tests.e2e.harness import cli

    document = write_variant(tmp, "houjin", "broken")
    cli(env, "api", "register", str(document), "--provider", "nta", "--upstream", dead_upstream)
    cli(env, "api", "publish", "broken", "v1")
