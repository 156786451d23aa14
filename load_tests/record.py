"""Recorded benchmark runs (`make bench` with `--record`): JSON and a Markdown summary per run.

A record is named by the run's date (UTC) and the commit it measured,
`load_tests/results/<YYYY-MM-DD>-<sha>[-dirty].json` with the same stem in `.md`, and is
committed with the change that moved the figures. The newest record (by the date inside it)
feeds the README's "Latest figures" (`load_tests.latest_figures`) and the history chart
(`load_tests.history_chart`).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from load_tests import report

RESULTS = Path(__file__).with_name("results")
JST = timezone(timedelta(hours=9))


def stem(data: dict[str, Any]) -> str:
    machine = data["machine"]
    day = datetime.fromisoformat(data["date"]).strftime("%Y-%m-%d")
    dirty = "-dirty" if machine.get("git_dirty") else ""
    return f"{day}-{machine.get('git_sha') or 'unknown'}{dirty}"


def write(data: dict[str, Any], directory: Path = RESULTS) -> tuple[Path, Path]:
    """Write `<stem>.json` and `<stem>.md` (a second run of the same day and commit replaces)."""
    directory.mkdir(parents=True, exist_ok=True)
    base = directory / stem(data)
    json_path, md_path = base.with_suffix(".json"), base.with_suffix(".md")
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md_path.write_text("\n".join(summary(data)) + "\n", encoding="utf-8")
    return json_path, md_path


def load_all(directory: Path = RESULTS) -> list[dict[str, Any]]:
    """Every record, oldest first (by the date inside it)."""
    found = [json.loads(p.read_text(encoding="utf-8")) for p in directory.glob("*.json")]
    return sorted(found, key=lambda d: str(d["date"]))


def newest(directory: Path = RESULTS) -> dict[str, Any] | None:
    records = load_all(directory)
    return records[-1] if records else None


def summary(data: dict[str, Any]) -> list[str]:
    """The Markdown a person reads: when, what, on what machine, how loaded, then the tables."""
    machine, plan = data["machine"], data["plan"]
    v = machine.get("versions", {})
    when = datetime.fromisoformat(data["date"]).astimezone(JST).isoformat(timespec="minutes")
    dirty = " (working tree with uncommitted changes)" if machine.get("git_dirty") else ""
    status = "every target answered correctly" if not data["problems"] else "with problems"
    lines = [
        f"Run of {when} (`make bench --record`, {data['mode']}: {plan['rounds']} interleaved "
        f"rounds, {plan['seconds']} s closed loop at c={plan['connections']}, {status}); "
        f"commit {machine.get('git_sha')}{dirty}.",
        "",
        f'Machine: {machine.get("cpus")} CPU "{machine.get("cpu")}", kernel '
        f"{machine.get('kernel')}, Python {v.get('python')}, uvicorn {v.get('uvicorn')}, "
        f"aiohttp {v.get('aiohttp')}, nginx {_short(v.get('nginx'))}, "
        f"HAProxy {_short(v.get('haproxy'))}, wrk {_short(v.get('wrk'))}.",
        "",
        f"Load average (1 min) at the start and the end of the run: {_load(machine)}; "
        "above the CPU count, other processes shared the cores and every figure is noisy.",
    ]
    if data.get("note"):
        lines += ["", str(data["note"])]
    lines += ["", *report.results_table(data["summaries"]), "", *report.goals_table(data["goals"])]
    if data.get("extras"):
        lines += ["", *report.extras_table(data["extras"])]
    for problem in data["problems"]:
        lines.append(f"\nProblem: {problem}")
    return lines


def _short(version: str | None) -> str:
    """The version number out of a tool's banner line ("nginx version: nginx/1.22.1")."""
    if not version:
        return "-"
    for word in version.replace("/", " ").split():
        if word[:1].isdigit():
            return word
    return version


def _load(machine: dict[str, Any]) -> str:
    start, end = machine.get("load_start"), machine.get("load_end")
    if start is None or end is None:
        return "not recorded"
    return f"{start:.2f} / {end:.2f}"
