"""A real upstream HTTP server (aiohttp) on loopback, in a background thread of the test."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from aiohttp import web

from tests.services import free_port


@contextmanager
def upstream_server(build: Callable[[], web.Application]) -> Iterator[str]:
    """Serve `build()` on a free loopback port; yields its base URL; stops on exit."""
    port = free_port()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    runner_box: list[web.AppRunner] = []

    async def start() -> None:
        runner = web.AppRunner(build(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runner_box.append(runner)
        started.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not started.wait(10):
        raise AssertionError("upstream did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(runner_box[0].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def echo_app() -> web.Application:
    """Answers every request with what it received (method, path, query, selected headers)."""

    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        return web.json_response(
            {
                "method": request.method,
                "path": request.path,
                "raw_path": request.raw_path.split("?")[0],
                "query": request.query_string,
                "authorization": request.headers.get("Authorization"),
                "x_forwarded_for": request.headers.get("X-Forwarded-For"),
                "x_request_id": request.headers.get("X-Request-ID"),
                "x_tsunagu_client_id": request.headers.getall("X-Tsunagu-Client-Id", []),
                "body": body.decode("utf-8", "replace"),
            }
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", echo)
    return app
