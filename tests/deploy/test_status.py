"""`tsunagu status` and the admin API's stats show a real run's figures from the store."""

from __future__ import annotations

import json
import time
from typing import Any

import requests

from tests.deploy.conftest import Monitored
from tests.e2e.conftest import create_app
from tests.e2e.harness import cli


def status_of(monitored: Monitored, slug: str) -> dict[str, Any]:
    out = cli(monitored.env, "status", slug, "--since", "1h", "--format", "json").stdout
    versions: list[dict[str, Any]] = json.loads(out)["versions"]
    assert [v["version"] for v in versions] == ["v1"]
    return versions[0]


def wait_for_requests(monitored: Monitored, slug: str, at_least: int) -> dict[str, Any]:
    """Figures lag by one flush interval (0.5 s here): poll, bounded."""
    deadline = time.monotonic() + 30
    while True:
        figures = status_of(monitored, slug)
        if figures["requests"] >= at_least or time.monotonic() > deadline:
            return figures
        time.sleep(0.5)


def test_status_shows_a_failing_and_a_healthy_api(monitored: Monitored) -> None:
    before = status_of(monitored, "broken")["requests"]
    for _ in range(3):
        assert monitored.call("echo") == 200
        assert monitored.call("broken") == 502
    broken = wait_for_requests(monitored, "broken", before + 3)
    assert broken["status"]["5xx"] >= 3 and broken["error_ratio"]["5xx"] == 1.0
    assert broken["upstream_errors"] >= 3 and broken["apps"] == 1
    assert broken["top_errors"][0]["code"] == "bad-gateway"
    assert broken["launch_watch"] is True
    assert broken["until"].endswith("+09:00")
    assert {"availability", "launch-watch"} <= {a["code"] for a in broken["attention"]}
    echo = status_of(monitored, "echo")
    assert echo["status"]["2xx"] >= 3 and echo["error_ratio"]["5xx"] == 0.0
    assert echo["latency_ms"]["p95"] is not None
    assert echo["objective"] == {"availability": 99.5, "latency_p95_ms": 1000.0}
    assert echo["attention"] == []

    text = cli(monitored.env, "status", "--since", "1h").stdout
    assert "attention" in text and "broken v1" in text and "echo v1" in text
    assert "可用性" in text  # the Japanese reason under the table
    assert "\x1b[" not in text  # no colour codes when stdout is not a terminal


def test_admin_stats_match_and_are_provider_scoped(monitored: Monitored) -> None:
    assert monitored.call("broken") == 502
    operator = create_app(monitored.env, "tsunagu:admin").token(monitored.server)
    cli(
        monitored.env,
        "provider",
        "add",
        "other",
        "--name-ja",
        "他省",
        "--name-en",
        "Other",
        "--contact",
        "api@other.example.go.jp",
    )
    stranger = create_app(monitored.env, "tsunagu:provider:other").token(monitored.server)
    url = monitored.server.base_url + "/admin/v1/apis/broken/v1/stats?since=1h"
    answer = requests.get(url, headers={"Authorization": f"Bearer {operator}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.json()["slug"] == "broken" and answer.json()["requests"] >= 1
    refused = requests.get(url, headers={"Authorization": f"Bearer {stranger}"}, timeout=10)
    assert refused.status_code in (403, 404)
    assert refused.headers["content-type"] == "application/problem+json"
    bad = requests.get(
        url.replace("1h", "1y"), headers={"Authorization": f"Bearer {operator}"}, timeout=10
    )
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"


def test_a_bad_period_is_one_line_and_exit_2(monitored: Monitored) -> None:
    result = cli(monitored.env, "status", "--since", "forever", check=False)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "1h" in result.stderr
