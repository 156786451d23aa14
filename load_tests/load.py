"""`python -m load_tests.load` (`make load`): the Locust scenarios against a fresh `tsunagu demo`.

Starts the demo in a temporary directory (its own SQLite registry, credentials and portal),
gives the APIs plans the scenarios expect through the admin API (large ones, and a small one on
postal v1 so bursts meet 429), waits for the portal, then runs Locust headless for a bounded
time and judges its statistics: the failure ratio and the p95 of all requests must stay under
the thresholds, else the exit status is 1. `--soak` runs 30 minutes and also judges the demo's
resident memory (flat: the last fifth of the run may not exceed the second fifth by more than
`--max-rss-growth`). Exit 2 when Locust is not installed (`pip install -e '.[load]'`).

Every process started here (the demo and Locust) runs in its own session and is stopped by PID.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from load_tests import procs

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SOAK_SECONDS = 30 * 60
DEMO_PORTS = 4  # the demo listens on its port and its three upstreams on the next three
BIG_PLAN = {"per_minute": 1_000_000, "per_day": 100_000_000, "sandbox_per_minute": 1_000_000}
BURST_PLAN = {**BIG_PLAN, "per_minute": 30}  # postal v1: the bursts' 429s
PLANNED = (("houjin", "v1"), ("houjin", "v2"), ("facilities", "v1"), ("postal", "v1"))
# Many developers share 127.0.0.1 here: the per-address guards must not stand in for them.
DEMO_ENV = {
    "TSUNAGU_IP_PER_MINUTE": "1000000",
    "TSUNAGU_TOKEN_PER_MINUTE": "1000000",
    "TSUNAGU_TOKEN_LIFETIME_SECONDS": "90",  # renewals happen within a few minutes
    "TSUNAGU_PORTAL_AUTOBUILD": "true",
}


@dataclass(frozen=True)
class Thresholds:
    max_failure_ratio: float
    max_p95_ms: float
    max_rss_growth: float | None  # judged in soak mode only


@dataclass
class Outcome:
    requests: int = 0
    failures: int = 0
    p95_ms: float = 0.0
    rps: float = 0.0
    rss_kib: list[int] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def failure_ratio(self) -> float:
        return self.failures / self.requests if self.requests else 1.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m load_tests.load", description=__doc__)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--users", type=int, default=20, help="simulated users")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    parser.add_argument("--soak", action="store_true", help="30 minutes, memory judged too")
    parser.add_argument("--max-failure-ratio", type=float, default=0.01)
    parser.add_argument("--max-p95-ms", type=float, default=1000)
    parser.add_argument("--max-rss-growth", type=float, default=0.10, help="soak: fraction")
    parser.add_argument("--output", type=Path, help="write the outcome as JSON here")
    args = parser.parse_args(argv)
    if args.soak:
        args.duration = max(args.duration, SOAK_SECONDS)
    if args.duration < 1 or args.users < 1 or args.spawn_rate <= 0:
        parser.error("--duration, --users and --spawn-rate must be positive")
    return args


def locust_command() -> list[str] | None:
    script = Path(sys.executable).with_name("locust")
    if script.exists():
        return [str(script)]
    found = shutil.which("locust")
    return [found] if found else None


def say(line: str) -> None:
    print(line, flush=True)


def start_demo(run_dir: Path) -> tuple[procs.Started, str]:
    from load_tests.gateway import tsunagu_command  # the registry import is slow; only here

    port = procs.free_port_block(DEMO_PORTS)
    env = {
        **DEMO_ENV,
        "TSUNAGU_VAR_DIR": str(run_dir / "var"),
        "TSUNAGU_DATABASE_URL": f"sqlite:///{run_dir / 'tsunagu.db'}",
    }
    argv = [*tsunagu_command(), "demo", "--host", "127.0.0.1", "--port", str(port)]
    demo = procs.start("demo", argv, run_dir, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        procs.wait_ready(demo, base + "/healthz", deadline_seconds=90)
        _wait_for_file(demo, run_dir / "var" / "demo-credentials.json")
    except RuntimeError:
        demo.stop()
        raise
    return demo, base


def _wait_for_file(demo: procs.Started, path: Path, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not path.exists():
        time.sleep(0.1)
    if not path.exists():
        raise RuntimeError(f"the demo wrote no {path.name}:\n{demo.log_tail()}")


def set_plans(base: str, credentials: dict[str, Any]) -> None:
    """Through the admin API, as an operator would: large plans, a small one on postal v1."""
    op = credentials["operator"]
    token = _token(base, op["client_id"], op["client_secret"])
    for slug, version in PLANNED:
        plan = BURST_PLAN if slug == "postal" else BIG_PLAN
        request = urllib.request.Request(  # noqa: S310 - loopback only
            f"{base}/admin/v1/apis/{slug}/{version}/plan",
            data=json.dumps(plan).encode(),
            method="PUT",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310
            pass


def _token(base: str, client_id: str, secret: str) -> str:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - loopback only
        base + "/oauth/token",
        data=urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
        headers={"Authorization": "Basic " + basic},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return str(json.loads(response.read())["access_token"])


def wait_for_portal(base: str, seconds: float = 180) -> bool:
    """The demo builds its portal in the background; page views need it built."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(base + "/portal/", timeout=5):  # noqa: S310
                return True
        except urllib.error.HTTPError:
            pass
        except OSError:
            pass
        time.sleep(0.5)
    return False


