"""Log-in through an external OpenID Connect provider (authorization code flow with PKCE,
OpenID Connect Core 1.0 §3.1), when `TSUNAGU_OIDC_ISSUER` is set.

authlib builds the authorization request and the token request (RFC 6749 §4.1, RFC 7636 S256);
the ID token is verified with the provider's published keys (joserfc, as the gateway's own
tokens are): signature, `iss`, `aud`, `exp`, `iat` and the `nonce` sent (§3.1.3.7). The
provider is trusted to say which address is verified: only `email_verified: true` logs in.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import aiohttp
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from registry import urls

if TYPE_CHECKING:
    from joserfc.jwk import KeySetSerialization
from registry.settings import Settings

TIMEOUT = aiohttp.ClientTimeout(total=10)
ALGORITHMS = ["RS256", "ES256", "PS256"]


class OidcFailed(Exception):
    """The provider's answer is not acceptable; `reason` is safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Attempt:
    """What the browser keeps (HttpOnly cookie) between the redirect and the callback."""

    state: str
    nonce: str
    verifier: str
    terms: bool
    lang: str

    def dumps(self) -> str:
        return json.dumps(self.__dict__, separators=(",", ":"))

    @classmethod
    def loads(cls, value: str) -> Attempt | None:
        try:
            data = json.loads(value)
            return cls(**{k: data[k] for k in ("state", "nonce", "verifier", "terms", "lang")})
        except (ValueError, TypeError, KeyError):
            return None


@dataclass(frozen=True)
class Identity:
    subject: str
    email: str


class OidcClient:
    """One configured provider; metadata and keys are fetched on first use and kept."""

    def __init__(self, settings: Settings) -> None:
        if not (settings.oidc_issuer and settings.oidc_client_id):
            raise ValueError("OpenID Connect is not configured")
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.client_id = settings.oidc_client_id
        secret = settings.oidc_client_secret
        self.client_secret = secret.get_secret_value() if secret is not None else ""
        self.name = settings.oidc_name
        self.redirect_uri = urls.account_url(settings.public_url, "oidc/callback")
        self._metadata: dict[str, Any] | None = None
        self._lock = asyncio.Lock()

    async def start(self, terms: bool, lang: str) -> tuple[str, Attempt]:
        """The provider's authorization URL and what to remember until the callback."""
        meta = await self._meta()
        attempt = Attempt(
            secrets.token_urlsafe(24),
            secrets.token_urlsafe(24),
            secrets.token_urlsafe(48),
            terms,
            lang,
        )
        url = prepare_grant_uri(
            meta["authorization_endpoint"],
            self.client_id,
            "code",
            redirect_uri=self.redirect_uri,
            scope="openid email",
            state=attempt.state,
            nonce=attempt.nonce,
            code_challenge=create_s256_code_challenge(attempt.verifier),
            code_challenge_method="S256",
        )
        return str(url), attempt

    async def finish(self, code: str, attempt: Attempt) -> Identity:
        meta = await self._meta()
        body = prepare_token_request(
            "authorization_code",
            code=code,
            redirect_uri=self.redirect_uri,
            code_verifier=attempt.verifier,
        )
        auth = aiohttp.BasicAuth(self.client_id, self.client_secret)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        answer = await _post_json(meta["token_endpoint"], body, auth, headers)
        id_token = answer.get("id_token")
        if not isinstance(id_token, str):
            raise OidcFailed("no id_token in the token response")
        claims = await self._verified_claims(id_token, attempt.nonce)
        email = claims.get("email")
        if not isinstance(email, str) or claims.get("email_verified") is not True:
            raise OidcFailed("the provider did not give a verified e-mail address")
        return Identity(subject=str(claims["sub"]), email=email)

    async def _verified_claims(self, id_token: str, nonce: str) -> dict[str, Any]:
        document = await _get_json((await self._meta())["jwks_uri"])
        keys = KeySet.import_key_set(cast("KeySetSerialization", document))
        try:
            token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
            JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                exp={"essential": True},
                iat={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise OidcFailed(f"the ID token is not valid: {type(exc).__name__}") from exc
        return dict(token.claims)

    async def _meta(self) -> dict[str, Any]:
        async with self._lock:
            if self._metadata is None:
                url = self.issuer + "/.well-known/openid-configuration"
                meta = await _get_json(url)
                if meta.get("issuer", "").rstrip("/") != self.issuer:
                    raise OidcFailed("the provider's metadata names another issuer")
                self._metadata = meta
            return self._metadata


async def _get_json(url: str) -> dict[str, Any]:
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session, session.get(url) as reply:
            if reply.status != 200:
                raise OidcFailed(f"{url} answered {reply.status}")
            data = await reply.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise OidcFailed(f"cannot reach the provider: {type(exc).__name__}") from exc
    if not isinstance(data, dict):
        raise OidcFailed(f"{url} did not answer a JSON object")
    return data


async def _post_json(
    url: str, body: str, auth: aiohttp.BasicAuth, headers: dict[str, str]
) -> dict[str, Any]:
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.post(url, data=body, auth=auth, headers=headers) as reply,
        ):
            data = await reply.json(content_type=None)
            if reply.status != 200 or not isinstance(data, dict):
                raise OidcFailed(f"the token endpoint answered {reply.status}")
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise OidcFailed(f"cannot reach the provider: {type(exc).__name__}") from exc
    return data
