"""Smoke run of `make load`: every Locust scenario against a real `tsunagu demo`, a few seconds.

Judges what the runner judges (failure ratio, p95, under generous bounds) and that each
scenario actually ran, the bursts included up to their 429. No timing is asserted beyond the
runner's own thresholds. Skips when Locust is not installed, unless TSUNAGU_REQUIRE_SERVICES=1
(the `test` extra pulls in `load`, so `make test` always has it).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from load_tests import load
from tests.services import unavailable

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("load-smoke")]

SCENARIO_NAMES = {
    "/oauth/token",
    "/api/facilities/v1/facilities?offset (paging)",
    "/api/postal/v1/addresses (burst)",
    "/api/postal/v1/addresses (burst, 429)",
    "/api/houjin/v1/corporations (deprecated)",
    "/sandbox/houjin/v2/corporations/{number}",
}


def test_every_scenario_runs_within_the_thresholds(tmp_path: Path) -> None:
    if importlib.util.find_spec("locust") is None or load.locust_command() is None:
        unavailable("Locust", "pip install -e '.[load]'")
    output = tmp_path / "load.json"
    # 10 users: one per unit of the scenarios' weights (3+3+1+1+1+1), so each class gets users.
    status = load.main(
        ["--duration", "6", "--users", "10", "--spawn-rate", "10", "--max-p95-ms", "5000",
         "--output", str(output)]
    )  # fmt: skip
    report = json.loads(output.read_text(encoding="utf-8"))
    assert report["missed"] == []
    assert status == 0
    names = {row["Name"] for row in report["outcome"]["rows"]}
    assert names >= SCENARIO_NAMES
    assert any(n.startswith("/portal/") for n in names)
    assert report["outcome"]["requests"] > len(SCENARIO_NAMES)
