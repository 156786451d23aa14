"""With PROMETHEUS_MULTIPROC_DIR set, /metrics aggregates every worker process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MODULE = "tests.gateway.metrics.multiprocess_worker"


def run(tmp_path: Path, *args: str) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", MODULE, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@pytest.mark.slow
def test_render_aggregates_workers(tmp_path: Path) -> None:
    run(tmp_path, "record", "3", "7")
    run(tmp_path, "record", "4", "9")
    lines = run(tmp_path, "render").splitlines()
    requests = [line for line in lines if line.startswith("tsunagu_requests_total{")]
    assert len(requests) == 1 and requests[0].endswith(" 7.0")
    assert 'slug="tenki"' in requests[0] and 'status_class="2xx"' in requests[0]
    durations = [
        line for line in lines if line.startswith("tsunagu_request_duration_seconds_count")
    ]
    assert len(durations) == 1 and durations[0].endswith(" 7.0")
