"""Worker processes die or are stopped: metrics forget the dead, a kill loses a bounded number
of usage counts, and SIGTERM turns new connections away at once with `--workers 2`."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from aiohttp import web

from registry.store import open_store
from tests.e2e.harness import cli, serve
from tests.e2e.upstream import upstream_server
from tests.faults.conftest import figure, seed, until
from tests.faults.sockets import process_tree

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults")]
SLOW_SECONDS = 5.0
TIMESTAMP = "tsunagu_snapshot_refreshed_timestamp_seconds"


def workers(supervisor: int) -> set[int]:
    """The supervisor's worker processes (multiprocessing spawn children)."""
    found = set()
    for pid in process_tree(supervisor) - {supervisor}:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.add(pid)
    return found


def metric(base_url: str, name: str) -> float:
    text = requests.get(base_url + "/metrics", timeout=5).text
    line = next(line for line in text.splitlines() if line.startswith(name + " "))
    return float(line.split()[1])


def test_a_killed_workers_live_gauges_are_forgotten(tmp_path: Path, upstream: str) -> None:
    seeded = seed(
        {
            "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 'tsunagu.db'}",
            "TSUNAGU_SNAPSHOT_POLL_SECONDS": "0.2",
        },
        tmp_path,
        upstream,
    )
    files = tmp_path / "var" / "prometheus"
    with serve(seeded.env, tmp_path, "--workers", "2", ready_seconds=90) as server:
        pid = server.process.pid
        until(lambda: len(workers(pid)) == 2, 20, "two workers")
        first = workers(pid)
        until(
            lambda: all((files / f"gauge_livemin_{w}.db").exists() for w in first),
            20,
            "both workers loaded a snapshot",
        )
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        forgotten = until(
            lambda: not (files / f"gauge_livemin_{victim}.db").exists(), 10, "dead worker forgotten"
        )
        figure("worker SIGKILL: its live gauges removed after", forgotten)
        until(lambda: len(workers(pid) - first) == 1, 20, "a replacement worker")

        changed_at = time.time()  # a registry change: every live worker loads a new snapshot
        provider = ["mof", "--name-ja", "財務省", "--name-en", "MOF"]
        cli(seeded.env, "provider", "add", *provider, "--contact", "api@mof.example.go.jp")
        until(
            lambda: metric(server.base_url, TIMESTAMP) >= changed_at,
            20,
            "the oldest live worker's snapshot is newer than the change",
        )


def test_a_killed_worker_loses_at_most_the_flush_threshold(tmp_path: Path, upstream: str) -> None:
    threshold, calls = 10, 35
    seeded = seed(
        {
            "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 'tsunagu.db'}",
            "TSUNAGU_USAGE_FLUSH_SECONDS": "10",
            "TSUNAGU_TRAFFIC_FLUSH_SECONDS": "300",
            "TSUNAGU_USAGE_FLUSH_CALLS": str(threshold),
        },
        tmp_path,
        upstream,
    )
    with serve(seeded.env, tmp_path) as server:
        api = server.base_url + "/api/echo/v1/corporations"
        auth = {"Authorization": f"Bearer {seeded.app.token(server)}"}
        for _ in range(calls):  # 20 calls a second: slower than one flush per 10 calls
            assert requests.get(api, headers=auth, timeout=5).status_code == 200
            time.sleep(0.05)
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
    store = open_store(seeded.env["TSUNAGU_DATABASE_URL"])
    try:
        with store.read() as unit:
            stored = sum(row.count for row in unit.consumers("echo", "v1"))
    finally:
        store.dispose()
    print(f"\n[figure] worker SIGKILL: usage counts lost: {calls - stored} of {calls}")
    assert calls - threshold <= stored <= calls, stored


def _slow_app(arrived: threading.Event) -> web.Application:
    async def slow(request: web.Request) -> web.Response:
        arrived.set()
        await asyncio.sleep(SLOW_SECONDS)
        return web.json_response({"slow": True})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", slow)
    return app


@pytest.fixture
def slow_upstream() -> Iterator[tuple[str, threading.Event]]:
    arrived = threading.Event()
    with upstream_server(lambda: _slow_app(arrived)) as url:
        yield url, arrived


def _refused(port: int) -> bool:
    """True when a new connection is refused; False when it is accepted (and then closed)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


def test_sigterm_with_two_workers_refuses_new_connections_at_once(
    tmp_path: Path, slow_upstream: tuple[str, threading.Event]
) -> None:
    url, arrived = slow_upstream
    seeded = seed({"TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 'tsunagu.db'}"}, tmp_path, url)
    with serve(seeded.env, tmp_path, "--workers", "2", ready_seconds=90) as server:
        port = int(server.base_url.rsplit(":", 1)[1])
        auth = {"Authorization": f"Bearer {seeded.app.token(server)}"}
        outcome: list[int] = []
        in_flight = threading.Thread(
            target=lambda: outcome.append(
                requests.get(
                    server.base_url + "/api/echo/v1/slow", headers=auth, timeout=30
                ).status_code
            )
        )
        in_flight.start()
        assert arrived.wait(10)
        started = time.monotonic()
        os.kill(server.process.pid, signal.SIGTERM)  # the supervisor only, as Kubernetes does
        refused = until(lambda: _refused(port), 2, "new connections refused")
        figure("SIGTERM with 2 workers: new connections refused after", refused)
        assert in_flight.is_alive(), "the in-flight request had already ended"
        in_flight.join(30)
        assert outcome == [200]  # the request in flight still completed
        assert time.monotonic() - started < SLOW_SECONDS + 5
