"""A recording upstream (aiohttp on loopback, in a thread) for the black-box security tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import web

from tests.services import free_port


@dataclass(frozen=True)
class Seen:
    """One request as the upstream received it."""

    method: str
    raw_path: str
    headers: dict[str, str]


@dataclass
class Upstream:
    base_url: str
    seen: list[Seen] = field(default_factory=list)

    def paths(self) -> list[str]:
        return [s.raw_path for s in self.seen]


def _app(upstream: Upstream) -> web.Application:
    """Echoes every request; `…/status/<code>` answers that code with the upstream's own body,
    `…/cookie` sets a cookie and names its platform."""

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        upstream.seen.append(Seen(request.method, request.raw_path, dict(request.headers)))
        tail = request.match_info["tail"]
        if "/status/" in f"/{tail}":
            code = int(tail.rsplit("/", 1)[1])
            return web.json_response({"upstream": True, "code": code}, status=code)
        if tail.endswith("/cookie"):  # what a careless upstream sends back
            response = web.json_response({"cookie": True})
            response.headers.add("Set-Cookie", "session=upstream; Path=/; HttpOnly")
            response.headers.add("X-Powered-By", "PHP/5.4.0")
            return response
        return web.json_response({"path": request.raw_path})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


@contextmanager
def recording_upstream() -> Iterator[Upstream]:
    """Serve the recording app on a free loopback port until the block ends."""
    upstream = Upstream(f"http://127.0.0.1:{free_port()}")
    port = int(upstream.base_url.rsplit(":", 1)[1])
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(_app(upstream), access_log=None)

    async def start() -> None:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()

    loop.run_until_complete(start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield upstream
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