def run_locust(
    locust: list[str], base: str, run_dir: Path, args: argparse.Namespace, demo: procs.Started
) -> Outcome:
    """Locust headless for `args.duration` seconds, sampling the demo's memory meanwhile."""
    prefix = run_dir / "locust"
    argv = [
        *locust, "-f", str(LOCUSTFILE), "--host", base, "--headless", "--only-summary",
        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
        "--csv", str(prefix), "--exit-code-on-error", "0", "--stop-timeout", "2",
    ]  # fmt: skip
    env = {"TSUNAGU_DEMO_CREDENTIALS": str(run_dir / "var" / "demo-credentials.json")}
    started = procs.start("locust", argv, run_dir, env=env)
    outcome = Outcome()
    deadline = time.monotonic() + args.duration + 60
    try:
        while started.process.poll() is None and time.monotonic() < deadline:
            outcome.rss_kib.append(procs.rss_kib(demo.pid))
            time.sleep(min(5.0, max(0.5, args.duration / 60)))
    finally:
        if started.process.poll() is None:
            outcome.problems.append("Locust did not stop in time")
        started.stop()
    if started.process.returncode not in (0, None):
        outcome.problems.append(f"Locust exited {started.process.returncode}")
    _read_stats(Path(f"{prefix}_stats.csv"), outcome, started)
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(encoding="utf-8") as f:
            outcome.errors = list(csv.DictReader(f))
    return outcome


def _read_stats(path: Path, outcome: Outcome, started: procs.Started) -> None:
    if not path.exists():
        outcome.problems.append(f"Locust wrote no statistics:\n{started.log_tail()}")
        return
    with path.open(encoding="utf-8") as f:
        outcome.rows = list(csv.DictReader(f))
    total = next((r for r in outcome.rows if r["Name"] == "Aggregated"), None)
    if total is None:
        outcome.problems.append("Locust's statistics have no Aggregated row")
        return
    outcome.requests = int(total["Request Count"])
    outcome.failures = int(total["Failure Count"])
    outcome.rps = float(total["Requests/s"])
    outcome.p95_ms = float(total["95%"]) if total["95%"] not in ("N/A", "") else 0.0


def judge(outcome: Outcome, limits: Thresholds) -> list[str]:
    """Every threshold the run missed, and every problem met on the way."""
    missed = list(outcome.problems)
    if outcome.requests == 0:
        missed.append("no request was made")
    elif outcome.failure_ratio > limits.max_failure_ratio:
        missed.append(
            f"failure ratio {outcome.failure_ratio:.4f} > {limits.max_failure_ratio} "
            f"({outcome.failures} of {outcome.requests})"
        )
    if outcome.p95_ms > limits.max_p95_ms:
        missed.append(f"p95 {outcome.p95_ms:.0f} ms > {limits.max_p95_ms:.0f} ms")
    growth = rss_growth(outcome.rss_kib)
    if limits.max_rss_growth is not None and growth is not None and growth > limits.max_rss_growth:
        missed.append(f"resident memory grew {growth:.1%} > {limits.max_rss_growth:.0%}")
    return missed


def rss_growth(samples: list[int]) -> float | None:
    """Median RSS of the last fifth over that of the second fifth (after warm-up), minus 1."""
    fifth = len(samples) // 5
    if fifth < 1:
        return None
    early = statistics.median(samples[fifth : 2 * fifth])
    late = statistics.median(samples[-fifth:])
    return late / early - 1 if early else None


def summary_lines(outcome: Outcome) -> list[str]:
    lines = [
        "| request | count | failures | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for row in outcome.rows:
        lines.append(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
            f"| {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    for error in outcome.errors:
        lines.append(
            f"failure: {error['Method']} {error['Name']}: {error['Error']} "
            f"(×{error['Occurrences']})"
        )
    growth = rss_growth(outcome.rss_kib)
    memory = f", resident memory growth {growth:+.1%}" if growth is not None else ""
    lines.append(
        f"\n{outcome.requests} requests at {outcome.rps:.1f}/s, failure ratio "
        f"{outcome.failure_ratio:.4f}, p95 {outcome.p95_ms:.0f} ms{memory}"
    )
    return lines


def run(args: argparse.Namespace) -> int:
    locust = locust_command()
    if locust is None:
        say("error: Locust is not installed (pip install -e '.[load]')")
        return 2
    limits = Thresholds(
        args.max_failure_ratio, args.max_p95_ms, args.max_rss_growth if args.soak else None
    )
    run_dir = Path(tempfile.mkdtemp(prefix="tsunagu-load-"))
    try:
        demo, base = start_demo(run_dir)
        try:
            credentials = json.loads((run_dir / "var" / "demo-credentials.json").read_text())
            set_plans(base, credentials)
            if not wait_for_portal(base):
                say("error: the demo's portal was not built in time")
                return 1
            say(f"Locust: {args.users} users for {args.duration} s against {base}")
            outcome = run_locust(locust, base, run_dir, args, demo)
        finally:
            demo.stop()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    say("\n".join(summary_lines(outcome)))
    missed = judge(outcome, limits)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        data = {"outcome": asdict(outcome), "thresholds": asdict(limits), "missed": missed}
        args.output.write_text(json.dumps(data, indent=2), encoding="utf-8")
    for line in missed:
        say(f"FAILED {line}")
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
