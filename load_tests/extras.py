"""Measurements beyond the goal table, in layout A after it (issue 13), reported as rows.

Two fresh gateways on the system-under-test CPU over the same registry: one with in-memory
limits, one with the real local Redis (TSUNAGU_BENCH_REDIS_URL, default db 0 on 127.0.0.1; its
rows are skipped when Redis does not answer). In interleaved rounds, closed loop with CPU
accounting: forwarded (memory), forwarded (Redis), a sandbox answer from the examples, a 16 KB
response, a POST with a 4 KB JSON body, and a portal static file. Then, once each:

* loop-lag probe: /healthz at c=1 while the forwarded path carries ≈1,000 rps, on each
  gateway; a Redis call that blocked the event loop would show in the probe's latency;
* /metrics scraped every second during a closed-loop forwarded run: scrape latency and size,
  and idle scrapes before and after all the traffic (their cost must not grow with it);
* forwarded p99 at ≈1,000 rps alone and while another client floods malformed tokens (401).
"""

from __future__ import annotations

import os
import statistics
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from load_tests import gateway, procs, targets, wrk
from load_tests.measure import (
    FIXED_RATE_CONNECTIONS,
    FIXED_RATE_MEAN_DELAY_MS,
    Plan,
    Target,
    closed_loop,
    summary,
)

