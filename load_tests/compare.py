"""`make bench BENCH_ARGS="--compare BASE_SHA"`: this checkout against another commit, A/B.

A regression guard that is not a timed test: the base commit is checked out with
`git worktree add` in a temporary directory and installed into its own venv there; each side
seeds its own registry with its own code (`load_tests.gateway.seed`, present in every commit
that has this harness) and serves it with its own `tsunagu serve`. Both gateways sit on the
same CPU (layout A: wrk and the nginx upstream on the other), and the forwarded, 401 and 429
paths are measured in interleaved rounds, the order of the two sides swapped every round. The
report gives, per path, head ÷ base of CPU µs per request and of requests per second: the
median of the per-round ratios and their min–max (the spread). Nothing is judged; the exit
status is 1 only when a side failed to start or answered wrongly.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from load_tests import gateway, measure, procs, report, targets
from load_tests.bench import plan_from, say, tools_ready
from load_tests.configs import write_item
from load_tests.session import layout_cpus

ROOT = Path(__file__).resolve().parent.parent
SEED = (
    "import json, sys; from pathlib import Path; from load_tests.gateway import seed; "
    "c = seed(Path(sys.argv[1]), sys.argv[2]); print(json.dumps([c.client_id, c.client_secret]))"
)
PATHS = ("gateway", "gateway-401", "gateway-429")
INSTALL_SECONDS = 900


def prepare_base(sha: str, where: Path) -> Path:
    """A worktree of `sha` with its own venv; returns that venv's bin directory."""
    tree = where / "base"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), sha],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True, timeout=120)
    pip = [str(tree / ".venv" / "bin" / "pip"), "install", "--quiet"]
    for extra in (["--upgrade", "pip"], ["-e", str(tree)]):
        done = subprocess.run(
            [*pip, *extra], capture_output=True, text=True, timeout=INSTALL_SECONDS, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"pip install {' '.join(extra)} failed:\n{done.stderr[-2000:]}")
    return tree / ".venv" / "bin"


def remove_base(where: Path) -> None:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where / "base")],
        check=False, capture_output=True, timeout=120,
    )  # fmt: skip


