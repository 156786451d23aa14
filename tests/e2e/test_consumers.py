"""`tsunagu api consumers` counts every authenticated call a real `tsunagu serve` answered,
429s and 502s included, broken down by status class (a dead upstream and a tiny plan)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

import pytest
import requests

from registry.models import RatePlan
from registry.principal import cli_operator
from registry.service import RegistryService
from registry.settings import load_settings
from registry.store import open_store
from tests.e2e.conftest import create_app, seed_echo
from tests.e2e.harness import Server, cli, serve
from tests.e2e.test_gateway import poll
from tests.services import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dead_upstream(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Server, dict[str, str]]]:
    """`echo v1` proxied to a loopback port nobody listens on, with a plan of 3 per minute."""
    tmp = tmp_path_factory.mktemp("consumers")
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp / 'tsunagu.db'}",
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
    }
    seed_echo(env, tmp, f"http://127.0.0.1:{free_port()}")
    store = open_store(env["TSUNAGU_DATABASE_URL"])
    try:
        service = RegistryService(store, load_settings(database_url=env["TSUNAGU_DATABASE_URL"]))
        service.set_plan(cli_operator(), "echo", "v1", RatePlan(per_minute=3, per_day=1000))
    finally:
        store.dispose()
    with serve(env, tmp) as server:
        yield server, env


def test_refused_and_failed_calls_are_counted_by_class(
    dead_upstream: tuple[Server, dict[str, str]],
) -> None:
    server, env = dead_upstream
    app = create_app(env, "echo")
    headers = {"Authorization": f"Bearer {app.token(server)}"}
    seen: Counter[int] = Counter()
    for _ in range(20):  # bounded: until two 429s (a minute boundary may reset the window)
        response = requests.get(
            f"{server.base_url}/api/echo/v1/corporations", headers=headers, timeout=10
        )
        seen[response.status_code] += 1
        if seen[429] == 2:
            break
    assert set(seen) == {502, 429}, seen
    expected = {"2xx": 0, "3xx": 0, "4xx": 0, "429": seen[429], "5xx": seen[502]}

    def rows() -> list[dict[str, object]]:
        out = cli(env, "api", "consumers", "echo", "v1", "--format", "json").stdout
        listed: list[dict[str, object]] = json.loads(out)
        return listed

    assert poll(lambda: any(r["count"] == seen.total() for r in rows()), 15), rows()
    (row,) = rows()
    assert row["client_id"] == app.client_id
    assert row["statuses"] == expected
    text = cli(env, "api", "consumers", "echo", "v1").stdout.splitlines()
    assert text[0].split()[-5:] == ["2xx", "3xx", "4xx", "429", "5xx"]
    assert text[1].split()[-5:] == [str(v) for v in expected.values()]
