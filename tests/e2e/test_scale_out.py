"""Two gateway instances sharing PostgreSQL and Redis, as in production."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack

import aiohttp
import pytest
import requests

from tests.e2e.conftest import App, create_app, seed_echo
from tests.e2e.harness import Server, serve
from tests.e2e.test_gateway import poll
from tests.e2e.upstream import echo_app, upstream_server
from tests.services import postgres_schema, redis_url_or_skip

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
LIMIT = 50


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[list[Server], dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("cluster")
    redis_url = redis_url_or_skip()
    with ExitStack() as stack:
        database = stack.enter_context(postgres_schema())
        env = {
            "TSUNAGU_DATABASE_URL": database,
            "TSUNAGU_REDIS_URL": redis_url,
            "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
            "TSUNAGU_IP_PER_MINUTE": "100000",
            "TSUNAGU_VAR_DIR": str(tmp / "var"),
        }
        upstream = stack.enter_context(upstream_server(echo_app))
        seed_echo(env, tmp, upstream)
        servers = [stack.enter_context(serve(env, tmp)) for _ in range(2)]
        yield servers, env


def _app(env: dict[str, str], scopes: str) -> App:
    return create_app(env, scopes)


def test_a_cli_change_reaches_every_instance(cluster: tuple[list[Server], dict[str, str]]) -> None:
    servers, env = cluster
    token = _app(env, "echo").token(servers[0])
    for server in servers:  # a token from one instance is accepted by the other
        response = requests.get(
            server.base_url + "/api/echo/v1/corporations",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert response.status_code == 200, response.text


async def _burst(servers: list[Server], token: str, clients: int) -> list[int]:
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(i: int) -> int:
            url = servers[i % len(servers)].base_url + "/api/echo/v1/corporations"
            async with session.get(url, headers={"Authorization": f"Bearer {token}"}) as r:
                await r.read()
                return r.status

        return await asyncio.gather(*(one(i) for i in range(clients)))


def test_the_limit_is_exact_across_instances(cluster: tuple[list[Server], dict[str, str]]) -> None:
    servers, env = cluster
    operator = _app(env, "tsunagu:admin").token(servers[0])
    plan = {"per_minute": LIMIT, "per_day": 10_000, "sandbox_per_minute": 30}
    response = requests.put(
        servers[0].base_url + "/admin/v1/apis/echo/v1/plan",
        json=plan,
        headers={"Authorization": f"Bearer {operator}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    token = _app(env, "echo").token(servers[1])
    probe = _app(env, "echo").token(servers[0])  # its own counters: the burst's stay untouched

    def sees_plan(server: Server) -> bool:
        r = requests.get(
            server.base_url + "/api/echo/v1/corporations",
            headers={"Authorization": f"Bearer {probe}"},
            timeout=10,
        )
        return f'"minute";q={LIMIT};' in r.headers.get("ratelimit-policy", "")

    for server in servers:
        assert poll(lambda s=server: sees_plan(s), 10), "the new plan did not reach every instance"
    statuses = asyncio.run(_burst(servers, token, 200))
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == 200 - LIMIT
