"""Smoke test of the benchmark harness: `--quick` against real nginx, HAProxy and `tsunagu serve`.

No assertion on timing: only that every target answered correctly (the harness checks status
codes and bodies and exits 1 otherwise) and that the JSON report has the expected shape.
"""

from __future__ import annotations

import json
import shutil

import pytest

from load_tests import bench
from load_tests.goals import GOALS
from tests.services import port_open, unavailable

pytestmark = pytest.mark.slow

A_TARGETS = {"A/nginx", "A/gateway", "A/gateway-401", "A/gateway-429"}
B_TARGETS = {"B/nginx", "B/gateway"}


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, object]]:
    missing = [t for t in ("wrk", "nginx", "haproxy") if shutil.which(t) is None]
    if missing:
        unavailable(", ".join(missing), "apt-get install -y wrk nginx-light haproxy")
    output = tmp_path_factory.mktemp("bench")
    status = bench.main(["--quick", "--output", str(output)])
    (report_file,) = output.glob("*.json")
    return status, json.loads(report_file.read_text(encoding="utf-8"))


def expected_targets() -> set[str]:
    found = A_TARGETS | B_TARGETS
    if shutil.which("haproxy"):
        found |= {"A/haproxy", "A/haproxy-full", "A/haproxy-full-hs256"}
    return found


def test_every_target_answered_correctly(quick_report: tuple[int, dict[str, object]]) -> None:
    status, report = quick_report
    assert report["problems"] == []
    assert status == 0
    assert set(report["summaries"]) == expected_targets()  # type: ignore[arg-type]


def test_each_target_has_its_runs(quick_report: tuple[int, dict[str, object]]) -> None:
    _, report = quick_report
    summaries: dict[str, dict[str, dict[str, object]]] = report["summaries"]  # type: ignore[assignment]
    for name, summary in summaries.items():
        kinds = {"closed", "serial", "rate"} if name in _full(summaries) else {"closed"}
        assert set(summary) == kinds, name
        for kind in kinds:
            assert summary[kind]["n"] == 1
            assert summary[kind]["rps"] > 0  # type: ignore[operator]
            assert summary[kind]["socket_errors"] == 0
    runs: dict[str, list[dict[str, dict[str, object]]]] = report["runs"]  # type: ignore[assignment]
    for name in ("A/gateway-401", "A/gateway-429"):
        closed = runs[name][0]["closed"]
        code = name.rsplit("-", 1)[1]
        assert closed["status"][code] >= closed["requests"] - 2 > 0  # type: ignore[index,operator]


def _full(summaries: dict[str, object]) -> set[str]:
    """Layout A's forwarded targets get c=1 and fixed-rate runs too."""
    return {
        n for n in summaries if n.startswith("A/") and n.rsplit("-", 1)[-1] not in ("401", "429")
    }


def test_report_has_goals_and_machine(quick_report: tuple[int, dict[str, object]]) -> None:
    _, report = quick_report
    goals: list[dict[str, object]] = report["goals"]  # type: ignore[assignment]
    assert [g["id"] for g in goals] == [g.id for g in GOALS]
    assert {g["verdict"] for g in goals} <= {"stretch", "must", "FAIL", "n/a"}
    assert report["mode"] == "quick"
    machine: dict[str, object] = report["machine"]  # type: ignore[assignment]
    assert machine["versions"]["python"]  # type: ignore[index]


def test_report_has_the_extra_measurements(quick_report: tuple[int, dict[str, object]]) -> None:
    _, report = quick_report
    names = " ".join(row["name"] for row in report["extras"])  # type: ignore[attr-defined]
    for expected in ("sandbox", "16KB", "POST-4KB", "portal-static", "/metrics", "401 flood"):
        assert expected in names
    if port_open("127.0.0.1", 6379):
        assert "Redis limiter" in names
