"""What the fault-injection suite shares: a registry seeded through the real CLI with one
published API (`echo`) in front of a real upstream, and a way to print measured figures.

Each test starts its own `tsunagu serve` and its own fault (a private redis-server, a relay in
front of PostgreSQL), stops them by PID, and keeps every fault under 30 s. Figures printed with
`-s` are the ones docs/operators.md quotes ("When something is down").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import App, create_app, seed_echo
from tests.e2e.upstream import echo_app, upstream_server


@dataclass(frozen=True)
class Seeded:
    env: dict[str, str]
    tmp: Path
    app: App


@pytest.fixture
def upstream() -> Iterator[str]:
    with upstream_server(echo_app) as url:
        yield url


def seed(env: dict[str, str], tmp: Path, upstream: str) -> Seeded:
    """Provider, the `echo` API published, and an app allowed to call it."""
    env = {
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
        **env,
    }
    seed_echo(env, tmp, upstream)
    return Seeded(env, tmp, create_app(env, "echo"))


def figure(name: str, seconds: float) -> None:
    """One measured figure, for the operator guide (visible with `pytest -s`)."""
    print(f"\n[figure] {name}: {seconds:.2f} s")


def until(condition: Callable[[], bool], seconds: float, what: str) -> float:
    """Poll `condition` every 0.1 s for at most `seconds`; the time it took (fails on expiry)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.1)
    return time.monotonic() - started
