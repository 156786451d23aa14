"""The Grafana dashboard reads only metrics a running gateway exports."""

from __future__ import annotations

from tests.deploy.conftest import Monitored
from tests.deploy.dashboard import dashboard, expressions
from tests.deploy.test_alert_rules import exported_series_names, metric_names


def test_dashboard_covers_what_operators_watch() -> None:
    rows = [p["title"] for p in dashboard()["panels"] if p["type"] == "row"]
    for topic in ("Overview", "API version", "Launch watch", "Deprecated", "Upstreams", "Rate"):
        assert any(topic in row for row in rows), topic
    assert all(p.get("title") for p in dashboard()["panels"])


def test_every_dashboard_expression_names_exported_metrics(monitored: Monitored) -> None:
    monitored.call("echo")
    exported = exported_series_names(monitored.metrics_text()) | {"up"}
    names = set()
    for expr in expressions():
        found = metric_names(expr)
        assert found, f"no metric in {expr}"
        names |= found
    assert names <= exported, sorted(names - exported)
    # Every family the gateway exports for traffic is on the dashboard somewhere.
    for family in (
        "tsunagu_requests_total",
        "tsunagu_upstream_errors_total",
        "tsunagu_ratelimited_total",
        "tsunagu_launch_watch",
        "tsunagu_deprecated_requests_total",
        "tsunagu_api_sunset_timestamp_seconds",
    ):
        assert family in names, family
