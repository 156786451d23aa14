"""authlib's authorization server wired to the registry: client credentials (RFC 6749 §4.4),
introspection (RFC 7662) and revocation (RFC 7009), behind a thin request adapter.

Everything here blocks (store reads, secret hashing): the router calls it in a worker thread.
Client authentication is ours, not authlib's default, so that an unknown client and a wrong
secret get the same answer after the same work (SECURITY-TESTS.md A23, A25).
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import unquote

from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Request,
)
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint

from gateway.oauth.ports import ClientDirectory, RevocationStore, SecretCheck
from gateway.oauth.profile import ADMIN_SCOPE
from gateway.oauth.tokens import TokenIssuer
from gateway.oauth.verifier import InvalidToken, TokenVerifier
from gateway.pipeline import TokenClaims
from registry.models import AppView

AUTH_METHODS = ("client_secret_basic", "client_secret_post")


@dataclass(frozen=True, slots=True)
class FormRequest:
    """An already-read form POST, as the router hands it over."""

    method: str
    uri: str
    headers: Mapping[str, str]
    form: dict[str, str]


@dataclass(frozen=True, slots=True)
class OAuthResponse:
    status: int
    body: dict[str, Any]
    headers: list[tuple[str, str]]


def basic_credentials(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """RFC 6749 §2.3.1 client_secret_basic; None when absent or malformed (never raises)."""
    raw = headers.get("authorization")
    if not raw:
        return None
    scheme, _, value = raw.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    return unquote(client_id), unquote(secret)


def claimed_client_id(headers: Mapping[str, str], form: Mapping[str, str]) -> str | None:
    """Which client the caller says it is (for throttling), whether or not that is true."""
    basic = basic_credentials(headers)
    return basic[0] if basic else form.get("client_id") or None


class _Client(ClientMixin):  # type: ignore[misc]
    def __init__(self, app: AppView) -> None:
        self.app = app

    def get_client_id(self) -> str:
        return self.app.client_id

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class _Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, request: FormRequest) -> None:
        super().__init__(request.method, request.uri, headers=request.headers)
        self.payload = BasicOAuth2Payload(request.form)
        self._form = request.form

    @property
    def form(self) -> dict[str, str]:
        return self._form

    @property
    def args(self) -> dict[str, str]:
        return {}


class _ClientCredentials(ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = list(AUTH_METHODS)

    def validate_requested_scope(self) -> None:
        """Requested scopes must be a subset of the app's grants (RFC 6749 §3.3)."""
        wanted = (self.request.payload.scope or "").split()
        if not set(wanted) <= set(self.request.client.app.scopes):
            raise InvalidScopeError("The requested scope exceeds the scopes granted to the app.")


@dataclass(slots=True)
class _Token:
    """What authlib's introspection and revocation endpoints handle: a verified JWT."""

    value: str
    claims: TokenClaims

    def check_client(self, client: _Client) -> bool:
        return self.claims.client_id == client.app.client_id

    def is_expired(self) -> bool:
        return False  # the verifier already refused expired tokens

    def is_revoked(self) -> bool:
        return False  # likewise revoked ones


def _require_token(request: _Request) -> None:
    """Only `token` is required. The hint merely narrows a search the server must widen when it
    fails (RFC 7662 §2.1, RFC 7009 §2.1), so an unfamiliar hint is ignored, not refused (authlib
    answers it with a 401 `unsupported_token_type`)."""
    if "token" not in request.form:
        raise InvalidRequestError()


def _query_token(verifier: TokenVerifier, value: str) -> _Token | None:
    try:
        return _Token(value, verifier.verify(value))
    except InvalidToken:
        return None


class _TokenQuery:
    """What introspection and revocation share: our client authentication methods, a required
    `token` parameter, and lookup through the verifier (the `token_type_hint` is advisory)."""

    CLIENT_AUTH_METHODS: ClassVar[list[str]] = list(AUTH_METHODS)

    def __init__(self, server: OAuthServer) -> None:
        super().__init__(server)  # type: ignore[call-arg]
        self._oauth = server

    def check_params(self, request: _Request, client: _Client) -> None:
        _require_token(request)

    def query_token(self, token_string: str, token_type_hint: str | None) -> _Token | None:
        return _query_token(self._oauth.verifier, token_string)


