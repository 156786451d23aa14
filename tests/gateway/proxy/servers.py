"""Real loopback servers for proxy tests: an aiohttp echo upstream, raw TCP upstreams, a gateway.

Every server is started on a free 127.0.0.1 port and stopped by its owner's context manager.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from aiohttp import web

from gateway.asgi import DataPlane
from gateway.pipeline import Receive, Scope, Send
from gateway.policies.cors import CorsPolicy
from gateway.policies.deprecation import DeprecationPolicy
from gateway.policies.path_safety import PathSafetyPolicy
from gateway.policies.request_id import RequestIdPolicy
from gateway.policies.route import RoutePolicy
from gateway.problems import ProblemRenderer
from gateway.proxy.client import UpstreamClient
from gateway.proxy.handler import ProxyHandler
from gateway.proxy.ssrf import Lookup, UpstreamGuard
from registry.models import RouteEntry
from registry.settings import load_settings
from tests.gateway.dataplane.routes import NOW, holder
from tests.services import free_port

STREAM_CHUNK = 64 * 1024
STREAM_TOTAL = 20 * 1024 * 1024


@dataclass
class Upstream:
    """The echo upstream: `hits` counts requests per path; `release` unblocks slow handlers."""

    url: str
    hits: Counter[str] = field(default_factory=Counter)
    release: asyncio.Event = field(default_factory=asyncio.Event)


def _echo_app(state: Upstream) -> web.Application:
    async def echo(request: web.Request) -> web.Response:
        state.hits[request.path] += 1
        body = await request.read()
        return web.json_response(
            {
                "method": request.method,
                "path": request.path,
                "query": request.query_string,
                "raw_query": request.rel_url.raw_query_string,
                "headers": [
                    [k.decode("latin-1").lower(), v.decode("latin-1")]
                    for k, v in request.raw_headers
                ],
                "length": len(body),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        )

    async def stream(request: web.Request) -> web.StreamResponse:
        state.hits[request.path] += 1
        response = web.StreamResponse()
        response.content_length = STREAM_TOTAL
        await response.prepare(request)
        await response.write(b"a" * STREAM_CHUNK)
        await asyncio.wait_for(state.release.wait(), 10)  # the client must read first
        for _ in range(STREAM_TOTAL // STREAM_CHUNK - 1):
            await response.write(b"b" * STREAM_CHUNK)
        await response.write_eof()
        return response

    async def slow(request: web.Request) -> web.Response:
        state.hits[request.path] += 1
        await asyncio.wait_for(state.release.wait(), 10)
        return web.Response(text="late")

    async def redirect(request: web.Request) -> web.Response:
        state.hits[request.path] += 1
        return web.Response(
            status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
        )

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_route("*", "/base/stream", stream)
    app.router.add_route("*", "/base/slow", slow)
    app.router.add_route("*", "/base/redirect", redirect)
    app.router.add_route("*", "/{tail:.*}", echo)
    return app


@asynccontextmanager
async def echo_upstream() -> AsyncIterator[Upstream]:
    port = free_port()
    state = Upstream(url=f"http://127.0.0.1:{port}/base")
    runner = web.AppRunner(_echo_app(state), access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield state
    finally:
        state.release.set()
        await runner.cleanup()


@dataclass
class RawServer:
    """A TCP listener that answers every connection with fixed bytes (or closes at once)."""

    port: int
    connections: int = 0


@asynccontextmanager
async def raw_server(answer: bytes | None) -> AsyncIterator[RawServer]:
    """`answer=None`: accept and close; else read the request head and write `answer`, close."""
    state = RawServer(port=free_port())

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections += 1
        try:
            if answer is not None:
                await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", state.port)
    try:
        yield state
    finally:
        server.close()
        await server.wait_closed()


async def _fallback(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b"fallback"})


@asynccontextmanager
async def gateway(
    routes: Sequence[RouteEntry],
    *,
    allow: Sequence[str] = ("127.0.0.1",),
    lookup: Lookup | None = None,
    dns_cache_seconds: int | None = 10,
    **settings: Any,
) -> AsyncIterator[str]:
    """A real uvicorn server on a free port serving a DataPlane with the proxy; yields its URL."""
    config = load_settings(public_url="http://gw.test", **settings)
    problems = ProblemRenderer(config.public_url)
    client = UpstreamClient(
        UpstreamGuard(allow), lookup=lookup, dns_cache_seconds=dns_cache_seconds
    )
    await client.start()
    clock: Callable[[], Any] = lambda: NOW  # noqa: E731
    app = DataPlane(
        [
            RequestIdPolicy(),
            RoutePolicy(holder(routes), problems, clock),
            CorsPolicy(),
            DeprecationPolicy(config),
            PathSafetyPolicy(problems),
        ],
        {"api": ProxyHandler(client, config, problems)},
        problems,
        _fallback,
        trusted_proxies=config.trusted_proxies,
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            lifespan="off",
            log_level="critical",
            proxy_headers=False,  # the DataPlane decides which proxies to trust
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
        await client.close()
