"""The admin API's principal from a bearer token: operator, provider, or refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import Request

from gateway.oauth.keys import KeyRing
from gateway.oauth.principal import principal_from_bearer
from gateway.oauth.tokens import TokenIssuer
from gateway.oauth.verifier import TokenVerifier
from gateway.problems import Refusal
from registry.models import AppView
from registry.principal import Role
from registry.problems import CATALOGUE
from registry.settings import Settings


def _request(authorization: str | None) -> Request:
    headers = [] if authorization is None else [(b"authorization", authorization.encode())]
    return Request({"type": "http", "method": "GET", "path": "/admin/v1/apis", "headers": headers})


def _bearer(
    ring: KeyRing, settings: Settings, scopes: tuple[str, ...], sandbox: bool = False
) -> str:
    app = AppView(
        client_id="tsu_admin",
        name="admin",
        owner="ops@example.jp",
        scopes=scopes,
        sandbox=sandbox,
        secret_hash="sha256$00",
        created_at=datetime.now(UTC),
    )
    return "Bearer " + TokenIssuer(ring, settings).issue(app, scopes)["access_token"]


async def test_operator_and_provider(
    verifier: TokenVerifier, ring: KeyRing, settings: Settings
) -> None:
    dependency = principal_from_bearer(verifier)
    operator = await dependency(_request(_bearer(ring, settings, ("tsunagu:admin", "jusho"))))
    assert operator.role is Role.OPERATOR and operator.subject == "tsu_admin"
    provider = await dependency(_request(_bearer(ring, settings, ("tsunagu:provider:digital",))))
    assert provider.role is Role.PROVIDER and provider.provider_id == "digital"


@pytest.mark.parametrize(
    ("scopes", "sandbox"),
    [
        (("jusho",), False),
        (("tsunagu:provider:a", "tsunagu:provider:b"), False),
        (("tsunagu:provider:",), False),
        (("tsunagu:admin",), True),
    ],
)
async def test_refused_with_403(
    verifier: TokenVerifier,
    ring: KeyRing,
    settings: Settings,
    scopes: tuple[str, ...],
    sandbox: bool,
) -> None:
    dependency = principal_from_bearer(verifier)
    with pytest.raises(Refusal) as caught:
        await dependency(_request(_bearer(ring, settings, scopes, sandbox)))
    expected = "sandbox-token-on-platform" if sandbox else "no-platform-scope"
    assert caught.value.code == expected and CATALOGUE[expected].status == 403


@pytest.mark.parametrize("authorization", [None, "Basic abc", "Bearer not.a.token"])
async def test_missing_or_invalid_is_401(
    verifier: TokenVerifier, authorization: str | None
) -> None:
    with pytest.raises(Refusal) as caught:
        await principal_from_bearer(verifier)(_request(authorization))
    assert CATALOGUE[caught.value.code].status == 401
    expected = "invalid-token" if authorization == "Bearer not.a.token" else "missing-token"
    assert caught.value.code == expected
    assert caught.value.headers["WWW-Authenticate"].startswith('Bearer realm="tsunagu"')
