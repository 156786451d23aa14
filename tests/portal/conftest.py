"""Shared fixtures for the portal tests: one seeded demo registry, one real `tsunagu serve`
that builds the portal (all modules of this package share it; they run in one xdist group)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from gateway.demo.run import JST
from gateway.demo.seed import demo_apis, ensure_credentials, seed_registry
from gateway.demo.upstreams import DEMO_UPSTREAMS, start_upstream
from registry.service import RegistryService
from registry.settings import load_settings
from registry.store import open_store
from tests.e2e.harness import TSUNAGU, stop
from tests.mailbox import Mailbox, smtp_server
from tests.services import free_port

PORTAL_READY_SECONDS = 180  # the first build of the site, on a loaded 2-core machine


@dataclass(frozen=True)
class Seeded:
    database_url: str
    credentials: dict[str, Any]
    var_dir: Path


@dataclass(frozen=True)
class PortalServer:
    base_url: str
    env: dict[str, str]
    credentials: dict[str, Any]
    log_path: Path

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
        """(status, headers, body) of a GET on the server; errors are answers too."""
        request = urllib.request.Request(self.base_url + path, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()


CLOSED_UPSTREAMS = {
    slug: f"http://127.0.0.1:9/{slug}" for slug in ("houjin", "postal", "facilities")
}
"""Upstreams at a closed port: for tests that never call production."""


def seed_demo(directory: Path, upstreams: dict[str, str] = CLOSED_UPSTREAMS) -> Seeded:
    """The demo's providers, APIs (houjin v1 deprecated for v2) and apps, in SQLite."""
    url = f"sqlite:///{directory / 'tsunagu.db'}"
    settings = load_settings(database_url=url, upstream_allow="127.0.0.1/32", var_dir=directory)
    store = open_store(settings)
    try:
        service = RegistryService(store, settings)
        seed_registry(service, demo_apis(upstreams), datetime.now(JST).date())
        credentials = ensure_credentials(service, directory / "demo-credentials.json")
    finally:
        store.dispose()
    return Seeded(url, credentials, directory)


@pytest.fixture(scope="session")
def demo_upstreams() -> Iterator[dict[str, str]]:
    """The demo's three real upstream servers on free loopback ports, in a thread of their own
    (slug → base URL), so a production call through the portal's gateway gets a real answer."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    bases: dict[str, str] = {}
    runners = []
    try:
        for upstream in DEMO_UPSTREAMS:
            port = free_port()
            started = start_upstream(upstream.build(), "127.0.0.1", port)
            runners.append(asyncio.run_coroutine_threadsafe(started, loop).result(timeout=10))
            bases[upstream.slug] = f"http://127.0.0.1:{port}"
        yield bases
    finally:
        for runner in runners:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory, demo_upstreams: dict[str, str]) -> Seeded:
    return seed_demo(tmp_path_factory.mktemp("portal-registry"), demo_upstreams)


def _wait_for_portal(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    end = time.monotonic() + PORTAL_READY_SECONDS
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"tsunagu serve exited:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base_url + "/portal/", timeout=2):  # noqa: S310
                return
        except (urllib.error.HTTPError, OSError):
            time.sleep(0.5)
    raise AssertionError(f"the portal was not built in time:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    """The real SMTP server the portal's gateway sends its account mails to."""
    with smtp_server() as box:
        yield box


@pytest.fixture(scope="session")
def portal_server(
    seeded: Seeded, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PortalServer]:
    """A real `tsunagu serve` whose public URL is its own address (try-it is same-origin),
    mailing through `mailbox`."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    var_dir = tmp_path_factory.mktemp("portal-var")
    env = {
        "TSUNAGU_DATABASE_URL": seeded.database_url,
        "TSUNAGU_PUBLIC_URL": base,
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1/32",
        "TSUNAGU_VAR_DIR": str(var_dir),
        "TSUNAGU_PORTAL_AUTOBUILD": "true",
        "TSUNAGU_PORTAL_DEBOUNCE_SECONDS": "0.5",
        "TSUNAGU_SMTP_URL": mailbox.url,
        "TSUNAGU_MAIL_FROM": "portal@example.go.jp",
        "TSUNAGU_NOTICE_POLL_SECONDS": "0.5",
        "TSUNAGU_TRAFFIC_FLUSH_SECONDS": "1",
        "TSUNAGU_SNAPSHOT_POLL_SECONDS": "0.5",
    }
    log_path = var_dir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [TSUNAGU, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for_portal(base, process, log_path)
        yield PortalServer(base, env, seeded.credentials, log_path)
    finally:
        stop(process)


def metric(server: PortalServer, name: str, labels: str = "") -> float:
    """One sample of the server's /metrics (0 when absent)."""
    _, _, body = server.get("/metrics")
    prefix = f"{name}{{{labels}}} " if labels else f"{name} "
    for line in body.decode().splitlines():
        if line.startswith(prefix):
            return float(line.split()[-1])
    return 0.0
