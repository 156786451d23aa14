"""A published API behind a real `tsunagu serve`, with a real upstream and real apps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.e2e.documents import write_variant
from tests.e2e.harness import Server, cli, serve
from tests.e2e.upstream import echo_app, upstream_server


@dataclass
class App:
    client_id: str
    client_secret: str

    def token(self, server: Server) -> str:
        response = requests.post(
            server.base_url + "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self.client_secret),
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])


def create_app(env: dict[str, str], scopes: str, *, sandbox: bool = False) -> App:
    """`tsunagu app create` as an operator would run it; the secret is read from its output."""
    args = ["app", "create", "--name", "e2e", "--owner", "dev@example.jp", "--scopes", scopes]
    out = json.loads(
        cli(env, *args, *(["--sandbox"] if sandbox else []), "--format", "json").stdout
    )
    return App(out["client_id"], out["client_secret"])


def seed_echo(
    env: dict[str, str], tmp: Path, upstream: str, majors: tuple[int, ...] = (1,)
) -> None:
    """Provider `nta` with the API `echo` (the houjin document) published for each major."""
    cli(
        env,
        "provider",
        "add",
        "nta",
        "--name-ja",
        "国税庁",
        "--name-en",
        "NTA",
        "--contact",
        "api@nta.example.go.jp",
    )
    for major in majors:
        document = write_variant(tmp, "houjin", "echo", major)
        cli(
            env,
            "api",
            "register",
            str(document),
            "--provider",
            "nta",
            "--upstream",
            f"{upstream}/v{major}",
        )
        cli(env, "api", "publish", "echo", f"v{major}")


@dataclass
class Deployment:
    server: Server
    env: dict[str, str]
    upstream: str
    tmp: Path

    def app(self, scopes: str, *, sandbox: bool = False) -> App:
        return create_app(self.env, scopes, sandbox=sandbox)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    tmp = tmp_path_factory.mktemp("e2e")
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp / 'tsunagu.db'}",
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
    }
    with upstream_server(echo_app) as upstream:
        seed_echo(env, tmp, upstream, majors=(1, 2))
        with serve(env, tmp) as server:
            yield Deployment(server, env, upstream, tmp)
