"""The real Prometheus server scrapes a real `tsunagu serve` and evaluates the shipped rules.

A published API whose upstream refuses connections must make the upstream and error-budget
alerts pending (their `for:` keeps them from firing within a test), while the healthy API next
to it raises nothing. Rule groups are evaluated every second here instead of every 30 s.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.conftest import DEPLOY, Monitored, tool_or_skip
from tests.deploy.dashboard import expressions, runnable
from tests.services import free_port

pytestmark = pytest.mark.slow


@contextmanager
def prometheus(target: str, tmp: Path) -> Iterator[str]:
    """Prometheus on a free loopback port scraping `target` every second; stopped by PID."""
    rules = (DEPLOY / "prometheus" / "alerts.yml").read_text(encoding="utf-8")
    (tmp / "alerts.yml").write_text(rules.replace("interval: 30s", "interval: 1s"), "utf-8")
    (tmp / "prometheus.yml").write_text(
        json.dumps(
            {
                "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                "rule_files": ["alerts.yml"],
                "scrape_configs": [
                    {"job_name": "tsunagu", "static_configs": [{"targets": [target]}]}
                ],
            }
        ),
        "utf-8",
    )
    port = free_port()
    log = (tmp / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            tool_or_skip("prometheus"),
            f"--config.file={tmp / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        log.close()


def alerts(base: str) -> list[dict[str, Any]]:
    try:
        with urllib.request.urlopen(base + "/api/v1/alerts", timeout=2) as response:  # noqa: S310
            return list(json.load(response)["data"]["alerts"])
    except OSError:
        return []  # not up yet


def test_a_failing_upstream_makes_the_error_alerts_pending(
    monitored: Monitored, tmp_path: Path
) -> None:
    wanted = {"TsunaguUpstreamFailing", "TsunaguErrorBudgetBurnFast"}
    seen: dict[str, dict[str, Any]] = {}
    target = monitored.server.base_url.removeprefix("http://")
    with prometheus(target, tmp_path) as base:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not wanted <= seen.keys():
            assert monitored.call("broken") == 502
            assert monitored.call("echo") == 200
            seen.update({a["labels"]["alertname"]: a for a in alerts(base)})
            time.sleep(0.2)
        failed_queries = [expr for expr in expressions() if not query_ok(base, runnable(expr))]
        log = (tmp_path / "prometheus.log").read_text(errors="replace")
    assert wanted <= seen.keys(), f"alerts seen: {sorted(seen)}\n{log[-3000:]}"
    for name in wanted:
        assert seen[name]["state"] in ("pending", "firing")
        assert seen[name]["labels"]["slug"] == "broken"
    assert not any(a["labels"].get("slug") == "echo" for a in seen.values())
    assert failed_queries == [], "the real Prometheus refused these dashboard queries"


def query_ok(base: str, expr: str) -> bool:
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return bool(json.load(response)["status"] == "success")
    except urllib.error.HTTPError:
        return False
