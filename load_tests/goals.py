"""The performance goals of PERFORMANCE-PROBE.md §5 as data, judged from one run's summaries.

Every goal is a ratio or a difference against a reference measured in the same run. A goal
whose inputs are missing (a skipped target) is "n/a". G5, G5', G7 and G10 need builds or
services this harness does not start (features off, Redis, a second commit); see README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Summaries = dict[str, dict[str, Any]]  # "A/gateway" -> measure.summary(...)


@dataclass(frozen=True)
class Goal:
    id: str
    name: str
    must: float
    stretch: float
    higher_is_better: bool
    value: Callable[[Summaries], float | None]


def _get(s: Summaries, target: str, kind: str, key: str) -> float | None:
    value = s.get(target, {}).get(kind, {}).get(key)
    return float(value) if value is not None else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _diff(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


def _cpu(s: Summaries, target: str) -> float | None:
    return _get(s, target, "closed", "cpu_us_per_request")


def _rps(s: Summaries, target: str) -> float | None:
    return _get(s, target, "closed", "rps")


def _added(s: Summaries, kind: str, key: str) -> float | None:
    """Gateway minus nginx, both in layout A."""
    return _diff(_get(s, "A/gateway", kind, key), _get(s, "A/nginx", kind, key))


def _tail(s: Summaries) -> float | None:
    return _ratio(
        _get(s, "A/gateway", "closed", "p99_ms"), _get(s, "A/gateway", "closed", "p50_ms")
    )


GOALS = (
    Goal("G1", "CPU/request: gateway ÷ HAProxy-full ES256 (A)", 20, 12, False,
         lambda s: _ratio(_cpu(s, "A/gateway"), _cpu(s, "A/haproxy-full"))),
    Goal("G1 HS256", "CPU/request: gateway ÷ HAProxy-full HS256 (A), the probe's reference", 20, 12,
         False, lambda s: _ratio(_cpu(s, "A/gateway"), _cpu(s, "A/haproxy-full-hs256"))),
    Goal("G1'", "CPU/request: gateway ÷ nginx proxy (A)", 27, 16, False,
         lambda s: _ratio(_cpu(s, "A/gateway"), _cpu(s, "A/nginx"))),
    Goal("G2", "whole-box rps: gateway ÷ nginx, 2 workers each (B)", 0.07, 0.10, True,
         lambda s: _ratio(_rps(s, "B/gateway"), _rps(s, "B/nginx"))),
    Goal("G3 p50", "added p50 at ~1,000 rps over nginx, ms (A)", 0.75, 0.4, False,
         lambda s: _added(s, "rate", "p50_ms")),
    Goal("G3 p99", "added p99 at ~1,000 rps over nginx, ms (A)", 2.5, 1.2, False,
         lambda s: _added(s, "rate", "p99_ms")),
    Goal("G4", "added p50 at c=1 over nginx, ms (A)", 0.4, 0.25, False,
         lambda s: _added(s, "serial", "p50_ms")),
    Goal("G6 401", "rps of the 401 path ÷ forwarded rps (A)", 3, 5, True,
         lambda s: _ratio(_rps(s, "A/gateway-401"), _rps(s, "A/gateway"))),
    Goal("G6 429", "rps of the 429 path ÷ forwarded rps (A)", 2, 3, True,
         lambda s: _ratio(_rps(s, "A/gateway-429"), _rps(s, "A/gateway"))),
    Goal("G8", "scaling: gateway rps B (2 workers) ÷ A (1 worker)", 1.6, 1.75, True,
         lambda s: _ratio(_rps(s, "B/gateway"), _rps(s, "A/gateway"))),
    Goal("G9", "saturation: gateway p99 ÷ p50 at c=32 (A)", 5, 2.5, False, _tail),
)  # fmt: skip


def judge(goal: Goal, value: float | None) -> str:
    """ "stretch", "must", "FAIL" or "n/a"."""
    if value is None:
        return "n/a"

    def meets(bound: float) -> bool:
        return value >= bound if goal.higher_is_better else value <= bound

    if meets(goal.stretch):
        return "stretch"
    return "must" if meets(goal.must) else "FAIL"


def evaluate(summaries: Summaries) -> list[dict[str, Any]]:
    rows = []
    for goal in GOALS:
        value = goal.value(summaries)
        rows.append(
            {
                "id": goal.id,
                "goal": goal.name,
                "value": round(value, 3) if value is not None else None,
                "must": goal.must,
                "stretch": goal.stretch,
                "higher_is_better": goal.higher_is_better,
                "verdict": judge(goal, value),
            }
        )
    return rows
