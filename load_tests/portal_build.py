"""Benchmark: how long the developer portal takes to build for 50 API versions.

`python -m load_tests.portal_build [--versions 50] [--rounds 2]` seeds a temporary SQLite
registry with copies of the demo APIs (one API in five also has a v2 that replaces its
deprecated v1: 50 versions are 42 APIs), then times complete builds (generation and
`mkdocs build --strict`, both languages) and prints one JSON document with wall-clock and CPU
seconds per round. The first round is cold; later rounds rebuild the same registry. Not a
test: the figure depends on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from portal.build import build_into
from portal.catalogue import load_catalogue
from registry.demo_apis import DEMO_DOCUMENTS
from registry.models import VersionState
from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.settings import load_settings
from registry.store import open_store

OPERATOR = Principal(role=Role.OPERATOR, subject="bench:portal")
UPSTREAM = "http://127.0.0.1:9/bench"


def _as_v2(raw: bytes) -> bytes:
    doc: dict[str, Any] = yaml.safe_load(raw)
    doc["info"]["version"] = "2.0.0"
    for server in doc.get("servers", []):
        server["url"] = server["url"].replace("/v1", "/v2")
    return json.dumps(doc, ensure_ascii=False).encode()


def seed(service: RegistryService, versions: int) -> int:
    """Register and publish `versions` versions; one in five APIs gets a v2 (v1 deprecated)."""
    service.add_provider(OPERATOR, "bench", "ベンチマーク庁", "Benchmark Agency", "a@b.example")
    sources = [p.read_bytes() for p in DEMO_DOCUMENTS]
    sunset = (datetime.now() + timedelta(days=400)).date()  # noqa: DTZ005 - a date is enough
    made = index = 0
    while made < versions:
        slug = f"api-{index:03d}"
        raw = sources[index % len(sources)]
        service.register(OPERATOR, "bench", raw, UPSTREAM, slug=slug)
        service.publish(OPERATOR, slug, "v1")
        made += 1
        if index % 5 == 0 and made < versions:
            service.register(OPERATOR, "bench", _as_v2(raw), UPSTREAM, slug=slug)
            service.publish(OPERATOR, slug, "v2")
            service.deprecate(OPERATOR, slug, "v1", sunset, successor="v2", note="v2 へ移行")
            made += 1
        index += 1
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m load_tests.portal_build")
    parser.add_argument("--versions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tsunagu-portal-bench-") as tmp:
        root = Path(tmp)
        settings = load_settings(
            database_url=f"sqlite:///{root / 'bench.db'}",
            upstream_allow="127.0.0.1/32",
            var_dir=root,
        )
        store = open_store(settings)
        try:
            service = RegistryService(store, settings)
            seeded = seed(service, args.versions)
            shown = [s for s in service.list_apis(OPERATOR) if s.state is not VersionState.DRAFT]
            timings, cpu = [], []
            for _ in range(max(1, args.rounds)):
                started, cpu_started = time.perf_counter(), time.process_time()
                catalogue = load_catalogue(store, settings.public_url)
                result = build_into(catalogue, root / "site")
                timings.append(round(time.perf_counter() - started, 2))
                cpu.append(round(time.process_time() - cpu_started, 2))
        finally:
            store.dispose()
    report = {
        "versions": seeded,
        "shown": len(shown),
        "pages": result.pages,
        "seconds": timings,
        "cpu_seconds": cpu,  # this process's CPU time: less sensitive to a busy machine
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