def seed_side(bin_dir: Path, tree: Path, run_dir: Path, upstream: str) -> gateway.Credentials:
    """Seed with the side's own code, so its own schema and migrations apply."""
    done = subprocess.run(
        [str(bin_dir / "python"), "-c", SEED, str(run_dir), upstream],
        cwd=tree, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    client_id, secret = json.loads(done.stdout.strip().splitlines()[-1])
    return gateway.Credentials(client_id, secret)


def ratios(head: list[dict[str, Any]], base: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Per-round head ÷ base of `key` in the closed-loop runs: median and min-max."""
    values = [
        h["closed"][key] / b["closed"][key]
        for h, b in zip(head, base, strict=True)
        if h["closed"].get(key) and b["closed"].get(key)
    ]
    if not values:
        return {"median": None, "range": [None, None], "n": 0}
    rounded = [round(v, 3) for v in values]
    return {"median": round(statistics.median(values), 3), "range": [min(rounded), max(rounded)],
            "n": len(values)}  # fmt: skip


def run(args: argparse.Namespace) -> tuple[dict[str, Any], int]:
    usable, _ = tools_ready(args.install)
    if not usable:
        return {}, 2
    plan = plan_from(args)
    sut, load = layout_cpus()
    head_sha = report.environment()["git_sha"]
    work = Path(tempfile.mkdtemp(prefix="tsunagu-compare-"))
    work.chmod(0o755)
    found: dict[str, measure.Target] = {}
    problems: list[str] = []
    try:
        say(f"installing {args.compare} into its own venv (a minute or two)")
        base_bin = prepare_base(args.compare, work)
        sides = {"head": (Path(sys.executable).parent, ROOT), "base": (base_bin, work / "base")}
        with ExitStack() as stack:
            www, body = write_item(work)
            upstream_port = procs.free_port()
            targets.nginx(stack, work, "nginx-upstream", "nginx-upstream.conf", load,
                          port=upstream_port, www=www)  # fmt: skip
            upstream = f"http://127.0.0.1:{upstream_port}"
            for side, (bin_dir, tree) in sides.items():
                run_dir = work / f"run-{side}"
                run_dir.mkdir()
                credentials = seed_side(bin_dir, tree, run_dir, upstream)
                port = procs.free_port()
                started = gateway.serve(run_dir, port, 1, sut, f"gateway-{side}",
                                        command=[str(bin_dir / "tsunagu")])  # fmt: skip
                stack.callback(started.stop)
                base_url = f"http://127.0.0.1:{port}"
                token = gateway.fetch_token(base_url, credentials)
                for target in targets.gateway_targets(side, base_url, started.pid, token,
                                                       rejects=True):  # fmt: skip
                    problem = targets.probe(target, body)
                    if problem:
                        problems.append(problem)
                    found[target.name] = target
            if not problems:
                _rounds(found, plan, load)
    finally:
        remove_base(work)
        shutil.rmtree(work, ignore_errors=True)
    problems += [p for t in found.values() for p in t.problems]
    data = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "head": head_sha,
        "base": args.compare,
        "plan": {"rounds": plan.rounds, "seconds": plan.seconds, "connections": plan.connections},
        "problems": problems,
        "summaries": {n: measure.summary(t.runs) for n, t in found.items()},
        "ratios": {
            path: {
                key: ratios(found[f"head/{path}"].runs, found[f"base/{path}"].runs, key)
                for key in ("cpu_us_per_request", "rps")
            }
            for path in PATHS
            if found.get(f"head/{path}") and found[f"head/{path}"].runs
        },
    }
    return data, 1 if problems else 0


def _rounds(found: dict[str, measure.Target], plan: measure.Plan, load: list[int] | None) -> None:
    """Interleaved: per round and path, both sides back to back, their order swapped each round."""
    for number in range(plan.rounds):
        order = ("head", "base") if number % 2 == 0 else ("base", "head")
        for path in PATHS:
            for side in order:
                target = found[f"{side}/{path}"]
                measure.measure_round(target, plan, load, full=False, warmup=number == 0)
                closed = target.runs[-1]["closed"]
                say(f"  {target.name:<17} round {number + 1}: {closed['rps']:>8,.0f} rps, "
                    f"{closed['cpu_us_per_request'] or 0:>7.1f} CPU µs/req")  # fmt: skip


def table(data: dict[str, Any]) -> list[str]:
    lines = [
        f"head {data['head']} ÷ base {data['base']}, {data['plan']['rounds']} interleaved rounds "
        "(median of per-round ratios, min-max):",
        "",
        "| path | CPU µs/req head / base | ratio (min-max) | rps head / base | ratio (min-max) |",
        "|---|---|---|---|---|",
    ]
    for path, row in data["ratios"].items():
        head = data["summaries"][f"head/{path}"]["closed"]
        base = data["summaries"][f"base/{path}"]["closed"]
        cpu, rps = row["cpu_us_per_request"], row["rps"]
        lines.append(
            f"| {path} | {head.get('cpu_us_per_request')} / {base.get('cpu_us_per_request')} "
            f"| {cpu['median']} ({cpu['range'][0]}-{cpu['range'][1]}) "
            f"| {head.get('rps'):,.0f} / {base.get('rps'):,.0f} "
            f"| {rps['median']} ({rps['range'][0]}-{rps['range'][1]}) |"
        )
    return lines


def main(args: argparse.Namespace) -> int:
    data, status = run(args)
    if not data:
        return status
    say("")
    say("\n".join(table(data)))
    for problem in data["problems"]:
        say(f"problem: {problem}")
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / f"compare-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    say(f"report: {path}")
    return status
