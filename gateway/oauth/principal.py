"""The admin API's caller, from its bearer token: `tsunagu:admin` → operator,
`tsunagu:provider:<id>` → that provider; anything else is refused.

Failures raise `Refusal` with a catalogue code (401 with `WWW-Authenticate: Bearer …`, or 403)
for the platform app's problem+json handler to render.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from gateway.oauth.challenge import REALM
from gateway.oauth.profile import ADMIN_SCOPE, PROVIDER_SCOPE_PREFIX
from gateway.oauth.verifier import InvalidToken, TokenVerifier
from gateway.pipeline import TokenClaims
from gateway.problems import Refusal
from registry.principal import Principal, Role


def _challenge(error: str | None = None) -> dict[str, str]:
    return {"WWW-Authenticate": REALM if error is None else f'{REALM}, error="{error}"'}


def principal_of(claims: TokenClaims) -> Principal:
    """Map verified claims to a principal, or refuse (403)."""
    if claims.sandbox:
        raise Refusal("sandbox-token-on-platform")
    if ADMIN_SCOPE in claims.scopes:
        return Principal(role=Role.OPERATOR, subject=claims.client_id)
    providers = sorted(
        s[len(PROVIDER_SCOPE_PREFIX) :]
        for s in claims.scopes
        if s.startswith(PROVIDER_SCOPE_PREFIX)
    )
    if len(providers) == 1 and providers[0]:
        return Principal(role=Role.PROVIDER, subject=claims.client_id, provider_id=providers[0])
    raise Refusal("no-platform-scope")


def principal_from_bearer(verifier: TokenVerifier) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency: `Depends(principal_from_bearer(verifier))`."""

    async def dependency(request: Request) -> Principal:
        raw = request.headers.get("authorization", "")
        scheme, _, token = raw.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Refusal("missing-token", headers=_challenge())
        try:
            claims = verifier.verify(token.strip())
        except InvalidToken as exc:
            raise Refusal(
                exc.code, headers=_challenge("invalid_token"), reason=exc.explanation
            ) from exc
        return principal_of(claims)

    return dependency