class _Introspection(_TokenQuery, IntrospectionEndpoint):  # type: ignore[misc]
    def check_permission(self, token: _Token, client: _Client, request: _Request) -> bool:
        """A client may introspect its own tokens; an operator client any token."""
        return token.check_client(client) or ADMIN_SCOPE in client.app.scopes

    def introspect_token(self, token: _Token) -> dict[str, Any]:
        claims = token.claims
        return {
            "active": True,
            "client_id": claims.client_id,
            "sub": claims.subject,
            "scope": " ".join(sorted(claims.scopes)),
            "token_type": "Bearer",
            "exp": claims.expires_at,
            "iss": self._oauth.issuer,
            "aud": self._oauth.audience,
            "jti": claims.jti,
            "sandbox": claims.sandbox,
        }


class _Revocation(_TokenQuery, RevocationEndpoint):  # type: ignore[misc]
    def revoke_token(self, token: _Token, request: _Request) -> None:
        jti, exp = token.claims.jti, token.claims.expires_at
        if jti is None:
            return
        self._oauth.revocations.revoke_jti(jti, datetime.fromtimestamp(exp, UTC))
        self._oauth.verifier.revoke(token.value, jti, exp)


class OAuthServer(AuthorizationServer):  # type: ignore[misc]
    """The authorization server; `token`, `introspect` and `revoke` take a `FormRequest`."""

    def __init__(
        self,
        *,
        clients: ClientDirectory,
        issuer: TokenIssuer,
        verifier: TokenVerifier,
        revocations: RevocationStore,
        verify_secret: SecretCheck,
        hash_secret: Callable[[str], str],
        issuer_url: str,
        audience: str,
    ) -> None:
        super().__init__()
        self._clients = clients
        self._token_issuer = issuer
        self.verifier = verifier
        self.revocations = revocations
        self._verify_secret = verify_secret
        self._dummy_hash = hash_secret(secrets.token_urlsafe(32))
        self.issuer = issuer_url
        self.audience = audience
        self.register_client_auth_method("client_secret_basic", self._auth_basic)
        self.register_client_auth_method("client_secret_post", self._auth_post)
        self.register_token_generator("default", self._generate)
        self.register_grant(_ClientCredentials)
        self.register_endpoint(_Introspection(self))
        self.register_endpoint(_Revocation(self))

    def query_client(self, client_id: str) -> _Client | None:
        app = self._clients.get_app(client_id)
        return _Client(app) if app is not None and not app.disabled else None

    def _check(self, client_id: str | None, secret: str | None) -> _Client | None:
        """Same work whether or not the client exists (a dummy hash stands in). During a
        secret rotation's overlap the replaced secret is accepted too (two checks always)."""
        app = self._clients.get_app(client_id) if client_id else None
        usable = app is not None and not app.disabled
        hashes = app.secret_hashes(datetime.now(UTC)) if app is not None and usable else ()
        candidates = (*hashes, self._dummy_hash, self._dummy_hash)[:2]
        ok = [self._verify_secret(secret or "", h) for h in candidates]
        return _Client(app) if any(ok) and usable and app is not None and secret else None

    def _auth_basic(self, query_client: object, request: _Request) -> _Client | None:
        creds = basic_credentials(request.headers)
        return self._check(*creds) if creds else None

    def _auth_post(self, query_client: object, request: _Request) -> _Client | None:
        form = request.form
        if "client_id" not in form or "client_secret" not in form:
            return None
        return self._check(form["client_id"], form["client_secret"])

    def _generate(self, *, client: _Client, scope: str | None, **_: object) -> dict[str, Any]:
        wanted = (scope or "").split() or list(client.app.scopes)
        return self._token_issuer.issue(client.app, wanted)

    def save_token(self, token: dict[str, Any], request: _Request) -> None:
        """JWTs are self-contained; nothing to store."""

    def send_signal(self, name: str, *args: object, **kwargs: object) -> None:
        """No signal bus here."""

    def create_oauth2_request(self, request: FormRequest | _Request) -> _Request:
        return request if isinstance(request, _Request) else _Request(request)

    def handle_response(
        self, status: int, body: dict[str, Any], headers: list[tuple[str, str]]
    ) -> OAuthResponse:
        return OAuthResponse(status, dict(body), list(headers))

    def token(self, request: FormRequest) -> OAuthResponse:
        response: OAuthResponse = self.create_token_response(request)
        return response

    def introspect(self, request: FormRequest) -> OAuthResponse:
        response: OAuthResponse = self.create_endpoint_response("introspection", request)
        return response

    def revoke(self, request: FormRequest) -> OAuthResponse:
        response: OAuthResponse = self.create_endpoint_response("revocation", request)
        return response
