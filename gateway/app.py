"""The composition root: builds the gateway ASGI application from its collaborators.

`create_app(settings, store, upstream_client, metrics)` wires the registry, the OAuth server, the
policies and the two handlers; `app_from_environment()` is the uvicorn factory that
`tsunagu serve` runs (one per worker process). Nothing is built at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from gateway.admin.app import build_admin_app
from gateway.asgi import DataPlane, Kind
from gateway.background import BackgroundServices, FileLease, Hooks, Lease, PostgresLease
from gateway.background.services import nothing
from gateway.body_cap import BodyCap, bearer_required
from gateway.compiled_routes import CompiledRoutes
from gateway.invalidation import Invalidation, build_invalidation
from gateway.invalidation.local import WakingRevocations, wake_after_writes
from gateway.logs import AccessLog, configure_logging
from gateway.metrics import GatewayMetrics
from gateway.metrics_catalogue import CatalogueCollector
from gateway.metrics_exposure import MetricsEndpoint, MetricsListener
from gateway.oauth.keys import KeyRing
from gateway.oauth.principal import principal_from_bearer
from gateway.oauth.router import build_oauth_router
from gateway.oauth.verifier import TokenVerifier
from gateway.pipeline import Handler, Policy
from gateway.platform_app import ReadinessCheck, build_platform_app
from gateway.platform_envelope import PlatformEnvelope
from gateway.policies.access_log import AccessLogPolicy
from gateway.policies.auth import AuthenticationPolicy
from gateway.policies.cors import CorsPolicy
from gateway.policies.deprecation import DeprecationPolicy
from gateway.policies.ip_guard import IpRateLimitPolicy
from gateway.policies.methods import MethodPolicy
from gateway.policies.metrics import MetricsPolicy
from gateway.policies.path_safety import PathSafetyPolicy
from gateway.policies.ratelimit import RateLimitPolicy
from gateway.policies.request_id import RequestIdPolicy, RequestIds
from gateway.policies.route import RoutePolicy
from gateway.policies.scope import ScopePolicy
from gateway.policies.security_headers import SecurityHeadersPolicy
from gateway.policies.traffic import TrafficPolicy
from gateway.policies.usage import UsagePolicy
from gateway.problems import ProblemRenderer
from gateway.proxy.client import UpstreamClient
from gateway.proxy.forwarded import ClientAddress
from gateway.proxy.handler import ProxyHandler
from gateway.proxy.ssrf import UpstreamGuard
from gateway.ratelimit.counter import WindowCounter, build_counter
from gateway.routers_limiter import build_router_limiter, install_limiter
from gateway.sandbox.handler import SandboxHandler
from gateway.site.files import PortalSite, api_catalog_router
from gateway.site.rebuilder import PortalMetrics, PortalRebuilder
from gateway.snapshots import SnapshotHolder, SnapshotRefresher
from portal.catalogue import latest_change_id
from registry.clock import utc_now
from registry.models import Snapshot
from registry.secrets import hash_secret, verify_secret
from registry.service import RegistryService
from registry.settings import Settings, load_settings
from registry.slo import Objectives
from registry.snapshot import RegistryReader
from registry.store import Store, open_store
from registry.store.engine import libpq_conninfo

log = logging.getLogger(__name__)
# The largest body any other platform route takes (OAuth forms, revocation, introspection).
PLATFORM_FORM_BODY_BYTES = 64 * 1024


@dataclass
class Runtime:
    """The long-lived pieces: what the lifespan starts and stops, and what the parts share."""

    settings: Settings
    service: RegistryService
    holder: SnapshotHolder
    verifier: TokenVerifier
    problems: ProblemRenderer
    metrics: GatewayMetrics
    ids: RequestIds
    refresher: SnapshotRefresher
    invalidation: Invalidation
    usage: UsagePolicy
    traffic: TrafficPolicy
    counter: WindowCounter
    upstream: UpstreamClient
    ring: KeyRing
    store: Store
    routes: CompiledRoutes
    site: PortalSite
    portal: PortalRebuilder | None  # None when TSUNAGU_PORTAL_AUTOBUILD is off
    access_log: AccessLog | None  # None when TSUNAGU_ACCESS_LOG is unset
    metrics_endpoint: MetricsEndpoint
    metrics_listener: MetricsListener | None  # on TSUNAGU_METRICS_ADDRESS when it is set


def create_app(
    settings: Settings,
    store: Store,
    upstream_client: UpstreamClient,
    metrics: GatewayMetrics,
) -> DataPlane:
    """The gateway: data plane in front, platform routers behind it. Reads the store once
    (signing key, first snapshot), so call it before the event loop serves or in a thread."""
    service = RegistryService(store, settings)
    reader = RegistryReader(store)
    ring = KeyRing(store, settings)
    ring.ensure()  # the first signing key must be in the first snapshot
    holder = SnapshotHolder(reader.snapshot())
    holder.on_replace(lambda s: metrics.snapshot_loaded(s.generation, time.time()))
    metrics.snapshot_loaded(holder.current.generation, time.time())
    metrics.add_live_collector(
        CatalogueCollector(
            lambda: holder.current,
            Objectives(settings.slo_availability_percent, settings.slo_latency_p95_ms),
            settings.launch_watch_days,
        )
    )
    refresher = SnapshotRefresher(
        holder, reader, settings.snapshot_poll_seconds, metrics.registry_generation_seen
    )
    routes = CompiledRoutes()
    routes.refresh(holder.current)
    holder.on_replace(routes.refresh)
    problems = ProblemRenderer(settings.public_url)
    site = PortalSite(problems)
    portal = _portal_rebuilder(settings, store, site, metrics, holder)
    endpoint = MetricsEndpoint(metrics, settings.metrics_token)
    runtime = Runtime(
        settings=settings,
        service=service,
        holder=holder,
        verifier=TokenVerifier(holder, settings),
        problems=problems,
        metrics=metrics,
        ids=RequestIds(),
        refresher=refresher,
        invalidation=build_invalidation(settings, store, holder, refresher),
        usage=UsagePolicy(service.record_usage),
        traffic=TrafficPolicy(
            store.add_traffic, service.compact_traffic, settings.traffic_flush_seconds
        ),
        counter=build_counter(
            settings.redis_url,
            key_prefix=settings.redis_key("rl"),
            timeout_seconds=settings.redis_timeout_seconds,
            on_fallback=metrics.fallback_used,
        ),
        upstream=upstream_client,
        ring=ring,
        store=store,
        routes=routes,
        site=site,
        portal=portal,
        access_log=AccessLog(settings.access_log) if settings.access_log else None,
        metrics_endpoint=endpoint,
        metrics_listener=(
            MetricsListener(endpoint, settings.metrics_address, problems)
            if settings.metrics_address
            else None
        ),
    )
    handlers: dict[Kind, Handler] = {
        "api": ProxyHandler(upstream_client, settings, problems),
        "sandbox": SandboxHandler(problems, routes),
    }
    platform = BodyCap(_platform(runtime), problems, PLATFORM_FORM_BODY_BYTES, exempt=("/admin/",))
    envelope = PlatformEnvelope(
        platform, problems, ClientAddress(settings.trusted_proxies), runtime.ids
    )
    return DataPlane(
        _pipeline(runtime),
        handlers,
        problems,
        envelope,
        trusted_proxies=settings.trusted_proxies,
    )


def _portal_rebuilder(
    settings: Settings,
    store: Store,
    site: PortalSite,
    metrics: GatewayMetrics,
    holder: SnapshotHolder,
) -> PortalRebuilder | None:
    """The portal is rebuilt whenever a new snapshot arrives (it checks the change log)."""
    if not settings.portal_autobuild:
        return None
    rebuilder = PortalRebuilder(
        settings,
        site,
        PortalMetrics(metrics.registry),
        lambda: latest_change_id(store),
        debounce_seconds=settings.portal_debounce_seconds,
    )
    holder.on_replace(lambda _: rebuilder.notify())
    return rebuilder


def _pipeline(runtime: Runtime) -> tuple[Policy, ...]:
    """The policies, top to bottom. Preflight (CORS) is answered before authentication because
    browsers send no credentials on it; the per-IP guard runs before authentication and counts
    (in on_complete) only unauthenticated or failed requests, so token guessing meets it and
    paying traffic does not; metrics, usage and the access log act in on_complete.
    Path safety comes last: no handler sees a path that could climb out of the API's base
    path."""
    settings, holder, problems = runtime.settings, runtime.holder, runtime.problems
    return (
        RequestIdPolicy(runtime.ids),
        SecurityHeadersPolicy(settings),
        RoutePolicy(holder, problems, utc_now),
        MethodPolicy(problems),
        CorsPolicy(runtime.routes),
        IpRateLimitPolicy(settings, problems),
        AuthenticationPolicy(runtime.verifier, holder, problems),
        ScopePolicy(problems),
        RateLimitPolicy(settings, problems, runtime.counter),
        DeprecationPolicy(settings),
        MetricsPolicy(runtime.metrics),
        runtime.usage,
        runtime.traffic,
        AccessLogPolicy(runtime.access_log),
        PathSafetyPolicy(problems),
    )


def _platform(runtime: Runtime) -> FastAPI:
    """Health, metrics, OAuth and the admin API; local writes wake the snapshot refresher."""
    settings, service, verifier = runtime.settings, runtime.service, runtime.verifier
    limiter = build_router_limiter(settings)
    wake = runtime.refresher.wake
    oauth = build_oauth_router(
        settings,
        clients=service,
        ring=runtime.ring,
        revocations=WakingRevocations(runtime.store, wake),
        verifier=verifier,
        verify_secret=verify_secret,
        hash_secret=hash_secret,
        scopes_supported=lambda: supported_scopes(runtime.holder.current),
        rate_limit=limiter.limit(f"{settings.token_per_minute}/minute"),
    )
    admin = build_admin_app(
        service, principal_from_bearer(verifier), public_url=settings.public_url
    )
    gated_admin = BodyCap(
        wake_after_writes(admin, wake),
        runtime.problems,
        settings.platform_max_body_bytes,
        admit=bearer_required(verifier),
    )
    platform = build_platform_app(
        runtime.problems,
        readiness=_readiness(runtime, settings),
        metrics=None if runtime.metrics_listener else runtime.metrics_endpoint,
        routers=(oauth, api_catalog_router(runtime.site)),
        mounts=(("/admin/v1", gated_admin), ("/portal", runtime.site)),
    )
    install_limiter(platform, limiter, runtime.problems)
    platform.router.lifespan_context = _lifespan(runtime)
    return platform


def _lifespan(runtime: Runtime) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with background_services(runtime).running():
            freeze_startup_heap()
            yield

    return lifespan


def background_services(runtime: Runtime) -> BackgroundServices:
    """Everything that runs beside the requests, in start order (stopped in reverse): the
    resources first, then the loops that use them. Add a new worker here (ADR 0012)."""
    store = runtime.store
    return BackgroundServices(
        [
            Hooks("registry-store", nothing, lambda: asyncio.to_thread(store.dispose)),
            *access_log(runtime),
            Hooks("upstream-client", runtime.upstream.start, runtime.upstream.close),
            Hooks("rate-limit-counter", nothing, runtime.counter.aclose),
            Hooks("snapshot-refresher", runtime.refresher.start, runtime.refresher.stop),
            *(Hooks(s.name, s.start, s.stop) for s in runtime.invalidation.services),
            Hooks("usage-flush", runtime.usage.start, runtime.usage.stop),
            Hooks("traffic-flush", runtime.traffic.start, runtime.traffic.stop),
            *portal_rebuild(runtime),
            *metrics_listener(runtime),
        ],
        lease_for=lambda name: lease_for(runtime.settings, store, name),
    )


def portal_rebuild(runtime: Runtime) -> list[Hooks]:
    """The developer portal's builder, unless TSUNAGU_PORTAL_AUTOBUILD is off. Every instance
    serves its own build, so it is not a once-across-instances service (ADR 0017)."""
    portal = runtime.portal
    return [] if portal is None else [Hooks("portal-rebuilder", portal.start, portal.stop)]


def access_log(runtime: Runtime) -> list[Hooks]:
    """The access-log writer, unless TSUNAGU_ACCESS_LOG is unset; started before the requests
    and stopped after every other service, so the last requests' lines are written."""
    writer = runtime.access_log
    return [] if writer is None else [Hooks(writer.name, writer.start, writer.stop)]


