"""Fixtures shared by the whole suite: databases on SQLite and PostgreSQL, Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services import postgres_schema, redis_url_or_skip


def pytest_configure(config: pytest.Config) -> None:
    """Gateways started by tests (in-process or `tsunagu serve`) do not build the developer
    portal unless a test asks for it: a build costs seconds of CPU, and only tests/portal and
    the browser tests look at it. Child processes inherit this."""
    os.environ.setdefault("TSUNAGU_PORTAL_AUTOBUILD", "false")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty registry database: SQLite in tmp_path, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tsunagu.db'}"
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tsunagu.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    return redis_url_or_skip()
