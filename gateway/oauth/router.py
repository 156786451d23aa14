"""The OAuth HTTP surface: token (RFC 6749 §4.4), JWKS (RFC 7517), metadata (RFC 8414),
introspection (RFC 7662) and revocation (RFC 7009).

Client-authenticating endpoints pass through the failure throttle: a caller that keeps failing
gets 429 `invalid_client` with `Retry-After` before its secret is even looked at.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import parse_qsl

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from gateway.oauth.keys import KeyRing
from gateway.oauth.ports import ClientDirectory, RevocationStore, SecretCheck
from gateway.oauth.profile import audience_of, issuer_of
from gateway.oauth.server import (
    AUTH_METHODS,
    FormRequest,
    OAuthResponse,
    OAuthServer,
    basic_credentials,
    claimed_client_id,
)
from gateway.oauth.throttle import FailureThrottle
from gateway.oauth.tokens import TokenIssuer
from gateway.oauth.verifier import TokenVerifier
from registry.errors import StoreUnavailable
from registry.settings import Settings

MAX_FORM_BYTES = 16 * 1024
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
Endpoint = Callable[[FormRequest], OAuthResponse]


def _error(status: int, error: str, description: str, **headers: str) -> JSONResponse:
    body = {"error": error, "error_description": description}
    return JSONResponse(body, status_code=status, headers={**NO_STORE, **headers})


async def _read_form(request: Request) -> dict[str, str] | JSONResponse:
    """An urlencoded body, each parameter at most once (RFC 6749 §3.2)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return _error(400, "invalid_request", "The body must be form-urlencoded.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return _error(400, "invalid_request", "The request body is too large.")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        return _error(400, "invalid_request", "The body is not UTF-8.")
    form = dict(pairs)
    if len(form) != len(pairs):
        return _error(400, "invalid_request", "A parameter was repeated.")
    return form


class _ClientEndpoints:
    """Runs a client-authenticating authlib endpoint in a thread, throttling failures.

    The thread's work (store reads and writes, the secret check) gets `budget` seconds: past
    it the caller gets 503 `store-unavailable` and the thread is left to finish on its own
    (the store bounds its waits too, `registry.store.timeouts`)."""

    def __init__(self, throttle: FailureThrottle, public_url: str, budget: float) -> None:
        self._throttle = throttle
        self._public_url = public_url
        self._budget = budget

    async def handle(self, request: Request, endpoint: Endpoint) -> Response:
        form = await _read_form(request)
        if isinstance(form, JSONResponse):
            return form
        if basic_credentials(request.headers) and "client_secret" in form:
            return _error(400, "invalid_request", "Use one client authentication method.")
        client_id = claimed_client_id(request.headers, form)
        ip = request.client.host if request.client else ""
        wait = self._throttle.retry_after(client_id, ip)
        if wait:
            return _error(
                429, "invalid_client", "Too many failed attempts.", **{"Retry-After": str(wait)}
            )
        uri = self._public_url + request.url.path
        outcome = await self._within_budget(
            endpoint, FormRequest(request.method, uri, request.headers, form)
        )
        if outcome.body.get("error") == "invalid_client":
            self._throttle.failure(client_id, ip)
        elif outcome.status == 200 and client_id:
            self._throttle.success(client_id, ip)
        return JSONResponse(outcome.body, status_code=outcome.status, headers=dict(outcome.headers))

    async def _within_budget(self, endpoint: Endpoint, form: FormRequest) -> OAuthResponse:
        try:
            async with asyncio.timeout(self._budget):
                return await anyio.to_thread.run_sync(endpoint, form, abandon_on_cancel=True)
        except TimeoutError:
            raise StoreUnavailable(
                "store-unavailable", cause=f"no answer within {self._budget:g} s"
            ) from None


def _metadata(settings: Settings, scopes: Sequence[str]) -> dict[str, object]:
    issuer = issuer_of(settings)
    return {
        "issuer": issuer,
        "token_endpoint": issuer + "/oauth/token",
        "jwks_uri": issuer + "/oauth/jwks",
        "introspection_endpoint": issuer + "/oauth/introspect",
        "revocation_endpoint": issuer + "/oauth/revoke",
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "introspection_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "revocation_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "scopes_supported": list(scopes),
    }


RouteHandler = Callable[[Request], Awaitable[Response]]


def build_oauth_router(
    settings: Settings,
    *,
    clients: ClientDirectory,
    ring: KeyRing,
    revocations: RevocationStore,
    verifier: TokenVerifier,
    verify_secret: SecretCheck,
    hash_secret: Callable[[str], str],
    throttle: FailureThrottle | None = None,
    scopes_supported: Callable[[], Sequence[str]] = tuple,
    rate_limit: Callable[[RouteHandler], RouteHandler] = lambda handler: handler,
) -> APIRouter:
    """The router; call `ring.ensure()` at start-up before serving (it creates the first key).

    `rate_limit` decorates the three POST endpoints (the platform passes slowapi's per-peer
    limit); the failure throttle below it slows repeated bad credentials on its own."""
    server = OAuthServer(
        clients=clients,
        issuer=TokenIssuer(ring, settings),
        verifier=verifier,
        revocations=revocations,
        verify_secret=verify_secret,
        hash_secret=hash_secret,
        issuer_url=issuer_of(settings),
        audience=audience_of(settings),
    )
    endpoints = _ClientEndpoints(
        throttle or FailureThrottle(), issuer_of(settings), settings.oauth_timeout_seconds
    )
    router = APIRouter(tags=["oauth"])

    def _post(path: str, endpoint: Endpoint) -> None:
        async def handler(request: Request) -> Response:
            return await endpoints.handle(request, endpoint)

        # slowapi keys its limits by the function's qualified name: one name per endpoint
        handler.__name__ = handler.__qualname__ = "oauth_" + path.rsplit("/", 1)[-1]
        router.add_api_route(path, rate_limit(handler), methods=["POST"], include_in_schema=False)

    _post("/oauth/token", server.token)
    _post("/oauth/introspect", server.introspect)
    _post("/oauth/revoke", server.revoke)

    @router.get("/oauth/jwks", include_in_schema=False)
    def jwks() -> Response:
        return JSONResponse(ring.jwks(), headers={"Cache-Control": "public, max-age=60"})

    @router.get("/.well-known/oauth-authorization-server", include_in_schema=False)
    def metadata() -> Response:
        return JSONResponse(_metadata(settings, scopes_supported()))

    return router
