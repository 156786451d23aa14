"""`tsunagu serve` and `tsunagu demo`: run the gateway with uvicorn (uvloop + httptools, with
the edge limits of `gateway.edge.protocol`, ADR 0014)."""

from __future__ import annotations

import os
import shutil
from typing import Annotated

import typer
import uvicorn

from gateway.cli_errors import fail, refuse, reported
from gateway.edge.protocol import BoundedHttpToolsProtocol
from gateway.logs import configure_logging, log_startup
from registry.settings import Settings, load_settings
from registry.store import open_store

Host = Annotated[str, typer.Option("--host", help="Interface to listen on.")]
Port = Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")]
Workers = Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")]


def serve(host: Host = "127.0.0.1", port: Port = 8000, workers: Workers = 1) -> None:
    """Serve the gateway, the OAuth server and the admin API until interrupted."""
    with reported():
        settings = load_settings()
        configure_logging(settings)
        prepare(settings, workers)
    log_startup(settings, host, port, workers)
    uvicorn.run(
        "gateway.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http=BoundedHttpToolsProtocol,
        proxy_headers=False,  # X-Forwarded-For is trusted only from TSUNAGU_TRUSTED_PROXIES
        access_log=False,  # Tsunagu's own access log: TSUNAGU_ACCESS_LOG (gateway.logs)
        log_config=None,  # uvicorn's records go through gateway.logs' handler too
        log_level="warning",
    )


def prepare(settings: Settings, workers: int) -> None:
    """Migrate once before the workers start, and set up multiprocess metrics for N workers;
    a busy TSUNAGU_METRICS_ADDRESS ends the start here, in one line."""
    open_store(settings).dispose()
    if settings.metrics_address:
        from gateway.metrics_exposure import probe_address  # aiohttp: only when it is needed

        try:
            probe_address(settings.metrics_address)
        except OSError as exc:
            address, reason = settings.metrics_address, exc.strerror or str(exc)
            refuse(
                "address-in-use",
                2,
                address=address,
                reason=reason,
                option="TSUNAGU_METRICS_ADDRESS",
            )
    if workers > 1:
        directory = (settings.var_dir / "prometheus").resolve()
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


def demo(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Seed demo providers and APIs with real upstream servers, then serve them."""
    from gateway.demo.run import main
    from gateway.demo.seed import AddressInUse, DemoError

    with reported():
        settings = load_settings()
        try:
            main(settings, host, port)
        except AddressInUse as exc:
            refuse("address-in-use", 2, address=exc.address, reason=exc.reason, option="--port")
        except DemoError as exc:
            fail(str(exc), 2)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("demo")(demo)
