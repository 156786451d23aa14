"""Starting, pinning and stopping the processes under test, and reading their CPU time from /proc.

Every process is started in its own session and stopped by its PID (process group: SIGTERM,
then SIGKILL after a bounded wait). CPU time is utime+stime summed over a process tree, read
from `/proc/<pid>/stat` (proc(5), fields 14 and 15) in clock ticks.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TICK_SECONDS = 1.0 / os.sysconf("SC_CLK_TCK")


@dataclass
class Started:
    """A process the harness started; `stop()` ends it and its group."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    extra_pids: list[int] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        stop_process(self.process)


def start(
    name: str,
    argv: Sequence[str],
    log_dir: Path,
    *,
    cpus: Sequence[int] | None = None,
    env: Mapping[str, str] | None = None,
) -> Started:
    """Start `argv` (pinned to `cpus` with taskset when given), logging to `log_dir/name.log`."""
    command = list(argv)
    if cpus:
        command = ["taskset", "-c", ",".join(map(str, cpus)), *command]
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=log_dir,
            start_new_session=True,
        )
    return Started(name, process, log_path)


def stop_process(process: subprocess.Popen[bytes], grace_seconds: float = 10) -> None:
    """SIGTERM the process group by PID, then SIGKILL after a bounded wait."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace_seconds)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def wait_ready(started: Started, url: str, deadline_seconds: float = 30) -> None:
    """Poll `url` until it answers any HTTP status; raise with the log tail if it never does."""
    end = time.monotonic() + deadline_seconds
    while time.monotonic() < end:
        if started.process.poll() is not None:
            raise RuntimeError(
                f"{started.name} exited with {started.process.returncode}:\n{started.log_tail()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - loopback only
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(
        f"{started.name} did not answer {url} in {deadline_seconds} s:\n{started.log_tail()}"
    )


def children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(x) for x in f.read().split()]
    except (FileNotFoundError, ProcessLookupError):
        pass
    return out


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants alive now."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack += children(current)
    return found


def _ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of proc(5))


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds consumed so far by `pid` and its live descendants."""
    return sum(_ticks(p) for p in tree(pid)) * TICK_SECONDS


def pin(pid: int, cpus: Sequence[int]) -> None:
    """Move a running process tree (every thread) onto `cpus`."""
    for member in tree(pid):
        try:
            for task in os.listdir(f"/proc/{member}/task"):
                os.sched_setaffinity(int(task), set(cpus))
        except (FileNotFoundError, ProcessLookupError):
            continue


def cpu_times() -> list[tuple[int, int]]:
    """(busy, total) jiffies per CPU from /proc/stat."""
    rows = []
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith("cpu") and line[3].isdigit():
                values = [int(v) for v in line.split()[1:]]
                idle = values[3] + values[4]  # idle + iowait
                rows.append((sum(values) - idle, sum(values)))
    return rows


def busy_percent(before: list[tuple[int, int]], after: list[tuple[int, int]]) -> list[float]:
    """Per-CPU busy % between two `cpu_times()` snapshots."""
    out = []
    for (b0, t0), (b1, t1) in zip(before, after, strict=True):
        out.append(round(100.0 * (b1 - b0) / (t1 - t0), 1) if t1 > t0 else 0.0)
    return out


def rss_kib(pid: int) -> int:
    """Resident memory (VmRSS, KiB) of `pid` and its live descendants; 0 once gone."""
    total = 0
    for member in tree(pid):
        try:
            with open(f"/proc/{member}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def free_port_block(count: int, attempts: int = 50) -> int:
    """A base port such that `count` consecutive ports from it are free right now."""
    for _ in range(attempts):
        base = random.randrange(20000, 60000)
        sockets: list[socket.socket] = []
        try:
            for offset in range(count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no block of {count} free ports found")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
