"""`tsunagu demo` on a port something else holds: one line, exit 2, and no claim that it runs."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

from tests.e2e.harness import TSUNAGU


def test_a_busy_port_fails_before_the_demo_says_it_is_running(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TSUNAGU_")}
    env["LANG"] = "en_US.UTF-8"
    with socket.create_server(("127.0.0.1", 0)) as holder:
        port = holder.getsockname()[1]
        result = subprocess.run(
            [TSUNAGU, "demo", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: Cannot listen on 127.0.0.1:{port}")
    assert "--port" in result.stderr and "(address-in-use)" in result.stderr
    assert "running" not in result.stdout and "curl" not in result.stdout
