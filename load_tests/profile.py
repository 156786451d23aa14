"""`python -m load_tests.profile`: py-spy flame graphs of the gateway's hot paths, as SVG.

Starts the benchmark's nginx upstream and one seeded `tsunagu serve` (one worker), loads the
forwarded, 401 and 429 paths in turn with wrk at c=32 while `py-spy record` samples the worker
(`--idle` off, native frames off), and writes one SVG per path to load_tests/profiles/, named
`<commit>-<path>.svg` after the commit it measured (`-dirty` when the tree had changes). Needs
py-spy (the `load` extra) and the permission to trace a process (root, or ptrace_scope 0).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from load_tests import configs, gateway, procs, report, targets, wrk

PROFILES = Path(__file__).with_name("profiles")


def py_spy() -> str | None:
    script = Path(sys.executable).with_name("py-spy")
    return str(script) if script.exists() else shutil.which("py-spy")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m load_tests.profile", description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="sampling time per path")
    parser.add_argument("--output", type=Path, default=PROFILES)
    args = parser.parse_args(argv)
    spy = py_spy()
    if spy is None or shutil.which("wrk") is None or shutil.which("nginx") is None:
        print("error: py-spy (pip install -e '.[load]'), wrk and nginx are required")
        return 2
    machine = report.environment()
    name = f"{machine['git_sha']}{'-dirty' if machine['git_dirty'] else ''}"
    run_dir = Path(tempfile.mkdtemp(prefix="tsunagu-profile-"))
    run_dir.chmod(0o755)
    args.output.mkdir(parents=True, exist_ok=True)
    try:
        with ExitStack() as stack:
            www, _ = configs.write_item(run_dir)
            upstream = procs.free_port()
            targets.nginx(stack, run_dir, "nginx-upstream", "nginx-upstream.conf", None,
                          port=upstream, www=www)  # fmt: skip
            credentials = gateway.seed(run_dir, f"http://127.0.0.1:{upstream}")
            port = procs.free_port()
            started = gateway.serve(run_dir, port, 1, None, "gateway-profiled")
            stack.callback(started.stop)
            base = f"http://127.0.0.1:{port}"
            token = gateway.fetch_token(base, credentials)
            for target in targets.gateway_targets("P", base, started.pid, token, rejects=True):
                path = args.output / f"{name}-{target.name.split('/')[1]}.svg"
                wrk.run(target.url, wrk.Load(32, 2), target.headers)  # warm-up
                spy_run = subprocess.Popen(
                    [spy, "record", "--pid", str(started.pid), "--subprocesses", "--format",
                     "flamegraph", "--duration", str(args.seconds), "--rate", "250",
                     "--output", str(path), "--nonblocking"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                )  # fmt: skip
                wrk.run(target.url, wrk.Load(32, args.seconds), target.headers)
                _, err = spy_run.communicate(timeout=args.seconds + 60)
                if spy_run.returncode != 0:
                    print(f"py-spy failed on {target.name}: {err.decode(errors='replace')}")
                    return 1
                print(f"{target.name}: {path}")
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
