"""`python -m load_tests.bench` (`make bench`): gateway vs nginx vs HAProxy, as same-run ratios.

Prints a Markdown table per layout and the §5 goals with their verdicts, and writes the whole
report as JSON to var/bench/<timestamp>.json. Verdicts are informational: the exit status is 0
unless a target failed to start or to answer correctly (1), or a required tool is missing (2).

`--record` also writes the report and its Markdown summary under load_tests/results/ (named by
date and commit), redraws the history chart and regenerates the README's "Latest figures".
`--compare BASE_SHA` measures this checkout against another commit instead (load_tests.compare).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from load_tests import goals, measure, report, targets
from load_tests.session import Session

APT_PACKAGES = ("wrk", "nginx-light", "haproxy")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m load_tests.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny runs (smoke test)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per closed-loop run")
    parser.add_argument("--connections", type=int, default=32, help="closed-loop connections")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--output", type=Path, default=Path("var/bench"), help="JSON directory")
    parser.add_argument("--install", action="store_true", help="apt-get install missing tools")
    parser.add_argument("--record", action="store_true", help="keep under load_tests/results/")
    parser.add_argument("--note", default="", help="a sentence recorded with the run")
    parser.add_argument("--compare", metavar="BASE_SHA", help="A/B against another commit")
    args = parser.parse_args(argv)
    if args.duration < 1 or args.connections < 1 or args.rounds < 1:
        parser.error("--duration, --connections and --rounds must be at least 1")
    if args.record and args.quick:
        parser.error("--quick figures are not measurements: they cannot be recorded")
    return args


def plan_from(args: argparse.Namespace) -> measure.Plan:
    if args.quick:
        return measure.Plan(args.connections, 1, 1, 1, warmup_seconds=0, rounds=1, max_requests=300)
    seconds = args.duration
    return measure.Plan(args.connections, seconds, max(1, seconds // 2), seconds, 2, args.rounds)


def say(line: str) -> None:
    print(line, flush=True)


def tools_ready(install: bool) -> tuple[bool, bool]:
    """(wrk and nginx present, haproxy present), installing from Debian when asked."""
    missing = targets.missing_tools(("wrk", "nginx", "haproxy"))
    if missing and install:
        say(f"installing {' '.join(APT_PACKAGES)} with apt-get")
        subprocess.run(["apt-get", "install", "-y", *APT_PACKAGES], check=False, timeout=600)
        missing = targets.missing_tools(("wrk", "nginx", "haproxy"))
    for name in missing:
        say(f"missing tool: {name} (apt-get install -y wrk nginx-light haproxy, or --install)")
    if "haproxy" in missing:
        say("skipping the HAProxy targets; G1 falls back to G1' (÷ nginx)")
    return "wrk" not in missing and "nginx" not in missing, "haproxy" not in missing


def run(args: argparse.Namespace) -> tuple[dict[str, Any], int]:
    usable, with_haproxy = tools_ready(args.install)
    if not usable:
        say("error: wrk and nginx are required (the load generator and the upstream)")
        return {}, 2
    plan = plan_from(args)
    machine = report.environment()  # before the run: the commit and tree measured
    load_start = os.getloadavg()[0]
    run_dir = Path(tempfile.mkdtemp(prefix="tsunagu-bench-"))
    run_dir.chmod(0o755)  # nginx workers (user nobody) read the upstream's files
    try:
        session = Session(plan, run_dir, say, with_haproxy)
        session.run()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    problems = session.failures + [p for t in session.measured for p in t.problems]
    if session.extras:
        problems += session.extras.problems
    summaries = {t.name: measure.summary(t.runs) for t in session.measured}
    machine["load_start"], machine["load_end"] = load_start, os.getloadavg()[0]
    data = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "standard",
        "plan": asdict(plan),
        "machine": machine,
        "note": args.note,
        "skipped": [] if with_haproxy else ["A/haproxy", "A/haproxy-full", "A/haproxy-full-hs256"],
        "problems": problems,
        "summaries": summaries,
        "goals": goals.evaluate(summaries),
        "extras": session.extras.rows if session.extras else [],
        "runs": {t.name: t.runs for t in session.measured},
        "extras_runs": session.extras.runs if session.extras else {},
    }
    return data, 1 if problems else 0


def keep(data: dict[str, Any]) -> None:
    """`--record`: the record, the history chart and the README's "Latest figures"."""
    from load_tests import history_chart, latest_figures, record

    json_path, md_path = record.write(data)
    say(f"recorded: {json_path} and {md_path}")
    say(f"chart: {history_chart.draw(record.load_all())}")
    latest_figures.main([])
    say(f"regenerated: {latest_figures.README} (Latest figures)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare:
        from load_tests import compare

        return compare.main(args)
    data, status = run(args)
    if not data:
        return status
    say("")
    say("\n".join(report.results_table(data["summaries"])))
    say("")
    say("\n".join(report.goals_table(data["goals"])))
    if data["extras"]:
        say("")
        say("\n".join(report.extras_table(data["extras"])))
    if data["mode"] == "quick":
        say("quick mode: a few hundred requests per run; the figures are not measurements")
    for problem in data["problems"]:
        say(f"problem: {problem}")
    say(f"report: {report.write_json(data, args.output)}")
    if args.record:
        keep(data)
    return status


if __name__ == "__main__":
    sys.exit(main())
