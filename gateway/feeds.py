"""`/feeds/changes.atom` and `/feeds/{slug}.atom`: the change feeds, read from the registry."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response

from registry import urls
from registry.service import RegistryService

ATOM = "application/atom+xml"


def feeds_router(service: RegistryService) -> APIRouter:
    router = APIRouter()

    @router.api_route(urls.changes_feed_path(), methods=["GET", "HEAD"], include_in_schema=False)
    async def all_changes() -> Response:
        body = await asyncio.to_thread(service.change_feed, None)
        return Response(body, media_type=ATOM, headers={"Cache-Control": "max-age=60"})

    @router.api_route(
        urls.api_feed_path("{slug}"), methods=["GET", "HEAD"], include_in_schema=False
    )
    async def api_changes(slug: str) -> Response:
        body = await asyncio.to_thread(service.change_feed, slug)
        return Response(body, media_type=ATOM, headers={"Cache-Control": "max-age=60"})

    return router
