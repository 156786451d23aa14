"""Compatible change and brownouts against a real `tsunagu serve` (no restart between steps):
a compatible re-registration is served, a breaking one refused line by line, and a brownout
window that includes now answers 410 `brownout` naming the successor and the sunset."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from registry.clock import JAPAN
from registry.principal import cli_operator
from registry.service import RegistryService
from registry.settings import Settings
from registry.store import open_store
from tests.e2e.conftest import Deployment, seed_echo
from tests.e2e.harness import cli, serve
from tests.e2e.test_gateway import assert_problem, get, poll
from tests.e2e.upstream import echo_app, upstream_server

pytestmark = pytest.mark.xdist_group("change-management")
NEW_PATH = "/corporation-search"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    tmp = tmp_path_factory.mktemp("changes")
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp / 'tsunagu.db'}",
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
        "LC_ALL": "ja_JP.UTF-8",
    }
    with upstream_server(echo_app) as upstream:
        seed_echo(env, tmp, upstream, majors=(1, 2))
        with serve(env, tmp) as server:
            yield Deployment(server, env, upstream, tmp)


def published_document(d: Deployment) -> tuple[dict[str, Any], str]:
    """The v1 document as registered, and the upstream it was registered with."""
    path = d.tmp / "echo-v1.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")), f"{d.upstream}/v1"


def with_search(doc: dict[str, Any]) -> dict[str, Any]:
    """The compatible change: a new path, a copy of the list operation."""
    added = copy.deepcopy(doc["paths"]["/corporations"])
    added["get"]["operationId"] = "search_corporations"
    doc["paths"][NEW_PATH] = added
    return doc


def register(d: Deployment, doc: dict[str, Any], upstream: str, name: str) -> Any:
    path: Path = d.tmp / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    args = ("api", "register", str(path), "--provider", "nta", "--upstream", upstream)
    return cli(d.env, *args, check=False)


def test_a_compatible_change_is_served_without_restart(deployment: Deployment) -> None:
    sandbox = deployment.app("echo", sandbox=True).token(deployment.server)
    before = get(deployment, f"/sandbox/echo/v1{NEW_PATH}", sandbox)
    assert_problem(before, 404)
    doc, upstream = published_document(deployment)
    result = register(deployment, with_search(doc), upstream, "echo-v1-compatible.yaml")
    assert result.returncode == 0, result.stderr
    assert (
        json.loads(cli(deployment.env, "api", "show", "echo", "v1", "--format", "json").stdout)[
            "state"
        ]
        == "published"
    )

    def served() -> bool:
        return get(deployment, f"/sandbox/echo/v1{NEW_PATH}", sandbox).status_code == 200

    assert poll(served, 5), "the compatible change was not served"


def test_a_breaking_change_is_refused_with_one_line_per_change(deployment: Deployment) -> None:
    doc, upstream = published_document(deployment)
    doc = with_search(doc)  # as published by the test before
    del doc["paths"]["/corporations/{corporate_number}"]
    result = register(deployment, doc, upstream, "echo-v1-breaking.yaml")
    assert result.returncode == 1
    head, *lines = result.stderr.splitlines()
    assert head.startswith("エラー: ") and head.endswith("（breaking-change）")
    assert "v2" in head
    assert lines == [
        "  /paths/~1corporations~1{corporate_number}: "
        "パス /corporations/{corporate_number} が削除されました (api-path-removed)"
    ]
    token = deployment.app("echo").token(deployment.server)
    assert get(deployment, "/api/echo/v1/corporations/7000012050002", token).status_code == 200


def test_a_brownout_window_answers_410_naming_successor_and_sunset(
    deployment: Deployment,
) -> None:
    sunset = (datetime.now(JAPAN) + timedelta(days=200)).date()
    cli(
        deployment.env,
        "api",
        "deprecate",
        "echo",
        "v1",
        "--sunset",
        sunset.isoformat(),
        "--successor",
        "v2",
    )
    too_soon = (datetime.now(JAPAN) + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    refused = cli(
        deployment.env,
        "api",
        "brownout",
        "echo",
        "v1",
        "--start",
        too_soon,
        "--minutes",
        "30",
        check=False,
    )
    assert refused.returncode == 1 and "（brownout-too-soon）" in refused.stderr

    # The window must include now, so it is scheduled by a service whose clock reads eight days
    # ago: the seven-day rule holds for that clock, and no public door skips it.
    now = datetime.now(JAPAN).replace(second=0, microsecond=0)
    store = open_store(deployment.env["TSUNAGU_DATABASE_URL"])
    try:
        past = RegistryService(store, Settings(), clock=lambda: now - timedelta(days=8))
        past.brownout(cli_operator(), "echo", "v1", now - timedelta(minutes=1), 30)
    finally:
        store.dispose()

    token = deployment.app("echo").token(deployment.server)
    url = "/api/echo/v1/corporations"
    assert poll(lambda: get(deployment, url, token).status_code == 410, 5)
    body = assert_problem(get(deployment, url, token, **{"Accept-Language": "en"}), 410)
    assert str(body["type"]).endswith("#brownout")
    assert body["successor"] == "/api/echo/v2/"
    assert body["sunset"] == f"{sunset.isoformat()}T00:00:00+09:00"
    assert body["brownout_ends"] == (now + timedelta(minutes=29)).isoformat()
    assert "/api/echo/v2/" in str(body["detail"])
    assert get(deployment, "/api/echo/v2/corporations", token).status_code == 200

    rows = json.loads(cli(deployment.env, "api", "list", "--format", "json").stdout)
    v1 = next(r for r in rows if r["version"] == "v1")
    assert v1["sunset"] == f"{sunset.isoformat()}T00:00:00+09:00"
    assert v1["brownouts"] == [
        {
            "start": (now - timedelta(minutes=1)).isoformat(),
            "end": (now + timedelta(minutes=29)).isoformat(),
        }
    ]
