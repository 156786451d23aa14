"""Starting the upstream and the targets of each layout, and checking each answers correctly.

Layout A pins the system under test to one CPU and wrk plus the upstream to the other; layout
B pins nothing and gives nginx and the gateway two workers each (PERFORMANCE-PROBE.md §4.1).
Before a target is measured, `probe()` sends one request and compares the answer with what it
must be: the upstream's exact bytes, or the status of a reject path.
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from load_tests import configs, procs
from load_tests.measure import Target

GATEWAY_PATH = "/api/{slug}/v1/facilities/F-000123"
PLAIN_PATH = "/facilities/F-000123"
MALFORMED = "Authorization: Bearer not-a-jwt"


def missing_tools(names: Sequence[str]) -> list[str]:
    return [name for name in names if shutil.which(name) is None]


def nginx(
    stack: ExitStack,
    run_dir: Path,
    name: str,
    template: str,
    cpus: Sequence[int] | None,
    **v: object,
) -> procs.Started:
    """An nginx master in the foreground, stopped by PID when `stack` closes."""
    conf = configs.write_config(run_dir, f"{name}.conf", template, **v)
    argv = ["nginx", "-c", str(conf), "-p", str(run_dir), "-e", str(run_dir / f"{name}.err")]
    started = procs.start(name, [*argv, "-g", "daemon off;"], run_dir, cpus=cpus)
    stack.callback(started.stop)
    procs.wait_ready(started, f"http://127.0.0.1:{v['port']}/")
    return started


def haproxy(
    stack: ExitStack, run_dir: Path, cpus: Sequence[int] | None, pem: bytes, **v: object
) -> procs.Started:
    """One HAProxy process with the plain and the full (JWT + stick table) frontends."""
    pem_path = run_dir / "gateway-es256.pem"
    pem_path.write_bytes(pem)
    conf = configs.write_config(run_dir, "haproxy.cfg", "haproxy.cfg", public_pem=pem_path, **v)
    started = procs.start("haproxy", ["haproxy", "-db", "-f", str(conf)], run_dir, cpus=cpus)
    stack.callback(started.stop)
    procs.wait_ready(started, f"http://127.0.0.1:{v['plain_port']}/")
    return started


def gateway_targets(
    layout: str, base_url: str, pid: int, token: str, *, rejects: bool
) -> list[Target]:
    """The forwarded path, and with `rejects` the 401 (malformed token) and 429 paths."""
    bearer = (f"Authorization: Bearer {token}",)
    found = [Target(f"{layout}/gateway", base_url + GATEWAY_PATH.format(slug="bench"), pid, bearer)]
    if rejects:
        found.append(
            Target(f"{layout}/gateway-401", found[0].url, pid, (MALFORMED,), expect="401"),
        )
        limited = base_url + GATEWAY_PATH.format(slug="benchlimit")
        found.append(Target(f"{layout}/gateway-429", limited, pid, bearer, expect="429"))
    return found


def probe(target: Target, body: bytes) -> str | None:
    """None when one request answers correctly (twice for 429: the first may pass), else why."""
    attempts = 2 if target.expect == "429" else 1
    status, got = 0, b""
    for _ in range(attempts):
        status, got = _get(target.url, target.headers)
    if str(status) != target.expect:
        return f"{target.name}: expected {target.expect}, got {status}: {got[:200]!r}"
    if target.expect == "200" and got != body:
        return f"{target.name}: the body differs from the upstream's: {got[:200]!r}"
    return None


def _get(url: str, headers: Sequence[str]) -> tuple[int, bytes]:
    fields = dict(h.split(": ", 1) for h in headers)
    request = urllib.request.Request(url, headers=fields)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError as exc:
        return 0, str(exc).encode()
