"""Fixtures for the CLI tests: documents on disk and an in-process runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gateway.cli import documents
from tests.gateway.cli.helpers import Cli


@pytest.fixture
def cli(sqlite_url: str) -> Cli:
    return Cli(sqlite_url)


@pytest.fixture
def docs(tmp_path: Path) -> dict[str, Path]:
    """Each test document written to a file, by name: good, bad, http_server, ..."""
    out = {}
    for name in ("GOOD", "BAD", "HTTP_SERVER", "NOT_OPENAPI", "BROKEN"):
        path = tmp_path / f"{name.lower()}.yaml"
        path.write_text(getattr(documents, name), encoding="utf-8")
        out[name.lower()] = path
    return out
