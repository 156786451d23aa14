"""Serves the built portal at `/portal/` and its api-catalog at `/.well-known/api-catalog`.

`PortalSite` holds the directory of the current build; `swap()` replaces it as a whole, so a
request sees either the old site or the new one, never a mix. Files are served by Starlette's
`StaticFiles` (which refuses paths that leave the directory and answers conditional requests
from ETag / Last-Modified). Around it: caching headers (content-hashed assets for a year,
everything else revalidated), a Content-Security-Policy that keeps the browser on this origin
(no fonts, scripts or beacons from anyone else), and problem+json for a missing file — an HTML
404 page when the caller is a browser asking for HTML.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from gateway.problems import ProblemRenderer, preferred_language
from registry import urls
from registry.problems import Param, ProblemCode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

API_CATALOG_FILE = "api-catalog.linkset.json"
LINKSET_TYPE = b'application/linkset+json; profile="https://www.rfc-editor.org/info/rfc9727"'
HASHED_ASSET = re.compile(r"\.[0-9a-f]{8,}\.min\.(js|css)$")
IMMUTABLE = b"public, max-age=31536000, immutable"
SHORT = b"public, max-age=3600"
REVALIDATE = b"no-cache"
CSP = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; "
    b"frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
SITE_HEADERS = (
    (b"content-security-policy", CSP),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
)


def cache_control(path: str) -> bytes:
    if HASHED_ASSET.search(path):
        return IMMUTABLE
    if path.startswith(("assets/", "stylesheets/")) and not path.endswith(".json"):
        return SHORT
    return REVALIDATE


class PortalSite:
    """The current build of the portal; `None` until the first build has finished."""

    def __init__(self, problems: ProblemRenderer) -> None:
        self._problems = problems
        self._files: StaticFiles | None = None
        self.directory: Path | None = None

    def swap(self, directory: Path) -> Path | None:
        """Serve `directory` from now on; returns the directory served before."""
        previous = self.directory
        self._files = StaticFiles(directory=directory, html=True, check_dir=True)
        self.directory = directory
        return previous

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI app mounted at `/portal` (scope `path` is below the mount)."""
        files = self._files
        if files is None:
            await self._problem(scope, send, "portal-building", {}, [(b"retry-after", b"5")])
            return
        if scope["method"] not in ("GET", "HEAD"):
            params = {"path": scope["path"], "method": scope["method"], "allow": "GET, HEAD"}
            await self._problem(
                scope, send, "method-not-allowed", params, [(b"allow", b"GET, HEAD")]
            )
            return
        relative = scope["path"].removeprefix(scope.get("root_path", "")).lstrip("/")
        tagged = _Tagged(send, cache_control(relative))
        try:
            await files(scope, receive, tagged)
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
            tagged.not_found = True
        if tagged.not_found:
            await self._not_found(scope, send, files)

    async def _not_found(self, scope: Scope, send: Send, files: StaticFiles) -> None:
        accept = _header(scope, b"accept")
        page = Path(str(files.directory)) / "404.html"
        if b"text/html" in accept and page.is_file():
            body = page.read_bytes()
            headers = [(b"content-type", b"text/html; charset=utf-8"), *SITE_HEADERS]
            await _send(send, 404, headers, body, scope["method"] == "HEAD")
            return
        await self._problem(scope, send, "page-not-found", {"path": scope["path"]})

    async def _problem(
        self,
        scope: Scope,
        send: Send,
        code: ProblemCode,
        params: Mapping[str, Param],
        extra: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        request_id = _header(scope, b"x-request-id").decode("latin-1") or uuid.uuid4().hex
        language = preferred_language(_header(scope, b"accept-language"))
        reply = self._problems.reply(
            code, request_id=request_id, language=language, params=params, headers=extra
        )
        await _send(send, reply.status, list(reply.headers), reply.body, scope["method"] == "HEAD")


_NOT_BUILT = (
    "開発者ポータルを準備しています。数秒後にもう一度お試しください。",
    "The developer portal is being built; try again in a few seconds.",
)


def api_catalog_router(site: PortalSite) -> APIRouter:
    """`/.well-known/api-catalog` (RFC 9727 §2): the linkset of the published APIs, as built
    with the site (so it always agrees with the pages it links to)."""
    router = APIRouter()

    @router.api_route(urls.API_CATALOG_PATH, methods=["GET", "HEAD"], include_in_schema=False)
    async def api_catalog() -> Response:
        if site.directory is None:
            raise HTTPException(503, _NOT_BUILT[1], headers={"Retry-After": "5"})
        body = (site.directory / API_CATALOG_FILE).read_bytes()
        headers = {
            "Cache-Control": REVALIDATE.decode(),
            "Link": f'<{urls.API_CATALOG_PATH}>; rel="api-catalog"',
        }
        return Response(body, media_type=LINKSET_TYPE.decode(), headers=headers)

    return router


def _header(scope: Scope, name: bytes) -> bytes:
    return next((v for k, v in scope.get("headers", ()) if k == name), b"")


class _Tagged:
    """Adds the caching and security headers; holds back StaticFiles' own 404 (its HTML page)
    so the caller gets problem+json, or the portal's 404 page when a browser asks for HTML."""

    def __init__(self, send: Send, cache: bytes) -> None:
        self._send = send
        self._cache = cache
        self.not_found = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] == 404:
                self.not_found = True
                return
            headers = [(k, v) for k, v in message.get("headers", []) if k != b"cache-control"]
            headers += [(b"cache-control", self._cache), *SITE_HEADERS]
            message = {**message, "headers": headers}
        elif self.not_found:
            return
        await self._send(message)


async def _send(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, head: bool
) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})
