"""The history of recorded runs as one PNG (`load_tests/results/history.png`), read at a glance.

Left: CPU µs per forwarded request of the gateway and of the references measured in the same
run. Right: the goal ratios that matter most (gateway ÷ HAProxy-full HS256, 401 and 429 rates
÷ forwarded rate) with their stretch bounds as dashed lines. One point per record, labelled
with its commit. Needs matplotlib (the `load` extra).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from load_tests import record

CHART = record.RESULTS / "history.png"
CPU_TARGETS = ("A/gateway", "A/gateway-401", "A/gateway-429", "A/haproxy-full-hs256", "A/nginx")
RATIO_GOALS = ("G1 HS256", "G6 401", "G6 429")


def draw(records: list[dict[str, Any]], path: Path = CHART) -> Path:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    labels = [f"{r['date'][:10]}\n{r['machine'].get('git_sha')}" for r in records]
    xs = list(range(len(records)))
    figure, (cpu, ratios) = plt.subplots(1, 2, figsize=(12, 4.5), constrained_layout=True)
    for target in CPU_TARGETS:
        ys = [_cpu(r, target) for r in records]
        cpu.plot(xs, ys, marker="o", label=target)
    cpu.set_title("CPU µs per request (layout A, lower is better)")
    cpu.set_ylabel("µs")
    for goal_id in RATIO_GOALS:
        ys = [_goal(r, goal_id)[0] for r in records]
        (line,) = ratios.plot(xs, ys, marker="o", label=goal_id)
        stretch = _goal(records[-1], goal_id)[1] if records else None
        if stretch is not None:
            ratios.axhline(stretch, linestyle="--", linewidth=1, color=line.get_color())
    ratios.set_title("goal ratios (dashed: stretch bound)")
    for axes in (cpu, ratios):
        axes.set_xticks(xs, labels, fontsize=8)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=8)
        axes.set_ylim(bottom=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def _cpu(data: dict[str, Any], target: str) -> float | None:
    value = data["summaries"].get(target, {}).get("closed", {}).get("cpu_us_per_request")
    return float(value) if value is not None else None


def _goal(data: dict[str, Any], goal_id: str) -> tuple[float | None, float | None]:
    row = next((g for g in data["goals"] if g["id"] == goal_id), None)
    if row is None or row["value"] is None:
        return None, None
    return float(row["value"]), float(row["stretch"])


def main() -> int:
    records = record.load_all()
    if not records:
        print("no recorded run under load_tests/results/")
        return 1
    print(draw(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
