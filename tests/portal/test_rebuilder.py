"""The background rebuilder's failure path and debouncing, with its real child process.

A build whose registry cannot be reached fails fast in the child (`python -m portal`), which is
the cheapest real failure: the last good site must stay served and the failure be counted.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from gateway.problems import ProblemRenderer
from gateway.site.files import PortalSite
from gateway.site.rebuilder import PortalMetrics, PortalRebuilder
from registry.settings import Settings, load_settings

pytestmark = pytest.mark.xdist_group("portal")


def good_site(tmp_path: Path) -> Path:
    site = tmp_path / "good"
    site.mkdir()
    (site / "index.html").write_text("<h1>last good site</h1>")
    return site


def broken_settings(tmp_path: Path) -> Settings:
    """A registry on a port where nothing listens: the child fails at once."""
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    return load_settings(database_url=unreachable, var_dir=tmp_path / "var")


def failures(registry: CollectorRegistry) -> float:
    return registry.get_sample_value("tsunagu_portal_builds_total", {"outcome": "failure"}) or 0.0


async def test_a_failed_build_keeps_the_last_good_site_and_is_counted(tmp_path: Path) -> None:
    site = PortalSite(ProblemRenderer("http://127.0.0.1:8000"))
    good = good_site(tmp_path)
    site.swap(good)
    registry = CollectorRegistry()
    rebuilder = PortalRebuilder(
        broken_settings(tmp_path),
        site,
        PortalMetrics(registry),
        lambda: 1,
        root=tmp_path / "live",
    )
    assert await rebuilder.build_now() is False
    assert site.directory == good
    assert failures(registry) == 1
    live = tmp_path / "live"
    assert not live.exists() or not any(live.iterdir())  # the half-built directory is gone


async def test_a_burst_of_changes_costs_one_build(tmp_path: Path) -> None:
    site = PortalSite(ProblemRenderer("http://127.0.0.1:8000"))
    registry = CollectorRegistry()
    change = iter(range(1, 100))
    rebuilder = PortalRebuilder(
        broken_settings(tmp_path),
        site,
        PortalMetrics(registry),
        lambda: next(change),
        root=tmp_path / "live",
        debounce_seconds=0.3,
    )
    await rebuilder.start()
    try:
        async with asyncio.timeout(60):
            while failures(registry) < 1:  # the build at start
                await asyncio.sleep(0.05)
            for _ in range(5):  # no await in between: one burst
                rebuilder.notify()
            while failures(registry) < 2:
                await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)  # more than three debounce windows: nothing else is pending
        assert failures(registry) == 2
        assert site.directory is None
    finally:
        await rebuilder.stop()
