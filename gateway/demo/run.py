"""Runs the demo: upstream servers, seeded registry, the gateway, ready-to-paste curl commands."""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import uvicorn
from aiohttp import web
from prometheus_client import CollectorRegistry

from gateway.app import create_app
from gateway.demo.seed import (
    AddressInUse,
    DemoError,
    demo_apis,
    ensure_credentials,
    seed_registry,
)
from gateway.demo.upstreams import DEMO_UPSTREAMS, start_upstream
from gateway.edge.protocol import BoundedHttpToolsProtocol
from gateway.logs import configure_logging
from gateway.metrics import GatewayMetrics
from gateway.proxy.client import UpstreamClient
from gateway.proxy.ssrf import UpstreamGuard
from registry.service import RegistryService
from registry.settings import Settings
from registry.store import open_store
from registry.urls import portal_url

JST = timezone(timedelta(hours=9))


def demo_settings(settings: Settings, host: str, port: int) -> Settings:
    """The demo's upstreams run on loopback, so the SSRF guard must allow exactly that."""
    allow = ",".join(filter(None, [settings.upstream_allow, "127.0.0.1/32"]))
    public = settings.public_url
    if public == Settings.model_fields["public_url"].default:
        public = f"http://{host}:{port}"
    return settings.model_copy(update={"upstream_allow": allow, "public_url": public})


async def run_demo(settings: Settings, host: str, port: int) -> None:
    """Claim the gateway's port first: a busy port ends the demo before it says it runs."""
    settings = demo_settings(settings, host, port)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    runners: list[web.AppRunner] = []
    with listening_socket(host, port) as listener:
        try:
            upstream_base = await _start_upstreams(runners, port)
            server, credentials = await _prepare(settings, host, port, upstream_base)
            credentials_path = settings.var_dir / "demo-credentials.json"
            print(instructions(settings.public_url, credentials, credentials_path), flush=True)
            await server.serve(sockets=[listener])
        finally:
            for runner in runners:
                await runner.cleanup()


def listening_socket(host: str, port: int) -> socket.socket:
    """The gateway's bound socket (uvicorn serves on it later), or `AddressInUse`."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as exc:
        raise AddressInUse(f"{host}:{port}", exc.strerror or str(exc)) from exc


async def _start_upstreams(runners: list[web.AppRunner], port: int) -> dict[str, str]:
    """The three upstream servers on port+1..3; `runners` collects them for cleanup."""
    upstream_base: dict[str, str] = {}
    for offset, upstream in enumerate(DEMO_UPSTREAMS, start=1):
        try:
            runners.append(await start_upstream(upstream.build(), "127.0.0.1", port + offset))
        except OSError as exc:
            raise DemoError(
                f"cannot start the {upstream.slug} upstream on port {port + offset}: "
                f"{exc.strerror}; choose another --port (the demo uses it and the next three)"
            ) from exc
        upstream_base[upstream.slug] = f"http://127.0.0.1:{port + offset}"
    return upstream_base


async def _prepare(
    settings: Settings, host: str, port: int, upstream_base: dict[str, str]
) -> tuple[uvicorn.Server, dict[str, Any]]:
    """Seed the registry (off the event loop), then build the gateway and its server."""
    store = await asyncio.to_thread(open_store, settings)
    service = RegistryService(store, settings)
    today = datetime.now(JST).date()
    await asyncio.to_thread(seed_registry, service, demo_apis(upstream_base), today)
    credentials = await asyncio.to_thread(
        ensure_credentials, service, settings.var_dir / "demo-credentials.json"
    )
    guard = UpstreamGuard(settings.upstream_allow_list())
    metrics = GatewayMetrics(CollectorRegistry())
    app = await asyncio.to_thread(create_app, settings, store, UpstreamClient(guard), metrics)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http=BoundedHttpToolsProtocol,
        proxy_headers=False,
        access_log=False,
        log_config=None,  # uvicorn's records go through gateway.logs' handler
        log_level="warning",
    )
    return uvicorn.Server(config), credentials


def instructions(base: str, credentials: dict[str, Any], credentials_path: Path) -> str:
    dev = credentials["developer_app"]
    sandbox = credentials["sandbox_app"]
    op = credentials["operator"]
    key = credentials["open_data_api_key"]["api_key"]

    def token(app: dict[str, str]) -> str:
        user = shlex.quote(f"{app['client_id']}:{app['client_secret']}")
        return (
            f"$(curl -s -u {user} -d grant_type=client_credentials {base}/oauth/token"
            " | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')"
        )

    bearer = '-H "Authorization: Bearer $TOKEN"'
    sandboxed = '-H "Authorization: Bearer $SANDBOX"'
    lines = [
        "",
        f"Tsunagu demo is running on {base}  (Ctrl-C to stop)",
        f"Credentials: {credentials_path}",
        f"Developer portal: {portal_url(base)}  (built in the background; ready in a minute)",
        "",
        "# a production token for the developer app, then three government APIs:",
        f"TOKEN={token(dev)}",
        f"curl -s {bearer} {base}/api/houjin/v2/corporations/7000012050002",
        f'curl -s {bearer} "{base}/api/facilities/v1/facilities?prefecture_code=13&limit=2"',
        f'curl -si {bearer} "{base}/api/houjin/v1/corporations?limit=1"'
        "   # deprecated: Deprecation, Sunset, Link headers",
        "# open data with an API key (header only):",
        f'curl -s -H "X-API-Key: {key}" "{base}/api/postal/v1/addresses?prefecture_code=13"',
        "# the sandbox answers from the OpenAPI examples:",
        f"SANDBOX={token(sandbox)}",
        f"curl -s {sandboxed} {base}/sandbox/houjin/v2/corporations/7000012050002",
        f'curl -s {sandboxed} -H "Prefer: code=404" {base}/sandbox/postal/v1/postal_codes/1000013',
        "# the operator's view:",
        f"ADMIN={token(op)}",
        f'curl -s -H "Authorization: Bearer $ADMIN" {base}/admin/v1/apis',
        f"curl -s {base}/metrics | grep tsunagu_requests_total",
        "",
    ]
    return "\n".join(lines)


def main(settings: Settings, host: str, port: int) -> None:
    configure_logging(settings)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_demo(settings, host, port))
