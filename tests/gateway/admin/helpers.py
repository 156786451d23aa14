"""Small helpers for the admin API tests: principals as headers, setting up providers."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.gateway.cli.documents import GOOD

BASE = "/admin/v1"
OPERATOR = {"X-Test-As": "operator"}
UPSTREAM = "https://upstream.example.go.jp/data"


def provider(provider_id: str) -> dict[str, str]:
    return {"X-Test-As": f"provider:{provider_id}"}


async def add_provider(client: AsyncClient, provider_id: str) -> None:
    body = {
        "id": provider_id,
        "name_ja": "デジタル庁",
        "name_en": "Digital Agency",
        "contact": f"api@{provider_id}.example.go.jp",
    }
    response = await client.post(f"{BASE}/providers", json=body, headers=OPERATOR)
    assert response.status_code == 201, response.text


async def register(
    client: AsyncClient, as_provider: str, slug: str, document: str = GOOD, owner: str = ""
) -> Any:
    body = {
        "document": document,
        "upstream_url": UPSTREAM,
        "provider_id": owner or as_provider,
        "slug": slug,
    }
    response = await client.post(f"{BASE}/apis", json=body, headers=provider(as_provider))
    assert response.status_code == 201, response.text
    return response.json()


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "request_id"} <= problem.keys()
    assert problem["status"] == status
    assert "Traceback" not in response.text
    return problem
