"""The shipped alert rules: valid, unit-tested alert by alert, and about metrics that exist."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.conftest import DEPLOY, Monitored, tool_or_skip

RULES = DEPLOY / "prometheus" / "alerts.yml"
RULE_TESTS = DEPLOY / "prometheus" / "tests" / "alerts_test.yml"


def promtool(*args: str, stdin: str | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [tool_or_skip("promtool"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def test_rules_pass_promtool_check() -> None:
    assert "SUCCESS" in promtool("check", "rules", str(RULES))


def test_rule_unit_tests_pass() -> None:
    assert "SUCCESS" in promtool("test", "rules", RULE_TESTS.name, cwd=RULE_TESTS.parent)


def test_every_alert_has_a_firing_case_and_a_runbook() -> None:
    tests = yaml.safe_load(RULE_TESTS.read_text(encoding="utf-8"))["tests"]
    fired = {
        case["alertname"]
        for test in tests
        for case in test["alert_rule_test"]
        if case.get("exp_alerts")
    }
    alerts = [rule for rule in rules() if "alert" in rule]
    assert len(alerts) >= 10
    assert {rule["alert"] for rule in alerts} == fired
    operators_guide = (DEPLOY.parent / "docs" / "operators.md").read_text(encoding="utf-8")
    for rule in alerts:
        assert rule["annotations"]["summary"]
        anchor = rule["annotations"]["runbook_url"].split("#", 1)[1]
        assert f'<a id="{anchor}"></a>' in operators_guide, anchor


def test_gateway_metrics_pass_promtool_check_metrics(monitored: Monitored) -> None:
    monitored.call("echo")
    promtool("check", "metrics", stdin=monitored.metrics_text())


def test_rules_name_only_metrics_the_gateway_exports(monitored: Monitored) -> None:
    exported = exported_series_names(monitored.metrics_text())
    recorded = {rule["record"] for rule in rules() if "record" in rule}
    for rule in rules():
        for name in metric_names(rule["expr"]):
            assert name in exported | recorded | {"up"}, f"{name} in {rule['expr']}"


_NAME = re.compile(r"\b(tsunagu[a-z0-9_:]*|up)\b(?=\s*[{\[)\s]|$)")


def metric_names(expr: str) -> set[str]:
    """Series names a PromQL expression reads (our metrics and recorded series)."""
    return set(_NAME.findall(expr))


def exported_series_names(exposition: str) -> set[str]:
    """Every sample name /metrics can produce, from its `# TYPE` lines."""
    suffixes = {
        "counter": ("_total", "_created"),
        "histogram": ("_bucket", "_sum", "_count", "_created"),
        "summary": ("_sum", "_count", "_created"),
        "gauge": ("",),
    }
    names: set[str] = set()
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(maxsplit=3)
            if kind == "counter":  # the text format names the family with or without _total
                name = name.removesuffix("_total")
            names.update(name + suffix for suffix in suffixes.get(kind, ("",)))
    return names
