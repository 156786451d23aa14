"""Building routes, claims and exchanges for the rate-limit and metrics tests."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Literal

from gateway.pipeline import Exchange, Message, TokenClaims
from gateway.problems import ProblemRenderer
from registry.models import RatePlan, RouteEntry, VersionState

# 30 s into a minute: 1_800_000_030 % 60 == 30. Its JST day (UTC+9) ends 25,170 s later:
# (1_800_000_030 + 32_400) % 86_400 == 61_230 and 86_400 - 61_230 == 25_170.
FIXED_NOW = 1_800_000_030.0
MINUTE_LEFT = 30
DAY_LEFT = 25_170


def fixed_clock() -> float:
    return FIXED_NOW


def problems() -> ProblemRenderer:
    return ProblemRenderer("http://127.0.0.1:8000")


def route(
    plan: RatePlan | None = None,
    slug: str = "tenki",
    version: str = "v1",
    state: VersionState = VersionState.PUBLISHED,
) -> RouteEntry:
    return RouteEntry(
        slug=slug,
        version=version,
        provider_id="jma",
        state=state,
        upstream_url="http://127.0.0.1:9",
        document={},
        plan=plan or RatePlan(),
        open_data=False,
        write_scope=False,
        cors_origins=(),
        connect_timeout=None,
        read_timeout=None,
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
        deprecated_at=None,
        sunset=None,
        successor=None,
    )


def claims(client_id: str = "app-1") -> TokenClaims:
    return TokenClaims(subject=client_id, client_id=client_id, scopes=frozenset(), sandbox=False)


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def exchange(
    entry: RouteEntry | None = None,
    who: TokenClaims | None = None,
    *,
    kind: Literal["api", "sandbox"] = "api",
    ip: str = "127.0.0.1",
    method: str = "GET",
    slug: str | None = None,
    language: Literal["ja", "en"] = "en",
) -> Exchange:
    return Exchange(
        scope={"type": "http", "client": (ip, 50000)},
        receive=_receive,
        kind=kind,
        method=method,
        slug=slug if slug is not None else (entry.slug if entry else "tenki"),
        version=entry.version if entry else "v1",
        rest_path="/forecast",
        query_string=b"",
        request_headers=[],
        started_ns=time.perf_counter_ns(),
        request_id=uuid.uuid4().hex,
        language=language,
        route=entry,
        claims=who,
        client_ip=ip,
    )


def headers_of(ex: Exchange) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in ex.response_headers}


def delete_keys(redis_url: str, key_prefix: str) -> None:
    """Remove a test's counters from the shared Redis (they would expire, the day ones slowly)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{key_prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