def metrics_listener(runtime: Runtime) -> list[Hooks]:
    """`/metrics` on TSUNAGU_METRICS_ADDRESS, when it is set (ADR 0019)."""
    listener = runtime.metrics_listener
    return [] if listener is None else [Hooks(listener.name, listener.start, listener.stop)]


def lease_for(settings: Settings, store: Store, name: str) -> Lease:
    """Where a once-across-instances service takes its lease: an advisory lock in the registry's
    PostgreSQL, or a file lock in the var directory on SQLite (one machine)."""
    if store.dialect == "postgresql":
        return PostgresLease(libpq_conninfo(store.engine.url), name)
    return FileLease(settings.var_dir / "leases" / f"{name}.lock")


def supported_scopes(snapshot: Snapshot) -> list[str]:
    """RFC 8414 `scopes_supported`: each served API's slug, `<slug>:write` where writes need
    it, and the operator scope (provider scopes are per provider and not listed)."""
    scopes = {"tsunagu:admin"}
    for route in snapshot.routes.values():
        scopes.add(route.slug)
        if route.write_scope:
            scopes.add(route.slug + ":write")
    return sorted(scopes)


def freeze_startup_heap() -> None:
    """Move everything built at start-up (modules, apps, the first snapshot) out of the cyclic
    GC's reach (ADR 0011). Without it every gen-2 collection re-scans that whole heap inside a
    request: on the reference box p99 at 32 connections fell from about 190 ms to about 35 ms.
    Frozen objects are still freed by reference counting."""
    gc.collect()
    gc.freeze()


def _readiness(runtime: Runtime, settings: Settings) -> list[tuple[str, ReadinessCheck]]:
    async def store_ready() -> str | None:
        reachable: bool = await runtime.refresher.refresh_once()
        return None if reachable else "registry store unreachable"

    checks: list[tuple[str, ReadinessCheck]] = [("store", store_ready)]
    if settings.redis_url:
        redis_url = settings.redis_url

        async def redis_ready() -> str | None:
            import redis.asyncio

            client = redis.asyncio.Redis.from_url(redis_url, socket_connect_timeout=0.5)
            try:
                await client.ping()  # type: ignore[misc]  # redis-py types ping as sync|async
            except Exception as exc:
                return f"redis unreachable: {type(exc).__name__}"
            finally:
                await client.aclose()
            return None

        checks.append(("redis", redis_ready))
    return checks


def app_from_environment() -> DataPlane:
    """The uvicorn factory (`--factory`): settings from TSUNAGU_*; one app per worker."""
    settings = load_settings()
    configure_logging(settings)
    store = open_store(settings)
    guard = UpstreamGuard(settings.upstream_allow_list())
    metrics = GatewayMetrics(CollectorRegistry())
    return create_app(settings, store, UpstreamClient(guard), metrics)
