"""`python -m load_tests.edge_memory`: how much memory a client can make the gateway hold.

The two exhaustion cases of the edge-hardening work (ADR 0014), against a real `tsunagu serve`
(one worker, SQLite in a temporary directory), by the server's resident memory from
`/proc/<pid>/status` (VmRSS now, VmHWM peak):

1. **big admin bodies**: `--bodies` concurrent unauthenticated `POST /admin/v1/apis`, each
   declaring and sending `--body-mb` MB (a client may stop early when the server answers);
2. **unfinished huge headers**: `--heads` connections each sending a request whose one header
   grows to `--header-mb` MB and never ends, all held open together.

It prints one line per case (baseline, peak and settled RSS in MB, and what the clients got) and
exits 0; it judges nothing (memory is a figure to compare before and after a change, not a
test). Every connection goes to 127.0.0.1, every socket has a timeout, the server is stopped by
PID.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from load_tests import gateway, procs

CHUNK = 256 * 1024
MB = 1024 * 1024


def rss_mb(pid: int, field: str) -> float:
    """A `VmRSS`/`VmHWM` figure of /proc/<pid>/status in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} missing for pid {pid}")


def _status_line(sock: socket.socket) -> str:
    try:
        data = sock.recv(4096)
    except OSError as exc:
        return type(exc).__name__
    return data.split(b"\r\n", 1)[0].decode("latin-1") or "closed"


def big_body(port: int, size: int) -> str:
    """One unauthenticated admin POST declaring and streaming `size` bytes; its status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = (
            f"POST /admin/v1/apis HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
        )
        sock.sendall(head.encode())
        chunk = b"a" * CHUNK
        sent = 0
        try:
            while sent < size:
                sock.sendall(chunk[: size - sent])
                sent += min(CHUNK, size - sent)
        except OSError:
            pass  # the server answered and closed before the whole body
        return _status_line(sock)


def unfinished_head(port: int, size: int, sent_all: threading.Semaphore) -> str:
    """A request whose one header grows to `size` bytes and never ends; held until `_HOLD`."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
        chunk = b"a" * CHUNK
        sent = 0
        try:
            while sent < size:
                sock.sendall(chunk)
                sent += CHUNK
        except OSError:
            return "closed by the server before the header was sent"
        finally:
            sent_all.release()
        _HOLD.wait(60)
        sock.settimeout(0.5)
        return _status_line(sock)


def run_case(
    name: str, pid: int, clients: int, work: Callable[[], str], measure_while: bool = False
) -> str:
    """Start `clients` threads running `work`; report RSS before, peak and settled."""
    before = rss_mb(pid, "VmRSS")
    peak_before = rss_mb(pid, "VmHWM")
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(work())) for _ in range(clients)]
    for thread in threads:
        thread.start()
    during = 0.0
    if measure_while:
        for _ in range(clients):  # every client has sent its head (or been refused)
            _SENT.acquire(timeout=120)
        time.sleep(1)
        during = rss_mb(pid, "VmRSS")
        _HOLD.set()
    for thread in threads:
        thread.join(120)
    time.sleep(2)
    after = rss_mb(pid, "VmRSS")
    peak = rss_mb(pid, "VmHWM")
    summary = sorted(set(results))
    line = (
        f"{name}: rss before {before:.0f} MB, "
        + (f"while held {during:.0f} MB, " if measure_while else "")
        + f"peak {peak:.0f} MB (peak before {peak_before:.0f} MB), after {after:.0f} MB; "
        f"clients got {summary}"
    )
    return line


_HOLD = threading.Event()
_SENT = threading.Semaphore(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m load_tests.edge_memory", description=__doc__)
    parser.add_argument("--bodies", type=int, default=4)
    parser.add_argument("--body-mb", type=int, default=200)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--header-mb", type=int, default=40)
    args = parser.parse_args(argv)
    cases: list[tuple[str, int, Callable[[int], str], bool]] = [
        (
            f"{args.bodies} x {args.body_mb} MB admin bodies",
            args.bodies,
            lambda port: big_body(port, args.body_mb * MB),
            False,
        ),
        (
            f"{args.heads} x {args.header_mb} MB unfinished headers",
            args.heads,
            lambda port: unfinished_head(port, args.header_mb * MB, _SENT),
            True,
        ),
    ]
    for name, clients, work, measure_while in cases:  # a fresh server per case
        with tempfile.TemporaryDirectory(prefix="tsunagu-edge-") as tmp:
            port = procs.free_port()
            server = gateway.serve(Path(tmp), port, 1, None, "gateway")
            try:
                line = run_case(name, server.pid, clients, partial(work, port), measure_while)
                print(line, flush=True)
            finally:
                server.stop()


if __name__ == "__main__":
    main()
