"""One benchmark session: the upstream, layout A then layout B, every process stopped by PID.

Layout A (efficiency and latency): the system under test on one CPU, wrk and the upstream on
the other; nginx, HAProxy plain, HAProxy full and the gateway are measured in interleaved
rounds, then the gateway's 401 and 429 paths. Layout B (whole box): nothing pinned, nginx and
the gateway with two workers each, closed loop only (PERFORMANCE-PROBE.md §4.1, §6).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from load_tests import configs, extras, gateway, procs, targets
from load_tests.measure import Plan, Target, measure_round

Say = Callable[[str], None]
Cpus = list[int] | None


def layout_cpus() -> tuple[Cpus, Cpus]:
    """(system-under-test CPUs, load-generator CPUs) for layout A; no pinning below 2 CPUs."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    return [cpus[0]], [cpus[1]]


@dataclass
class Session:
    plan: Plan
    run_dir: Path
    say: Say
    with_haproxy: bool
    measured: list[Target] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    upstream_port: int = 0
    body: bytes = b""
    extras: extras.Extras | None = None

    def run(self) -> None:
        sut_cpus, load_cpus = layout_cpus()
        with ExitStack() as stack:
            www, self.body = configs.write_item(self.run_dir)
            extras.write_big(www)
            self.upstream_port = procs.free_port()
            upstream = targets.nginx(
                stack, self.run_dir, "nginx-upstream", "nginx-upstream.conf", load_cpus,
                port=self.upstream_port, www=www,
            )  # fmt: skip
            credentials = gateway.seed(self.run_dir, f"http://127.0.0.1:{self.upstream_port}")
            self._guard("layout A", lambda: self.layout_a(credentials, sut_cpus, load_cpus))
            upstream_url = f"http://127.0.0.1:{self.upstream_port}"
            self.extras = extras.Extras(self.plan, self.run_dir, self.say, sut_cpus, load_cpus,
                                        upstream_url)  # fmt: skip
            self._guard("extras", self.extras.run)
            procs.pin(upstream.pid, sorted(os.sched_getaffinity(0)))
            self._guard("layout B", lambda: self.layout_b(credentials))

    def layout_a(self, credentials: gateway.Credentials, sut: Cpus, load: Cpus) -> None:
        with ExitStack() as stack:
            base, pid, token = self._gateway(stack, credentials, "A", 1, sut)
            main = [self._nginx_proxy(stack, "A", 1, sut)]
            if self.with_haproxy:
                main += self._haproxy(stack, gateway.public_pem(base), token, sut)
            found = targets.gateway_targets("A", base, pid, token, rejects=True)
            main.append(found[0])
            self._rounds(self._probed(main), load, full=True)
            self._rounds(self._probed(found[1:]), load, full=False, warmup=False)

    def layout_b(self, credentials: gateway.Credentials) -> None:
        with ExitStack() as stack:
            base, pid, token = self._gateway(stack, credentials, "B", 2, None)
            main = [self._nginx_proxy(stack, "B", 2, None)]
            main += targets.gateway_targets("B", base, pid, token, rejects=False)
            self._rounds(self._probed(main), None, full=False)

    def _rounds(self, found: list[Target], load: Cpus, *, full: bool, warmup: bool = True) -> None:
        """Interleaved rounds (A B C A B C ...); warm-up before each target's first round."""
        for number in range(self.plan.rounds):
            for target in found:
                measure_round(target, self.plan, load, full=full, warmup=warmup and number == 0)
                closed = target.runs[-1]["closed"]
                self.say(
                    f"  {target.name:<21} round {number + 1}: {closed['rps']:>9,.0f} rps, "
                    f"{closed['cpu_us_per_request'] or 0:>7.1f} CPU µs/req, "
                    f"p50 {closed['p50_ms']:.2f} ms, p99 {closed['p99_ms']:.2f} ms"
                )
        self.measured += found

    def _probed(self, found: list[Target]) -> list[Target]:
        """The targets that answer one request correctly; the others are failures."""
        kept = []
        for target in found:
            problem = targets.probe(target, self.body)
            if problem is None:
                kept.append(target)
            else:
                self.failures.append(problem)
                self.say(f"FAILED {problem}")
        return [t for t in kept if not t.name.endswith("-check")]

    def _guard(self, what: str, step: Callable[[], None]) -> None:
        try:
            step()
        except (RuntimeError, OSError, StopIteration) as exc:
            self.failures.append(f"{what}: {exc}")
            self.say(f"FAILED {what}: {exc}")

    def _gateway(
        self,
        stack: ExitStack,
        credentials: gateway.Credentials,
        layout: str,
        workers: int,
        cpus: Cpus,
    ) -> tuple[str, int, str]:
        port = procs.free_port()
        started = gateway.serve(self.run_dir, port, workers, cpus, f"gateway-{layout}")
        stack.callback(started.stop)
        base = f"http://127.0.0.1:{port}"
        return base, started.pid, gateway.fetch_token(base, credentials)

    def _nginx_proxy(self, stack: ExitStack, layout: str, workers: int, cpus: Cpus) -> Target:
        port = procs.free_port()
        started = targets.nginx(
            stack, self.run_dir, f"nginx-proxy-{layout}", "nginx-proxy.conf", cpus,
            port=port, workers=workers, upstream_port=self.upstream_port,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}{targets.PLAIN_PATH}"
        return Target(f"{layout}/nginx", url, started.pid)

    def _haproxy(self, stack: ExitStack, pem: bytes, token: str, cpus: Cpus) -> list[Target]:
        """HAProxy plain, full ES256 and full HS256; malformed-token checks prove they verify."""
        plain, full, hs256 = procs.free_port(), procs.free_port(), procs.free_port()
        secret = secrets.token_urlsafe(32)
        started = targets.haproxy(
            stack, self.run_dir, cpus, pem, plain_port=plain, full_port=full,
            hs256_port=hs256, hs256_secret=secret, upstream_port=self.upstream_port,
        )  # fmt: skip
        path, bearer = targets.PLAIN_PATH, (f"Authorization: Bearer {token}",)
        full_url, hs256_url = (f"http://127.0.0.1:{p}{path}" for p in (full, hs256))
        hs256_bearer = (f"Authorization: Bearer {gateway.hs256_token(secret, 'bench')}",)
        malformed = (targets.MALFORMED,)
        return [
            Target("A/haproxy", f"http://127.0.0.1:{plain}{path}", started.pid),
            Target("A/haproxy-full", full_url, started.pid, bearer),
            Target("A/haproxy-full-hs256", hs256_url, started.pid, hs256_bearer),
            Target("A/haproxy-full-check", full_url, started.pid, malformed, "401"),
            Target("A/haproxy-full-hs256-check", hs256_url, started.pid, malformed, "401"),
        ]
