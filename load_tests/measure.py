"""Measuring one target: warm-up, closed loop at c=N with CPU accounting, c=1, fixed rate.

CPU µs per request is the system under test's CPU time (its process tree, from /proc) over the
closed-loop run divided by the requests wrk completed (PERFORMANCE-PROBE.md §4.1). Per-CPU busy
% is recorded so a generator-bound run can be told apart (§6).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from load_tests import procs, wrk

FIXED_RATE_CONNECTIONS = 10
FIXED_RATE_MEAN_DELAY_MS = 10  # 10 connections x 1000 / (10 ms + latency) ≈ 1,000 rps


@dataclass(frozen=True)
class Plan:
    """Durations (whole seconds, wrk's resolution) and load of every run."""

    connections: int = 32
    seconds: int = 6
    serial_seconds: int = 3
    rate_seconds: int = 6
    warmup_seconds: int = 2
    rounds: int = 3
    max_requests: int = 0  # > 0 only in --quick: a few hundred requests per run

    def load(self, connections: int, seconds: int, **extra: Any) -> wrk.Load:
        return wrk.Load(connections, seconds, max_requests=self.max_requests, **extra)


@dataclass
class Target:
    """Something wrk can load: a URL, its headers and the process tree whose CPU counts."""

    name: str
    url: str
    pid: int
    headers: tuple[str, ...] = ()
    expect: str = "200"  # "200", "401" or "429": what every measured response must be
    runs: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def closed_loop(target: Target, load: wrk.Load, load_cpus: Sequence[int] | None) -> dict[str, Any]:
    """One closed-loop run with SUT CPU time and per-CPU busy % around it."""
    cpu_before, busy_before = procs.cpu_seconds(target.pid), procs.cpu_times()
    result = wrk.run(target.url, load, target.headers, load_cpus)
    cpu_after, busy_after = procs.cpu_seconds(target.pid), procs.cpu_times()
    row = result.as_dict()
    used = cpu_after - cpu_before
    row["cpu_us_per_request"] = round(1e6 * used / result.requests, 1) if result.requests else None
    row["cpu_busy_percent"] = procs.busy_percent(busy_before, busy_after)
    _check(target, load, result)
    return row


def measure_round(
    target: Target, plan: Plan, load_cpus: Sequence[int] | None, *, full: bool, warmup: bool
) -> None:
    """Append one round (closed loop; with `full` also c=1 and fixed rate) to `target.runs`."""
    if warmup and plan.warmup_seconds:
        wrk.run(target.url, wrk.Load(plan.connections, plan.warmup_seconds), target.headers)
    counted = target.expect != "200"
    run: dict[str, Any] = {
        "closed": closed_loop(
            target, plan.load(plan.connections, plan.seconds, count_status=counted), load_cpus
        )
    }
    if full:
        serial = wrk.run(target.url, plan.load(1, plan.serial_seconds), target.headers, load_cpus)
        _check(target, plan.load(1, plan.serial_seconds), serial)
        rate_load = plan.load(
            FIXED_RATE_CONNECTIONS, plan.rate_seconds, mean_delay_ms=FIXED_RATE_MEAN_DELAY_MS
        )
        rate = wrk.run(target.url, rate_load, target.headers, load_cpus)
        _check(target, rate_load, rate)
        run["serial"], run["rate"] = serial.as_dict(), rate.as_dict()
    target.runs.append(run)


def _check(target: Target, load: wrk.Load, result: wrk.WrkResult) -> None:
    """Record every way the run's answers were not what the target must answer."""
    where = f"{target.name} c={load.connections}"
    if result.requests == 0:
        target.problems.append(f"{where}: no response at all")
    if result.socket_errors:
        target.problems.append(f"{where}: {result.socket_errors} socket errors")
    if target.expect == "200":
        if result.non2xx:
            target.problems.append(f"{where}: {result.non2xx} non-2xx responses")
        return
    counts = result.status or {}
    wrong = result.requests - counts.get(target.expect, 0)
    # A one-per-minute plan lets one request through when its window rolls over mid-run.
    allowed = 2 if target.expect == "429" else 0
    if wrong > allowed:
        target.problems.append(f"{where}: {wrong} responses were not {target.expect} ({counts})")


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median (and min-max of rps and CPU) per kind of run over the rounds."""
    out: dict[str, Any] = {}
    for kind in ("closed", "serial", "rate"):
        rows = [r[kind] for r in runs if kind in r]
        if not rows:
            continue
        med: dict[str, Any] = {"n": len(rows)}
        for key in ("rps", "p50_ms", "p90_ms", "p99_ms", "cpu_us_per_request"):
            values = [r[key] for r in rows if r.get(key) is not None]
            if values:
                med[key] = round(statistics.median(values), 3)
                if key in ("rps", "cpu_us_per_request"):
                    med[key + "_range"] = [min(values), max(values)]
        med["non2xx"] = sum(r["non2xx"] for r in rows)
        med["socket_errors"] = sum(r["socket_errors"] for r in rows)
        out[kind] = med
    return out
