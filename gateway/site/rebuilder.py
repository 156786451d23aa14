"""Keeps the served portal in step with the registry: builds at start, rebuilds after changes.

A self-contained long-running service (`start()` / `stop()`). It is woken by every new registry
snapshot, waits until the registry has been quiet for `debounce_seconds` (a burst of changes
costs one build), checks whether the change log moved (key rotations and token revocations
change the generation but nothing the portal shows), and builds the site in a child process
(`python -m portal`) into a fresh directory, so MkDocs never holds the gateway's event loop.
Only a complete build is swapped in; a failed one is logged, counted in
`tsunagu_portal_builds_total{outcome="failure"}`, and the last good site stays up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge

from gateway.site.files import PortalSite
from registry.settings import Settings

log = logging.getLogger(__name__)
BUILD_TIMEOUT_SECONDS = 600.0


class PortalMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.builds = Counter(
            "tsunagu_portal_builds_total",
            "Developer-portal builds by outcome (success, failure).",
            ["outcome"],
            registry=registry,
        )
        self.duration = Gauge(
            "tsunagu_portal_build_seconds",
            "Duration of the last successful portal build.",
            registry=registry,
            multiprocess_mode="max",
        )
        self.built_at = Gauge(
            "tsunagu_portal_built_timestamp_seconds",
            "When the portal being served was built (Unix time).",
            registry=registry,
            multiprocess_mode="max",
        )


class PortalRebuilder:
    def __init__(
        self,
        settings: Settings,
        site: PortalSite,
        metrics: PortalMetrics,
        change_probe: Callable[[], int],
        *,
        root: Path | None = None,
        debounce_seconds: float = 2.0,
    ) -> None:
        self._settings = settings
        self._site = site
        self._metrics = metrics
        self._probe = change_probe
        self._root = (root or settings.var_dir / "portal-live").resolve()
        self._debounce = debounce_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._built_change: int | None = None
        self._sequence = 0
        self._dirs: list[Path] = []

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await asyncio.to_thread(self._remove_orphans)
        self._task = asyncio.create_task(self._run(), name="portal-rebuilder")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for directory in self._dirs:
            await asyncio.to_thread(shutil.rmtree, directory, True)
        self._dirs.clear()

    def notify(self) -> None:
        """A registry change may have happened (safe from any thread)."""
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop has closed
            loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        await self._build_if_changed()  # the first build, at once
        while True:
            await self._wake.wait()
            self._wake.clear()
            while True:  # debounce: build once the registry has been quiet for a while
                try:
                    async with asyncio.timeout(self._debounce):
                        await self._wake.wait()
                    self._wake.clear()
                except TimeoutError:
                    break
            await self._build_if_changed()

    async def _build_if_changed(self) -> None:
        try:
            change = await asyncio.to_thread(self._probe)
        except Exception as exc:  # the store is down: keep the site, try on the next wake
            log.warning("portal rebuild skipped, registry unreachable: %s", exc)
            return
        if change != self._built_change:
            await self.build_now()

    async def build_now(self) -> bool:
        """Build into a new directory and swap it in; False (site unchanged) on failure."""
        self._sequence += 1
        target = self._root / f"{os.getpid()}-{self._sequence}"
        started = time.monotonic()
        try:
            change_id = await self._run_child(target)
        except Exception as exc:
            self._metrics.builds.labels("failure").inc()
            log.error("portal build failed, still serving the last good site: %s", exc)
            await asyncio.to_thread(shutil.rmtree, target, True)
            return False
        previous = self._site.swap(target)
        self._dirs.append(target)
        self._built_change = change_id
        self._metrics.builds.labels("success").inc()
        self._metrics.duration.set(time.monotonic() - started)
        self._metrics.built_at.set(time.time())
        log.info("portal built in %.1f s (change %s)", time.monotonic() - started, change_id)
        if previous is not None and previous in self._dirs:
            # requests already streaming from the old directory hold open file handles
            self._dirs.remove(previous)
            await asyncio.to_thread(shutil.rmtree, previous, True)
        return True

    async def _run_child(self, target: Path) -> int:
        env = {
            **os.environ,
            "TSUNAGU_DATABASE_URL": self._settings.database_url,
            "TSUNAGU_PUBLIC_URL": self._settings.public_url,
        }
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "portal",
            "--out",
            str(target),
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with asyncio.timeout(BUILD_TIMEOUT_SECONDS):
                out, err = await child.communicate()
        except (TimeoutError, asyncio.CancelledError):
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            await child.wait()
            raise
        if child.returncode != 0:
            lines = err.decode(errors="replace").strip().splitlines()
            raise RuntimeError(lines[-1] if lines else f"exit status {child.returncode}")
        return int(json.loads(out.decode().strip().splitlines()[-1])["change_id"])

    def _remove_orphans(self) -> None:
        """Directories left by gateway processes that no longer run (a crash, a kill -9)."""
        if not self._root.is_dir():
            return
        for directory in self._root.iterdir():
            pid = directory.name.split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(directory, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
