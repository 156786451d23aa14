"""Redis dies and comes back: one log line each way, no connections left half-closed, and the
client is served again as soon as Redis answers (no lockout by the per-address guard)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.e2e.harness import serve
from tests.faults.conftest import figure, seed, until
from tests.faults.redis_server import PrivateRedis
from tests.faults.sockets import tcp_states

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults")]
DOWN = "rate-limit store unreachable"
BACK = "rate-limit store reachable again"


def test_redis_restart_is_logged_and_leaves_no_dead_connections(
    tmp_path: Path, upstream: str
) -> None:
    redis = PrivateRedis(tmp_path)
    redis.start()
    try:
        seeded = seed(
            {
                "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 'tsunagu.db'}",
                "TSUNAGU_REDIS_URL": redis.url,
                # A tiny fallback quota: during the outage the client gets its own 429s, which
                # the per-address guard (5 faults a minute) must not count against it.
                "TSUNAGU_REDIS_FALLBACK_PER_MINUTE": "2",
                "TSUNAGU_IP_PER_MINUTE": "5",
            },
            tmp_path,
            upstream,
        )
        with serve(seeded.env, tmp_path) as server:
            api = server.base_url + "/api/echo/v1/corporations"
            auth = {"Authorization": f"Bearer {seeded.app.token(server)}"}

            def call() -> int:
                return requests.get(api, headers=auth, timeout=10).status_code

            with ThreadPoolExecutor(16) as pool:  # concurrent calls fill the Redis pool
                assert set(pool.map(lambda _: call(), range(48))) == {200}
            pooled = tcp_states(server.process.pid, redis.port)["ESTABLISHED"]
            assert pooled >= 2, pooled

            redis.kill()
            statuses = [call() for _ in range(10)]
            assert set(statuses) <= {200, 429} and 429 in statuses, statuses
            until(lambda: DOWN in server.log(), 5, "the outage is logged")
            # The counters' pool is emptied at once; the token endpoint's limiter (synchronous,
            # so one connection) keeps its idle one until its next use.
            until(
                lambda: tcp_states(server.process.pid, redis.port)["CLOSE_WAIT"] <= 1,
                5,
                "the dead pooled connections are closed",
            )

            redis.start()
            back = until(lambda: call() == 200 and BACK in server.log(), 20, "Redis is used again")
            figure("Redis restart: shared counters in use again after", back)
            assert call() == 200  # neither its own 429s nor the outage locked the client out
            seeded.app.token(server)
            until(
                lambda: tcp_states(server.process.pid, redis.port)["CLOSE_WAIT"] == 0,
                5,
                "no connection to the old Redis is left half-closed",
            )
            time.sleep(0.5)
            log = server.log()
            assert log.count(DOWN) == 1 and log.count(BACK) == 1, log
    finally:
        redis.stop()
