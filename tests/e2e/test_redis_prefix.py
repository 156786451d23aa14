"""TSUNAGU_REDIS_PREFIX: two deployments on one Redis keep their counters and channels apart."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis
import requests

from tests.e2e.conftest import create_app, seed_echo
from tests.e2e.harness import Server, serve
from tests.e2e.test_gateway import poll
from tests.e2e.upstream import echo_app, upstream_server
from tests.services import redis_url_or_skip

pytestmark = [pytest.mark.redis, pytest.mark.slow]
LIMIT = 3


@pytest.fixture(scope="module")
def deployments(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, str], dict[str, Server]]]:
    """The same registry served twice, each instance under its own Redis prefix."""
    tmp: Path = tmp_path_factory.mktemp("prefix")
    redis_url = redis_url_or_skip()
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp / 'tsunagu.db'}",
        "TSUNAGU_REDIS_URL": redis_url,
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
        "TSUNAGU_PORTAL_AUTOBUILD": "false",
    }
    prefixes = [f"t-{name}-{uuid.uuid4().hex[:8]}" for name in ("a", "b")]
    with ExitStack() as stack:
        upstream = stack.enter_context(upstream_server(echo_app))
        seed_echo(env, tmp, upstream)
        stack.callback(_delete_keys, redis_url, prefixes)
        servers = {
            prefix: stack.enter_context(serve({**env, "TSUNAGU_REDIS_PREFIX": prefix}, tmp))
            for prefix in prefixes
        }
        yield env, servers


def _delete_keys(redis_url: str, prefixes: list[str]) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        for prefix in prefixes:
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
    finally:
        client.close()


def _call(server: Server, token: str) -> requests.Response:
    return requests.get(
        server.base_url + "/api/echo/v1/corporations",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_counters_and_channels_do_not_collide(
    deployments: tuple[dict[str, str], dict[str, Server]],
) -> None:
    env, servers = deployments
    (prefix_a, a), (prefix_b, b) = servers.items()
    operator = create_app(env, "tsunagu:admin").token(a)
    # A day quota: the window cannot end between two calls (except at midnight JST).
    plan = {"per_minute": 1000, "per_day": LIMIT, "sandbox_per_minute": 30}
    response = requests.put(
        a.base_url + "/admin/v1/apis/echo/v1/plan",
        json=plan,
        headers={"Authorization": f"Bearer {operator}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    probe = create_app(env, "echo").token(b)  # its own counters: the test app's stay untouched
    policy = f'"day";q={LIMIT};'
    assert poll(lambda: policy in _call(b, probe).headers.get("ratelimit-policy", ""), 10)
    token = create_app(env, "echo").token(a)
    # The same app, the same API, the same day: each deployment counts on its own.
    for server in (a, b):
        statuses = [_call(server, token).status_code for _ in range(LIMIT + 1)]
        assert statuses == [200] * LIMIT + [429]

    client = redis.Redis.from_url(redis_url_or_skip())
    try:
        for prefix in (prefix_a, prefix_b):
            assert list(client.scan_iter(match=f"{prefix}:rl:*", count=1000))
            assert list(client.scan_iter(match=f"{prefix}:routers:*", count=1000))
            assert client.pubsub_channels(f"{prefix}:*") == [f"{prefix}:generation".encode()]
    finally:
        client.close()
