"""The report: the machine and versions, a Markdown table per layout, the goals, and JSON.

JSON goes to `var/bench/<UTC timestamp>.json`; the same tables are printed, ready to paste
into load_tests/README.md.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("uvicorn", "uvloop", "httptools", "aiohttp", "fastapi", "starlette", "joserfc",
            "limits", "redis", "prometheus-client")  # fmt: skip
TOOLS = {"nginx": ["nginx", "-v"], "haproxy": ["haproxy", "-v"], "wrk": ["wrk", "--version"]}


def environment() -> dict[str, Any]:
    """Versions, kernel, CPU model and git SHA: what a reader needs to compare runs."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    for name, argv in TOOLS.items():
        versions[name] = _first_line(argv)
    return {
        "kernel": platform.release(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "git_sha": _first_line(["git", "rev-parse", "--short", "HEAD"]),
        "git_dirty": bool(_first_line(["git", "status", "--porcelain", "--untracked-files=no"])),
        "versions": versions,
    }


def _first_line(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return None
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else None


def _cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def results_table(summaries: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| target | rps c32 (min-max) | CPU µs/req | c32 p50 / p99 ms | c1 p50 / p99 ms "
        "| ~1k rps p50 / p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in summaries.items():
        closed, serial, rate = s.get("closed", {}), s.get("serial", {}), s.get("rate", {})
        low, high = closed.get("rps_range", [None, None])
        lines.append(
            f"| {name} | {_fmt(closed.get('rps'), 0)} ({_fmt(low, 0)}-{_fmt(high, 0)}) "
            f"| {_fmt(closed.get('cpu_us_per_request'), 1)} "
            f"| {_fmt(closed.get('p50_ms'))} / {_fmt(closed.get('p99_ms'))} "
            f"| {_fmt(serial.get('p50_ms'), 3)} / {_fmt(serial.get('p99_ms'), 3)} "
            f"| {_fmt(rate.get('p50_ms'), 3)} / {_fmt(rate.get('p99_ms'), 3)} |"
        )
    return lines


def goals_table(goals: list[dict[str, Any]]) -> list[str]:
    lines = ["| goal | measured | must | stretch | verdict |", "|---|---|---|---|---|"]
    for g in goals:
        sign = "≥" if g["higher_is_better"] else "≤"
        lines.append(
            f"| {g['id']}: {g['goal']} | {_fmt(g['value'])} | {sign} {g['must']} "
            f"| {sign} {g['stretch']} | {g['verdict']} |"
        )
    return lines


def extras_table(extras: list[dict[str, Any]]) -> list[str]:
    """The measurements beyond the goal table (`load_tests.extras`): one row each."""
    lines = ["| measurement | value | reference | what it means |", "|---|---|---|---|"]
    for row in extras:
        lines.append(
            f"| {row['name']} | {_fmt(row.get('value'))} {row.get('unit', '')} "
            f"| {row.get('reference') or '-'} | {row.get('meaning', '')} |"
        )
    return lines


def write_json(report: dict[str, Any], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"{stamp}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
