"""`tsunagu --help` starts light: the heavy libraries load only when a command needs them.

Checked by what is imported, not by a stopwatch: `--help` runs the real entry point in a fresh
interpreter, which then reports the top-level packages it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each of these costs from tens of milliseconds to over a second to import. (Not pydantic:
# typer itself imports it for a group's help.)
HEAVY = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "aiohttp",
    "uvicorn",
    "jsonschema",
    "openapi_spec_validator",
    "yaml",
    "inflect",
    "mkdocs",
    "authlib",
)

_PROBE = """
import json, sys
sys.argv = ["tsunagu", *sys.argv[1:]]
from gateway.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def loaded_after(*args: str, env: dict[str, str] | None = None) -> tuple[str, set[str]]:
    """The output of `tsunagu ARGS` and the top-level packages the process had imported."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return result.stdout, set(json.loads(result.stderr.splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("api", "--help"), ("serve", "--help")])
def test_help_imports_no_heavy_library(args: tuple[str, ...]) -> None:
    output, loaded = loaded_after(*args)
    assert "Usage" in output
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_probe_sees_a_command_that_loads_the_store(tmp_path: Path) -> None:
    """The check above can fail: a command that uses the store does load SQLAlchemy."""
    database = f"sqlite:///{tmp_path / 'tsunagu.db'}"
    output, loaded = loaded_after(
        "api", "list", "--format", "json", env={"TSUNAGU_DATABASE_URL": database}
    )
    assert json.loads(output) == []
    assert "sqlalchemy" in loaded
