"""Minting access tokens: RFC 9068 JWTs signed by the key ring's active key."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from joserfc import jwt

from gateway.oauth.keys import KeyRing
from gateway.oauth.profile import TOKEN_TYPE, audience_of, issuer_of
from registry.models import AppView
from registry.settings import Settings


class TokenIssuer:
    """Builds the token response of RFC 6749 §5.1 for an authenticated client."""

    def __init__(
        self, ring: KeyRing, settings: Settings, clock: Callable[[], float] = time.time
    ) -> None:
        self._ring = ring
        self._issuer = issuer_of(settings)
        self._audience = audience_of(settings)
        self._lifetime = settings.token_lifetime_seconds
        self._clock = clock

    def issue(self, app: AppView, scopes: Iterable[str]) -> dict[str, Any]:
        """Sign a token for `app` with exactly `scopes` (already checked against its grants)."""
        view, key = self._ring.signer()
        now = int(self._clock())
        scope = " ".join(sorted(set(scopes)))
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": app.client_id,  # RFC 9068 §2.2: the client itself for client credentials
            "client_id": app.client_id,
            "iat": now,
            "exp": now + self._lifetime,
            "jti": secrets.token_urlsafe(18),
            "scope": scope,
            "sandbox": app.sandbox,
        }
        header = {"alg": view.alg, "kid": view.kid, "typ": TOKEN_TYPE}
        token = jwt.encode(header, claims, key, algorithms=[view.alg])
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self._lifetime,
            "scope": scope,
        }