REDIS_URL = os.environ.get("TSUNAGU_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
BIG_ID = "F-016KB"
BIG_BYTES = 16 * 1024
POST_BYTES = 4 * 1024
SANDBOX_PATH = "/sandbox/bench/v1/facilities/13101-library-0001"
PORTAL_FILE = "/portal/stylesheets/swagger-tsunagu.css"
PORTAL_WAIT_SECONDS = 180
Cpus = Sequence[int] | None
Say = Callable[[str], None]


def write_big(www: Path) -> None:
    """A 16 KB JSON document the upstream serves for /facilities/F-016KB."""
    folder = www / "facilities"
    folder.mkdir(mode=0o755, exist_ok=True)
    filler = "x" * (BIG_BYTES - 64)
    (folder / BIG_ID).write_text(f'{{"id":"{BIG_ID}","filler":"{filler}"}}', encoding="utf-8")
    (folder / BIG_ID).chmod(0o644)


def write_post_body(run_dir: Path) -> Path:
    path = run_dir / "post-body.json"
    path.write_text('{"note":"' + "r" * (POST_BYTES - 11) + '"}', encoding="utf-8")
    return path


@dataclass
class Extras:
    plan: Plan
    run_dir: Path
    say: Say
    sut: Cpus
    load: Cpus
    upstream: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def run(self) -> None:
        both, sandbox_app = gateway.seed_extras(self.run_dir, self.upstream)
        with ExitStack() as stack:
            mem_base, mem_pid = self._gateway(
                stack, "X-memory", {"TSUNAGU_PORTAL_AUTOBUILD": "true"}
            )
            redis_base, redis_pid = None, 0
            if redis_answers():
                redis_env = {
                    "TSUNAGU_REDIS_URL": REDIS_URL,
                    "TSUNAGU_VAR_DIR": str(self.run_dir / "var-redis"),
                    "TSUNAGU_PORTAL_AUTOBUILD": "false",
                }
                redis_base, redis_pid = self._gateway(stack, "X-redis", redis_env)
            else:
                self.say(f"Redis at {REDIS_URL} does not answer: skipping the Redis rows")
            token = gateway.fetch_token(
                mem_base, both, f"{gateway.OPEN} {gateway.POST} {gateway.POST}:write"
            )
            sandbox_token = gateway.fetch_token(mem_base, sandbox_app, gateway.OPEN)
            found = self._targets(mem_base, mem_pid, token, sandbox_token)
            if redis_base:
                redis_token = gateway.fetch_token(redis_base, both, gateway.OPEN)
                found.insert(1, _forwarded("X/forwarded-redis", redis_base, redis_pid, redis_token))
            write_post_body(self.run_dir)
            found = [t for t in found if self._answers(t)]
            scrapes_before = idle_scrapes(mem_base)  # every path's series exist from here
            self._rounds(found)
            self._lag(mem_base, mem_pid, token, redis_base, redis_pid)
            self._scraped(found[0], mem_base)
            self._flood(found[0])
            self._scrape_growth(scrapes_before, idle_scrapes(mem_base))
            self._rows_from_rounds()

    def _gateway(self, stack: ExitStack, name: str, env: dict[str, str]) -> tuple[str, int]:
        port = procs.free_port()
        started = gateway.serve(self.run_dir, port, 1, self.sut, name, env=env)
        stack.callback(started.stop)
        return f"http://127.0.0.1:{port}", started.pid

    def _targets(self, base: str, pid: int, token: str, sandbox_token: str) -> list[Target]:
        bearer = f"Authorization: Bearer {token}"
        found = [
            _forwarded("X/forwarded-memory", base, pid, token),
            Target("X/sandbox", base + SANDBOX_PATH, pid,
                   (f"Authorization: Bearer {sandbox_token}",)),
            Target("X/16KB", base + targets.GATEWAY_PATH.format(slug="bench").replace(
                "F-000123", BIG_ID), pid, (bearer,)),
            Target("X/POST-4KB", base + f"/api/{gateway.POST}/v1/facilities/F-000123/reports",
                   pid, (bearer, "Content-Type: application/json")),
        ]  # fmt: skip
        if wait_for_portal(base):
            found.append(Target("X/portal-static", base + PORTAL_FILE, pid))
        else:
            self.problems.append("the portal was not built in time; no portal row")
        return found

    def _answers(self, target: Target) -> bool:
        post = target.name == "X/POST-4KB"
        status = _status(target, self.run_dir if post else None)
        if status == 200:
            return True
        self.problems.append(f"{target.name}: expected 200, got {status}")
        self.say(f"FAILED {target.name}: expected 200, got {status}")
        return False

    def _load(self, target: Target, connections: int, seconds: int, **extra: Any) -> wrk.Load:
        if target.name == "X/POST-4KB":
            extra = {**extra, "method": "POST", "body_file": str(self.run_dir / "post-body.json")}
        return self.plan.load(connections, seconds, **extra)

    def _rounds(self, found: list[Target]) -> None:
        for number in range(self.plan.rounds):
            for target in found:
                if number == 0 and self.plan.warmup_seconds:
                    wrk.run(target.url, self._load(target, self.plan.connections,
                            self.plan.warmup_seconds), target.headers)  # fmt: skip
                load = self._load(target, self.plan.connections, self.plan.seconds)
                target.runs.append({"closed": closed_loop(target, load, self.load)})
                closed = target.runs[-1]["closed"]
                self.say(f"  {target.name:<21} round {number + 1}: {closed['rps']:>9,.0f} rps, "
                         f"{closed['cpu_us_per_request'] or 0:>7.1f} CPU µs/req")  # fmt: skip
            self.problems += [p for t in found for p in t.problems]
            for t in found:
                t.problems.clear()
        self.runs = {t.name: t.runs for t in found}

    def _rate(self) -> wrk.Load:
        """≈1,000 rps: the fixed-rate load of layout A."""
        return self.plan.load(
            FIXED_RATE_CONNECTIONS, self.plan.rate_seconds, mean_delay_ms=FIXED_RATE_MEAN_DELAY_MS
        )

    def _lag(self, mem: str, mem_pid: int, token: str, redis: str | None, redis_pid: int) -> None:
        sides = [("memory", mem, mem_pid)] + ([("Redis", redis, redis_pid)] if redis else [])
        probes: dict[str, dict[str, Any]] = {}
        for name, base, pid in sides:
            forwarded = _forwarded("lag", base, pid, token)
            rate, probe = self._beside(forwarded, base + "/healthz")
            probes[name] = probe.as_dict()
            self.rows.append(_row(
                f"loop-lag probe ({name} limiter): /healthz p50 / p99 at c=1 beside ≈1k rps",
                f"{probe.p50_ms:.2f} / {probe.p99_ms:.2f}", "ms",
                f"forwarded {rate.rps:,.0f} rps, p99 {rate.p99_ms:.2f} ms",
                "a blocking Redis call would lift the probe's latency",
            ))  # fmt: skip
        self.runs["lag"] = [probes]

    def _beside(self, forwarded: Target, probe_url: str) -> tuple[wrk.WrkResult, wrk.WrkResult]:
        """≈1k rps on `forwarded` and, at the same time, one connection on `probe_url`."""
        probe_load = self.plan.load(1, self.plan.rate_seconds)
        result: tuple[wrk.WrkResult, wrk.WrkResult] = both_at_once(
            lambda: wrk.run(forwarded.url, self._rate(), forwarded.headers, self.load),
            lambda: wrk.run(probe_url, probe_load, (), self.load),
        )
        return result

    def _scraped(self, forwarded: Target, base: str) -> None:
        """A closed-loop forwarded run while /metrics is scraped every second."""
        scrapes: list[tuple[float, int]] = []
        load = self._load(forwarded, self.plan.connections, self.plan.seconds)
        end = time.monotonic() + self.plan.seconds

        def scraper() -> None:
            while time.monotonic() < end:
                scrapes.append(scrape(base))
                time.sleep(1.0)

        row, _ = both_at_once(lambda: closed_loop(forwarded, load, self.load), scraper)
        plain = summary(forwarded.runs)["closed"].get("cpu_us_per_request")
        ms = [s[0] for s in scrapes]
        self.rows.append(_row(
            "/metrics scraped every second under closed-loop load: scrape p50 / max",
            f"{statistics.median(ms):.1f} / {max(ms):.1f}", "ms",
            f"{len(scrapes)} scrapes of {scrapes[-1][1]:,} bytes; forwarded CPU "
            f"{row['cpu_us_per_request']} µs/req with scrapes, {plain} without",
            "the cost of a scrape, paid by the same process as the traffic",
        ))  # fmt: skip
        self.runs["scraped"] = [{"closed": row, "scrapes": scrapes}]

    def _scrape_growth(self, before: tuple[float, int], after: tuple[float, int]) -> None:
        self.rows.append(_row(
            "/metrics idle scrape after one request per path → after all the traffic",
            f"{before[0]:.1f} → {after[0]:.1f} ms, {before[1]:,} → {after[1]:,}", "bytes",
            "time, size; the same process",
            "series appear with new label values (bounded), never with volume",
        ))  # fmt: skip

    def _flood(self, forwarded: Target) -> None:
        """Forwarded at ≈1k rps alone, then beside a closed-loop flood of malformed tokens."""
        alone = wrk.run(forwarded.url, self._rate(), forwarded.headers, self.load)
        flood_load = self.plan.load(
            self.plan.connections, self.plan.rate_seconds, count_status=True
        )
        rate, flood = both_at_once(
            lambda: wrk.run(forwarded.url, self._rate(), forwarded.headers, self.load),
            lambda: wrk.run(forwarded.url, flood_load, (targets.MALFORMED,), self.load),
        )  # fmt: skip
        self.rows.append(_row(
            "forwarded p99 at ≈1k rps: alone → beside a 401 flood",
            f"{alone.p99_ms:.2f} → {rate.p99_ms:.2f}", "ms",
            f"p50 {alone.p50_ms:.2f} → {rate.p50_ms:.2f} ms; flood {flood.rps:,.0f} rps of 401",
            "a flood of refusals must not starve forwarded traffic",
        ))  # fmt: skip
        if rate.non2xx or rate.socket_errors:
            self.problems.append(f"forwarded beside the flood: {rate.non2xx} non-2xx, "
                                 f"{rate.socket_errors} socket errors")  # fmt: skip
        self.runs["flood"] = [{"alone": alone.as_dict(), "forwarded": rate.as_dict(),
                               "flood": flood.as_dict()}]  # fmt: skip

    def _rows_from_rounds(self) -> None:
        cpu = {name: summary(runs)["closed"].get("cpu_us_per_request")
               for name, runs in self.runs.items() if name.startswith("X/")}  # fmt: skip
        rps = {name: summary(runs)["closed"].get("rps")
               for name, runs in self.runs.items() if name.startswith("X/")}  # fmt: skip
        forwarded = cpu.get("X/forwarded-memory")
        if forwarded and cpu.get("X/forwarded-redis"):
            self.rows.insert(0, _row(
                "Redis limiter: extra CPU per forwarded request over in-memory",
                round(cpu["X/forwarded-redis"] - forwarded, 1), "µs",
                f"{cpu['X/forwarded-redis']} vs {forwarded} µs/req (goal: extra ≤ 60)",
                "the gateway process only; Redis's own CPU is not counted",
            ))  # fmt: skip
        for name, meaning in (
            ("X/sandbox", "a sandbox answer from the examples (goal: ≤ forwarded)"),
            ("X/16KB", "a 16 KB response through the gateway"),
            ("X/POST-4KB", "a POST with a 4 KB JSON body"),
            ("X/portal-static", "a portal static file (the stylesheet)"),
        ):
            if cpu.get(name) is not None:
                self.rows.append(_row(
                    f"{name[2:]}: CPU µs/req (rps)", f"{cpu[name]} ({rps[name]:,.0f})", "",
                    f"forwarded {forwarded} µs/req ({rps.get('X/forwarded-memory') or 0:,.0f} rps)",
                    meaning,
                ))  # fmt: skip


def _forwarded(name: str, base: str, pid: int, token: str) -> Target:
    url = base + targets.GATEWAY_PATH.format(slug=gateway.OPEN)
    return Target(name, url, pid, (f"Authorization: Bearer {token}",))


def _row(name: str, value: Any, unit: str, reference: str, meaning: str) -> dict[str, Any]:
    return {"name": name, "value": value, "unit": unit, "reference": reference, "meaning": meaning}


def _status(target: Target, post_dir: Path | None) -> int:
    """The status of one request (a POST with the body file when `post_dir` is given)."""
    fields = dict(h.split(": ", 1) for h in target.headers)
    data = (post_dir / "post-body.json").read_bytes() if post_dir else None
    request = urllib.request.Request(target.url, data=data, headers=fields)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def both_at_once(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(first), pool.submit(second)
        return a.result(), b.result()


def scrape(base: str) -> tuple[float, int]:
    """(milliseconds, bytes) of one GET /metrics."""
    started = time.perf_counter()
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:  # noqa: S310
        size = len(response.read())
    return (time.perf_counter() - started) * 1000, size


def idle_scrapes(base: str, count: int = 5) -> tuple[float, int]:
    taken = [scrape(base) for _ in range(count)]
    return statistics.median(t[0] for t in taken), taken[-1][1]


def redis_answers() -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(REDIS_URL)
    return procs.port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379)


def wait_for_portal(base: str) -> bool:
    end = time.monotonic() + PORTAL_WAIT_SECONDS
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(base + PORTAL_FILE, timeout=5):  # noqa: S310
                return True
        except OSError:
            time.sleep(0.5)
    return False
