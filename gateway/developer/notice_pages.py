"""The app page's webhook and subscription forms: save (the page then shows the signing secret
once), remove, subscribe, unsubscribe. A refused URL or API shows next to its field."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from gateway.developer.app_pages import render_detail
from gateway.developer.forms import FormErrors
from gateway.developer.notice_sections import API_FIELD, URL_FIELD
from registry.errors import RegistryError

if TYPE_CHECKING:
    from gateway.developer.pages import Handler, Pages


def routes(pages: Pages) -> list[tuple[str, list[str], Handler]]:
    return [
        ("/apps/{client_id}/webhook", ["POST"], _set_webhook(pages)),
        ("/apps/{client_id}/webhook/delete", ["POST"], _remove_webhook(pages)),
        ("/apps/{client_id}/subscriptions", ["POST"], _subscribe(pages)),
        ("/apps/{client_id}/subscriptions/delete", ["POST"], _unsubscribe(pages)),
    ]


def _set_webhook(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        form = await pages.checked_form(request)
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        client_id = request.path_params["client_id"]
        url = form.get(URL_FIELD, "").strip()
        try:
            created = await asyncio.to_thread(pages.service.set_webhook, developer, client_id, url)
        except RegistryError as exc:
            if exc.status == 404:
                raise
            errors = FormErrors()
            errors.add(exc, field=URL_FIELD)
            return await render_detail(
                pages, request, developer, client_id, errors=errors, values=form
            )
        return await render_detail(pages, request, developer, client_id, webhook=created)

    return handler


def _remove_webhook(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        await pages.checked_form(request)
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        client_id = request.path_params["client_id"]
        await asyncio.to_thread(pages.service.remove_webhook, developer, client_id)
        return RedirectResponse(pages.path(f"apps/{client_id}") + "#webhook", status_code=303)

    return handler


def _subscribe(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        form = await pages.checked_form(request)
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        client_id = request.path_params["client_id"]
        slug = form.get(API_FIELD, "")
        try:
            await asyncio.to_thread(pages.service.subscribe, developer, client_id, slug)
        except RegistryError as exc:
            if exc.code == "app-not-yours":
                raise
            errors = FormErrors()
            errors.add(exc, field=API_FIELD)
            return await render_detail(
                pages, request, developer, client_id, errors=errors, values=form
            )
        return RedirectResponse(pages.path(f"apps/{client_id}") + "#subscriptions", status_code=303)

    return handler


def _unsubscribe(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        form = await pages.checked_form(request)
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        client_id = request.path_params["client_id"]
        slug = form.get("api", "")
        await asyncio.to_thread(pages.service.unsubscribe, developer, client_id, slug)
        return RedirectResponse(pages.path(f"apps/{client_id}") + "#subscriptions", status_code=303)

    return handler
