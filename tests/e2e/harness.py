"""Starting and stopping real `tsunagu` processes on loopback for end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.services import free_port

TSUNAGU = str(Path(sys.executable).with_name("tsunagu"))


def cli(
    env: Mapping[str, str], *args: str, check: bool = True, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the real console script; with check, fail loudly on a non-zero exit."""
    result = subprocess.run(
        [TSUNAGU, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"tsunagu {' '.join(args)} exited {result.returncode}: {result.stderr}"
        )
    return result


def cli_json(env: Mapping[str, str], *args: str) -> object:
    return json.loads(cli(env, *args, "--format", "json").stdout)


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_http(url: str, deadline_seconds: float = 30) -> None:
    """Poll `url` until it answers (any HTTP status), at most `deadline_seconds`."""
    end = time.monotonic() + deadline_seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - loopback only
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {deadline_seconds} s")


@contextmanager
def serve(
    env: Mapping[str, str], tmp: Path, *extra: str, ready_seconds: float = 30
) -> Iterator[Server]:
    """A real `tsunagu serve` on a free loopback port, stopped by PID afterwards; it must
    answer within `ready_seconds` (several workers each import the application)."""
    port = free_port()
    log_path = tmp / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [TSUNAGU, "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        try:
            wait_http(server.base_url + "/healthz", ready_seconds)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- server log ---\n{server.log()}") from exc
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group by PID, then SIGKILL after a bounded wait."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
