"""Who may read `/metrics` and where (ADR 0019): the main address, or a listener of its own.

API names and traffic figures need not be public. `TSUNAGU_METRICS_TOKEN` makes `/metrics`
answer only requests with `Authorization: Bearer <token>` (401 `metrics-token-required`
otherwise, compared in constant time); `TSUNAGU_METRICS_ADDRESS=host:port` serves it on a
listener of its own (`MetricsListener`, e.g. on an internal interface) and the main address
answers 404 there. Both can be combined. With several workers every worker binds the metrics
address with SO_REUSEPORT and the kernel hands each scrape to one of them; each renders every
worker's values (multiprocess mode), as on the main address.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import socket

from aiohttp import web
from pydantic import SecretStr

from gateway.metrics import GatewayMetrics, render_metrics
from gateway.problems import ProblemRenderer, preferred_language
from registry.problems import ProblemCode

BEARER = "bearer "
CHALLENGE = 'Bearer realm="metrics"'


class MetricsEndpoint:
    """The `/metrics` answer: the token check and the rendering (off the event loop)."""

    def __init__(self, metrics: GatewayMetrics, token: SecretStr | None) -> None:
        self._metrics = metrics
        self._token = token.get_secret_value().encode() if token is not None else None

    def authorized(self, authorization: str | None) -> bool:
        """True without a configured token, else only for `Bearer <the token>`."""
        if self._token is None:
            return True
        if authorization is None or authorization[: len(BEARER)].lower() != BEARER:
            return False
        offered = authorization[len(BEARER) :].strip().encode("utf-8", "replace")
        return hmac.compare_digest(offered, self._token)

    async def render(self) -> tuple[bytes, str]:
        """Exposition body and content type; multiprocess mode reads files, hence the thread."""
        return await asyncio.to_thread(render_metrics, self._metrics)


def split_address(address: str) -> tuple[str, int]:
    """`host:port` or `[v6]:port` (the setting's pattern has checked the form)."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def probe_address(address: str) -> None:
    """Raise OSError when something already listens on `address`. Binding without SO_REUSEPORT
    fails even against a holder that uses it, so another gateway's listener is caught too."""
    host, port = split_address(address)
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


class MetricsListener:
    """`/metrics` alone on `TSUNAGU_METRICS_ADDRESS`; every other path is a 404 problem."""

    name = "metrics-listener"

    def __init__(
        self,
        endpoint: MetricsEndpoint,
        address: str,
        problems: ProblemRenderer,
        *,
        reuse_port: bool = True,
    ) -> None:
        self._endpoint = endpoint
        self._host, self._port = split_address(address)
        self._problems = problems
        self._reuse_port = reuse_port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port, reuse_port=self._reuse_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.Response:
        if request.path != "/metrics" or request.method not in ("GET", "HEAD"):
            return self._problem(request, "page-not-found", {})
        if not self._endpoint.authorized(request.headers.get("Authorization")):
            return self._problem(request, "metrics-token-required", {"WWW-Authenticate": CHALLENGE})
        body, content_type = await self._endpoint.render()
        return web.Response(body=body, headers={"Content-Type": content_type})

    def _problem(
        self, request: web.Request, code: ProblemCode, headers: dict[str, str]
    ) -> web.Response:
        language = preferred_language(request.headers.get("Accept-Language", "").encode())
        reply = self._problems.reply(code, request_id=os.urandom(8).hex(), language=language)
        out = {k.decode(): v.decode() for k, v in reply.headers}
        out.update(headers)
        return web.Response(status=reply.status, body=reply.body, headers=out)
