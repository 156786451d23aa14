"""`tsunagu serve` and `tsunagu demo`: run the gateway with uvicorn (uvloop + httptools, with
the edge limits of `gateway.edge.protocol`, ADR 0014); several workers run under
`gateway.supervisor` (ADR 0020)."""

from __future__ import annotations

import contextlib
import os
import shutil
from typing import TYPE_CHECKING, Annotated

import typer

from gateway.cli_errors import fail, refuse, reported

if TYPE_CHECKING:  # the server's modules load when a command runs, not at start (gateway/cli.py)
    import uvicorn

    from registry.settings import Settings

Host = Annotated[str, typer.Option("--host", help="Interface to listen on.")]
Port = Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")]
Workers = Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")]
WORKER_PING_SECONDS = 30


def serve(host: Host = "127.0.0.1", port: Port = 8000, workers: Workers = 1) -> None:
    """Serve the gateway, the OAuth server and the admin API until interrupted."""
    import uvicorn

    from gateway.edge.protocol import BoundedHttpToolsProtocol
    from gateway.logs import configure_logging, log_startup
    from gateway.metrics import forget_worker
    from gateway.supervisor import Supervisor
    from registry.settings import load_settings

    with reported():
        settings = load_settings()
        configure_logging(settings)
        prepare(settings, workers)
    log_startup(settings, host, port, workers)
    config = uvicorn.Config(
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
        # A new worker answers the supervisor's ping only once it has imported the application;
        # on a busy host that takes more than uvicorn's 5 s, and the supervisor would kill and
        # respawn it forever. A worker that dies is still replaced at once (ADR 0020).
        timeout_worker_healthcheck=WORKER_PING_SECONDS,
    )
    if workers == 1:
        run_one(config)
    else:
        Supervisor(config, [config.bind_socket()], on_worker_exit=forget_worker).run()


def run_one(config: uvicorn.Config) -> None:
    """One process, as `uvicorn.run` does it: exit 3 when the application could not start."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE

    config.load_app()
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        raise typer.Exit(STARTUP_FAILURE)


def prepare(settings: Settings, workers: int) -> None:
    """Migrate once before the workers start, and set up multiprocess metrics for N workers
    (an empty directory, so no file of an earlier run's workers is aggregated); a malformed
    TSUNAGU_SMTP_URL or a busy TSUNAGU_METRICS_ADDRESS ends the start here, in one line (not a
    traceback per worker)."""
    from registry.notices.smtp import parse_smtp_url
    from registry.store import open_store

    if settings.smtp_url:
        parse_smtp_url(settings.smtp_url)
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
    from registry.settings import load_settings

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
