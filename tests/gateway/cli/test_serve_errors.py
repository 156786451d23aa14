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


@pytest.mark.parametrize("command", [["serve"], ["demo"], ["api", "list"]])
def test_an_unknown_variable_is_named_in_one_line_and_exit_2(
    tmp_path: Path, command: list[str]
) -> None:
    env = {
        **os.environ,
        "TSUNAGU_VAR_DIR": str(tmp_path),
        "TSUNAGU_CONECT_TIMEOUT_SECONDS": "1",
        "LC_ALL": "en_US.UTF-8",
    }
    port = ["--port", str(free_port_block(4))] if command[0] != "api" else []
    result = subprocess.run(
        [TSUNAGU, *command, *port],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "error: There is no setting TSUNAGU_CONECT_TIMEOUT_SECONDS"
        " (did you mean TSUNAGU_CONNECT_TIMEOUT_SECONDS?) (unknown-setting)\n"
    )


def test_an_unknown_toml_key_is_named_in_japanese_by_default(tmp_path: Path) -> None:
    (tmp_path / "tsunagu.toml").write_text("[proxy]\nread_timeout_second = 3\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    result = subprocess.run(
        [TSUNAGU, "serve", "--port", str(free_port())],
        env={**env, "TSUNAGU_VAR_DIR": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "エラー: tsunagu.toml: [proxy] read_timeout_second という設定はありません"
        "（read_timeout_seconds ではありませんか）（unknown-setting）\n"
    )


def test_a_busy_metrics_address_is_one_line_and_exit_2(tmp_path: Path) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as holder:
        address = f"127.0.0.1:{holder.getsockname()[1]}"
        env = {
            **os.environ,
            "TSUNAGU_VAR_DIR": str(tmp_path),
            "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 'tsunagu.db'}",
            "TSUNAGU_METRICS_ADDRESS": address,
            "LC_ALL": "en_US.UTF-8",
        }
        result = subprocess.run(
            [TSUNAGU, "serve", "--port", str(free_port())],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: Cannot listen on {address}")
    assert lines[0].endswith("choose another port with TSUNAGU_METRICS_ADDRESS. (address-in-use)")
