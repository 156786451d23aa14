"""A worker process for the multiprocess metrics test (PROMETHEUS_MULTIPROC_DIR must be set).

`record N GEN` records N finished requests and snapshot generation GEN, then exits;
`render` prints what `/metrics` would serve.
"""

from __future__ import annotations

import sys

from prometheus_client import CollectorRegistry

from gateway.metrics import GatewayMetrics, render_metrics
from gateway.policies.metrics import MetricsPolicy
from tests.gateway.ratelimit.factories import claims, exchange, route


def main() -> None:
    metrics = GatewayMetrics(CollectorRegistry())
    if sys.argv[1] == "record":
        policy = MetricsPolicy(metrics)
        for _ in range(int(sys.argv[2])):
            ex = exchange(route(), claims())
            ex.status = 200
            policy.on_complete(ex)
        metrics.snapshot_loaded(int(sys.argv[3]), 1_800_000_000.0)
        return
    sys.stdout.write(render_metrics(metrics)[0].decode())


if __name__ == "__main__":
    main()
