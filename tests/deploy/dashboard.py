"""The PromQL expressions of the shipped Grafana dashboard."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tests.deploy.conftest import DEPLOY

DASHBOARD = DEPLOY / "grafana" / "tsunagu.json"


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def expressions() -> Iterator[str]:
    """Every panel target and every query variable, as written."""
    for panel in dashboard()["panels"]:
        for target in panel.get("targets", []):
            yield str(target["expr"])
    for variable in dashboard()["templating"]["list"]:
        if variable["type"] == "query":
            query = str(variable["query"])
            yield query.removeprefix("label_values(").rsplit(",", 1)[0]


def runnable(expr: str) -> str:
    """The expression with the dashboard's variables set to "every API"."""
    return expr.replace("$slug", ".*").replace("$version", ".*")
