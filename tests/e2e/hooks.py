"""A real webhook receiver (aiohttp, via `upstream_server`) that keeps every request it gets."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class HookLog:
    status: int = 204  # what the receiver answers (a 500 makes the sender retry)
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def app(self) -> Callable[[], web.Application]:
        def build() -> web.Application:
            async def receive(request: web.Request) -> web.Response:
                body = (await request.read()).decode()
                with self.lock:
                    self.requests.append(Received(request.path, dict(request.headers), body))
                return web.Response(status=self.status)

            application = web.Application()
            application.router.add_post("/{name}", receive)
            return application

        return build
