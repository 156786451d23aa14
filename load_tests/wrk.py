"""Running wrk (closed loop or fixed rate) and reading the one-line summary its script prints.

The Lua script (`templates/bench.lua`) writes `BENCH {json}` from `done()`: request count,
duration, latency percentiles in µs, error counts and, when asked, responses by status. The
harness never parses wrk's human-readable text.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from load_tests.configs import lua_script

MARK = "BENCH "


@dataclass(frozen=True)
class Load:
    """One wrk invocation: connections, duration, and the optional script modes."""

    connections: int
    seconds: int
    mean_delay_ms: int = 0  # > 0: fixed-rate mode (PERFORMANCE-PROBE.md §6)
    count_status: bool = False
    max_requests: int = 0  # > 0: stop after that many responses (tiny smoke runs)
    method: str = "GET"
    body_file: str = ""  # every request's body (POST runs)


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int
    status: dict[str, int] | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": self.p50_ms,
            "p90_ms": self.p90_ms,
            "p99_ms": self.p99_ms,
            "non2xx": self.non2xx,
            "socket_errors": self.socket_errors,
            "status": self.status,
        }


def command(url: str, load: Load, headers: Sequence[str], cpus: Sequence[int] | None) -> list[str]:
    argv = ["wrk", "-t1", f"-c{load.connections}", f"-d{load.seconds}s", "--timeout", "5s"]
    for header in headers:
        argv += ["-H", header]
    argv += ["-s", str(lua_script()), url]
    if cpus:
        argv = ["taskset", "-c", ",".join(map(str, cpus)), *argv]
    return argv


def run(
    url: str, load: Load, headers: Sequence[str] = (), cpus: Sequence[int] | None = None
) -> WrkResult:
    """Run wrk to completion (bounded by its duration plus a margin) and parse its summary."""
    env = {
        **os.environ,
        "WRK_MEAN_DELAY_MS": str(load.mean_delay_ms),
        "WRK_COUNT_STATUS": "1" if load.count_status else "0",
        "WRK_MAX_REQUESTS": str(load.max_requests),
        "WRK_METHOD": load.method,
        "WRK_BODY_FILE": load.body_file,
    }
    done = subprocess.run(
        command(url, load, headers, cpus),
        capture_output=True,
        text=True,
        env=env,
        timeout=load.seconds + 30,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return parse(json.loads(line[len(MARK) :]))
    raise RuntimeError(f"wrk printed no summary (exit {done.returncode}): {done.stderr.strip()}")


def parse(raw: dict[str, Any]) -> WrkResult:
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return WrkResult(
        requests=raw["requests"],
        seconds=seconds,
        rps=raw["requests"] / seconds if seconds > 0 else 0.0,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        non2xx=raw["non2xx"],
        socket_errors=errors,
        status=raw["status"],
    )
