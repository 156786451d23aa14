"""`tsunagu serve` and `tsunagu demo` fail like every other command: one line, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import free_port, free_port_block

TSUNAGU = str(Path(sys.executable).with_name("tsunagu"))


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("TSUNAGU_NOTICE_DAYS", "abc", "Invalid setting TSUNAGU_NOTICE_DAYS"),
        (
            "TSUNAGU_DATABASE_URL",
            "postgresql+psycopg://postgres@127.0.0.1:{port}/x",
            "The registry database is unavailable",
        ),
    ],
)
@pytest.mark.parametrize("command", ["serve", "demo"])
def test_bad_configuration_is_one_line_and_exit_2(
    tmp_path: Path, command: str, variable: str, value: str, expected: str
) -> None:
    value = value.format(port=free_port())  # a closed port, chosen at run time on each worker
    env = {**os.environ, "TSUNAGU_VAR_DIR": str(tmp_path), variable: value, "LC_ALL": "en_US.UTF-8"}
    result = subprocess.run(
        [TSUNAGU, command, "--port", str(free_port_block(4))],  # the demo uses port+1..3 too
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
