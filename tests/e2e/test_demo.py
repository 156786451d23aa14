"""`tsunagu demo` as a newcomer runs it: the printed curl commands must work as printed."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.harness import TSUNAGU, stop, wait_http
from tests.services import free_port_block


def _wait_for_output(log: Path, marker: str, process: subprocess.Popen[bytes]) -> str:
    import time

    end = time.monotonic() + 60
    while time.monotonic() < end:
        text = log.read_text(errors="replace")
        if marker in text:
            return text
        if process.poll() is not None:
            raise AssertionError(f"tsunagu demo exited early:\n{text}")
        time.sleep(0.2)
    raise AssertionError("tsunagu demo printed no instructions")


@pytest.mark.slow
def test_demo_prints_curl_commands_that_work(tmp_path: Path) -> None:
    port = free_port_block(4)  # the demo listens on port and its upstreams on the next three
    log = tmp_path / "demo.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TSUNAGU_")}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [TSUNAGU, "demo", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        text = _wait_for_output(log, "grep tsunagu_requests_total", process)
        wait_http(f"http://127.0.0.1:{port}/healthz")
        credentials = json.loads((tmp_path / "var" / "demo-credentials.json").read_text())
        assert set(credentials) >= {"operator", "developer_app"}
        assert set(credentials["developer_app"]) >= {"client_id", "client_secret", "scopes"}
        commands = [line for line in text.splitlines() if re.match(r"^(curl|[A-Z]+=\$\()", line)]
        assert len(commands) >= 10
        script = "set -euo pipefail\n" + "\n".join(
            line if not line.startswith("curl") else _checked(line) for line in commands
        )
        result = subprocess.run(
            ["/bin/bash", "-c", script], capture_output=True, text=True, timeout=60, check=False
        )
        output = result.stdout + result.stderr  # bodies are teed to stderr
        assert result.returncode == 0, output
        assert "国税庁" in output
        assert "JGD2011" in output
        assert "deprecation: @" in output.lower()
        assert 'tsunagu_requests_total{kind="api"' in output
    finally:
        stop(process)


def _checked(line: str) -> str:
    """Make a printed curl fail the script on an unexpected status (404 when it asks for one)."""
    expected = "404" if "code=404" in line else "200"
    command = line.split("   #", maxsplit=1)[0]
    if "| grep" in command:
        return command
    return f'[ "$({command} -w "\\n%{{http_code}}" | tee /dev/stderr | tail -n1)" = {expected} ]'
