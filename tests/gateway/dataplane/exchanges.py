"""Exchanges for policy unit tests, built the way the data plane builds them."""

from __future__ import annotations

from typing import Literal

from gateway.pipeline import Exchange, Message


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def make_exchange(
    method: str = "GET",
    *,
    slug: str = "tax",
    version: str = "v1",
    rest_path: str = "/",
    headers: list[tuple[bytes, bytes]] | None = None,
    kind: Literal["api", "sandbox"] = "api",
) -> Exchange:
    path = f"/{kind}/{slug}/{version}{rest_path}"
    scope = {"type": "http", "method": method, "path": path, "headers": headers or []}
    return Exchange(
        scope=scope,
        receive=_no_body,
        kind=kind,
        method=method,
        slug=slug,
        version=version,
        rest_path=rest_path,
        query_string=b"",
        request_headers=headers or [],
        started_ns=0,
    )
