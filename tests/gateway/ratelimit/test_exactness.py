"""Two OS processes share one Redis counter: allowed requests equal the limit exactly (B02)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.gateway.ratelimit.factories import delete_keys

pytestmark = [pytest.mark.redis, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[3]
LIMIT, CLIENTS_PER_PROCESS, REQUESTS_PER_CLIENT = 50, 100, 2


def start(redis_url: str, key_prefix: str) -> subprocess.Popen[str]:
    module = "tests.gateway.ratelimit.exactness_worker"
    sizes = (CLIENTS_PER_PROCESS, REQUESTS_PER_CLIENT, LIMIT)
    return subprocess.Popen(
        [sys.executable, "-m", module, redis_url, key_prefix, *map(str, sizes)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_processes_allow_exactly_the_limit(redis_url: str) -> None:
    key_prefix = "t-exact-" + uuid.uuid4().hex
    workers = [start(redis_url, key_prefix) for _ in range(2)]
    try:
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = [worker.communicate(timeout=60)[0].strip() for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()  # by PID, via the Popen handle
                worker.wait(timeout=10)
        delete_keys(redis_url, key_prefix)
    counts = [dict(part.split("=") for part in line.split()) for line in results]
    assert [c["other"] for c in counts] == ["0", "0"]
    assert sum(int(c["allowed"]) for c in counts) == LIMIT
    total = 2 * CLIENTS_PER_PROCESS * REQUESTS_PER_CLIENT
    assert sum(int(c["refused"]) for c in counts) == total - LIMIT
