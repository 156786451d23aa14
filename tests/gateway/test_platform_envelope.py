"""Every platform response carries a sane X-Request-ID; an unexpected error is problem+json."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, Request

from gateway.platform_app import build_platform_app
from gateway.platform_envelope import PlatformEnvelope
from gateway.policies.request_id import RequestIds
from gateway.problems import ProblemRenderer
from gateway.proxy.forwarded import ClientAddress


def app(trusted: str | None = None) -> httpx.AsyncClient:
    problems = ProblemRenderer("http://127.0.0.1:8000")
    router = APIRouter()

    @router.get("/echo")
    async def echo(request: Request) -> dict[str, str | None]:
        client = request.client.host if request.client else None
        return {"id": request.headers.get("x-request-id"), "client": client}

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: /etc/tsunagu")

    inner = build_platform_app(problems, (), None, routers=(router,))
    envelope = PlatformEnvelope(inner, problems, ClientAddress(trusted), RequestIds())
    transport = httpx.ASGITransport(app=envelope, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def test_a_sane_caller_id_is_kept_and_echoed() -> None:
    async with app() as client:
        response = await client.get("/echo", headers={"X-Request-ID": "abc-123"})
    assert response.json()["id"] == "abc-123"
    assert response.headers["x-request-id"] == "abc-123"


async def test_an_unsafe_id_is_replaced_before_any_router_reads_it() -> None:
    async with app() as client:
        response = await client.get("/echo", headers={"X-Request-ID": "<script>" * 3})
    seen = response.json()["id"]
    assert seen != "<script>" * 3 and seen == response.headers["x-request-id"]
    async with app() as client:
        missing = await client.get("/echo")
    assert missing.headers["x-request-id"] == missing.json()["id"]


async def test_unexpected_errors_are_problems_without_internals(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with app() as client:
        response = await client.get("/boom", headers={"Accept-Language": "en"})
    assert "secret internals" in caplog.text  # logged on the server, with the request id
    assert response.headers["x-request-id"] in caplog.text
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "internals" not in response.text and "Traceback" not in response.text
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_the_client_behind_a_trusted_proxy() -> None:
    async with app("127.0.0.0/8") as client:
        response = await client.get("/echo", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.json()["client"] == "203.0.113.9"
    async with app() as client:
        untrusted = await client.get("/echo", headers={"X-Forwarded-For": "203.0.113.9"})
    assert untrusted.json()["client"] == "127.0.0.1"
