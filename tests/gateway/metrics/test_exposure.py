"""/metrics behind TSUNAGU_METRICS_TOKEN on the main address, and the probe of its own address."""

from __future__ import annotations

import socket

import httpx
import pytest
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from gateway.metrics import GatewayMetrics
from gateway.metrics_exposure import MetricsEndpoint, probe_address, split_address
from gateway.platform_app import build_platform_app
from gateway.problems import ProblemRenderer

TOKEN = "t0ken-for-metrics"


def client(token: str | None) -> httpx.AsyncClient:
    metrics = GatewayMetrics(CollectorRegistry())
    endpoint = MetricsEndpoint(metrics, SecretStr(token) if token else None)
    app = build_platform_app(ProblemRenderer("http://127.0.0.1:8000"), (), endpoint)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN}x"],
)
async def test_without_the_token_metrics_are_a_401_problem(authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    async with client(TOKEN) as http:
        response = await http.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == 'Bearer realm="metrics"'
    assert response.json()["type"].endswith("#metrics-token-required")
    assert "tsunagu_" not in response.text


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
async def test_with_the_token_metrics_are_served(scheme: str) -> None:
    async with client(TOKEN) as http:
        response = await http.get("/metrics", headers={"Authorization": f"{scheme} {TOKEN}"})
    assert response.status_code == 200
    assert "tsunagu_snapshot_generation" in response.text


async def test_without_a_configured_token_metrics_stay_open() -> None:
    async with client(None) as http:
        response = await http.get("/metrics")
    assert response.status_code == 200


def test_a_held_metrics_address_is_detected_before_the_workers_start() -> None:
    with socket.create_server(("127.0.0.1", 0)) as holder:
        port = holder.getsockname()[1]
        with pytest.raises(OSError):
            probe_address(f"127.0.0.1:{port}")
    probe_address(f"127.0.0.1:{port}")  # free again


def test_addresses_split_into_host_and_port() -> None:
    assert split_address("127.0.0.1:9101") == ("127.0.0.1", 9101)
    assert split_address("[::1]:9101") == ("::1", 9101)
