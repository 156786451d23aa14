"""slowapi on a FastAPI router: keyed by the peer address, problem+json 429, Redis fallback."""

from __future__ import annotations

import uuid

import httpx
import orjson
import pytest
from fastapi import APIRouter, FastAPI, Request, Response

from gateway.problems import ProblemRenderer
from gateway.routers_limiter import build_router_limiter, install_limiter
from registry.settings import Settings
from tests.services import free_port


def make_app(settings: Settings) -> FastAPI:
    limiter = build_router_limiter(settings)
    router = APIRouter()

    @router.post("/oauth/token")
    @limiter.limit("2/minute")
    async def token(request: Request, response: Response) -> dict[str, str]:
        return {"ok": "yes"}

    app = FastAPI()
    app.include_router(router)
    install_limiter(app, limiter, ProblemRenderer("http://127.0.0.1:8000"))
    return app


def client(app: FastAPI, peer: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def test_limit_per_peer_ignores_forwarded_for() -> None:
    app = make_app(Settings())
    async with client(app, "203.0.113.5") as c:
        codes = [
            (await c.post("/oauth/token", headers={"x-forwarded-for": f"10.0.0.{i}"})).status_code
            for i in range(3)
        ]
        assert codes == [200, 200, 429]  # a spoofed X-Forwarded-For makes no new bucket
    async with client(app, "203.0.113.6") as other:
        assert (await other.post("/oauth/token")).status_code == 200


async def test_429_is_problem_json_with_headers() -> None:
    app = make_app(Settings())
    async with client(app, "198.51.100.1") as c:
        first = await c.post("/oauth/token")
        assert first.headers["x-ratelimit-limit"] == "2"
        assert first.headers["x-ratelimit-remaining"] == "1"
        assert "retry-after" not in first.headers  # meaningful on 429/503 only
        await c.post("/oauth/token")
        refused = await c.post("/oauth/token", headers={"accept-language": "en"})
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["x-ratelimit-remaining"] == "0"
    body = orjson.loads(refused.content)
    assert body["title"] == "Too many requests" and body["status"] == 429
    assert body["type"].endswith("#too-many-requests")
    assert refused.headers["content-language"] == "en" and "2 per 1 minute" in body["detail"]


@pytest.mark.redis
async def test_counts_in_redis(redis_url: str) -> None:
    peer = "10.{}.{}.{}".format(*uuid.uuid4().bytes[:3])  # Redis keys outlive the test run
    first, second = make_app(Settings(redis_url=redis_url)), make_app(Settings(redis_url=redis_url))
    async with client(first, peer) as a, client(second, peer) as b:
        codes = [(await c.post("/oauth/token")).status_code for c in (a, b, a)]
    assert codes == [200, 200, 429]  # two app instances share the counter


async def test_redis_down_keeps_limiting_in_memory() -> None:
    app = make_app(Settings(redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    async with client(app, "192.0.2.44") as c:
        codes = [(await c.post("/oauth/token")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
