"""The authentication and scope policies on hand-built exchanges (RFC 6750 §3, CONTRACT.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

import orjson
import pytest

from gateway.oauth.keys import KeyRing
from gateway.oauth.tokens import TokenIssuer
from gateway.oauth.verifier import TokenVerifier
from gateway.pipeline import Exchange, Message, Reply, TokenClaims
from gateway.policies.auth import AuthenticationPolicy
from gateway.policies.scope import ScopePolicy
from gateway.problems import ProblemRenderer
from gateway.snapshots import SnapshotHolder
from registry import secrets
from registry.models import ApiKeyView, AppView, RatePlan, RouteEntry, VersionState
from registry.settings import Settings

API_KEY = "tsk_" + "k" * 43


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _route(*, open_data: bool = False, write_scope: bool = False) -> RouteEntry:
    return RouteEntry(
        slug="jusho",
        version="v1",
        provider_id="digital",
        state=VersionState.PUBLISHED,
        upstream_url="http://127.0.0.1:9/",
        document={},
        plan=RatePlan(),
        open_data=open_data,
        write_scope=write_scope,
        cors_origins=(),
        connect_timeout=None,
        read_timeout=None,
        published_at=None,
        deprecated_at=None,
        sunset=None,
        successor=None,
    )


def exchange(
    *,
    headers: dict[str, str] | None = None,
    query: bytes = b"",
    method: str = "GET",
    kind: Literal["api", "sandbox"] = "api",
    route: RouteEntry | None = None,
    language: Literal["ja", "en"] = "en",
) -> Exchange:
    return Exchange(
        scope={},
        receive=_receive,
        kind=kind,
        method=method,
        slug="jusho",
        version="v1",
        rest_path="/addresses",
        query_string=query,
        request_headers=[(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        started_ns=0,
        request_id="req-1",
        language=language,
        route=route or _route(),
    )


def header(reply: Reply, name: bytes) -> str:
    return next(v for k, v in reply.headers if k == name).decode()


def body(reply: Reply) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(reply.body)
    return data


@pytest.fixture
def problems(settings: Settings) -> ProblemRenderer:
    return ProblemRenderer(settings.public_url)


@pytest.fixture
def policy(
    verifier: TokenVerifier, holder: SnapshotHolder, problems: ProblemRenderer
) -> AuthenticationPolicy:
    key = ApiKeyView(key_hash=secrets.hash_secret(API_KEY), client_id="tsu_open", slugs=("jusho",))
    other = ApiKeyView(key_hash=secrets.hash_secret("tsk_other"), client_id="tsu_o", slugs=("x",))
    holder.replace(
        holder.current.model_copy(
            update={"generation": 2, "api_keys": {key.key_hash: key, other.key_hash: other}}
        )
    )
    return AuthenticationPolicy(verifier, holder, problems)


def _token(
    ring: KeyRing, settings: Settings, scopes: tuple[str, ...], sandbox: bool = False
) -> str:
    app = AppView(
        client_id="tsu_policy",
        name="p",
        owner="dev@example.jp",
        scopes=scopes,
        sandbox=sandbox,
        secret_hash="sha256$00",
        created_at=datetime.now(UTC),
    )
    token: str = TokenIssuer(ring, settings).issue(app, scopes)["access_token"]
    return token


async def test_valid_bearer_sets_claims(
    policy: AuthenticationPolicy, ring: KeyRing, settings: Settings
) -> None:
    ex = exchange(headers={"Authorization": "Bearer " + _token(ring, settings, ("jusho",))})
    assert await policy.on_request(ex) is None
    assert ex.claims is not None and ex.claims.client_id == "tsu_policy"
    assert ex.claims.scopes == {"jusho"}


async def test_missing_token(policy: AuthenticationPolicy) -> None:
    for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}):
        ex = exchange(headers=headers)
        reply = await policy.on_request(ex)
        assert reply is not None and reply.status == 401
        assert header(reply, b"www-authenticate") == 'Bearer realm="tsunagu"'
        assert header(reply, b"content-type") == "application/problem+json"
        assert body(reply)["type"].endswith("#missing-token")
        assert body(reply)["request_id"] == "req-1"
        assert ex.error_code == "missing-token" and ex.claims is None


async def test_invalid_token(
    policy: AuthenticationPolicy, ring: KeyRing, settings: Settings
) -> None:
    token = _token(ring, settings, ("jusho",))
    head, payload, _ = token.split(".")
    ex = exchange(headers={"Authorization": f"Bearer {head}.{payload}.AAAA"}, language="ja")
    reply = await policy.on_request(ex)
    assert reply is not None and reply.status == 401
    challenge = header(reply, b"www-authenticate")
    assert challenge.startswith(
        'Bearer realm="tsunagu", error="invalid_token", error_description="'
    )
    assert body(reply)["title"] == "アクセストークンが無効です"
    assert (
        body(reply)["detail"] == "アクセストークンが無効です（トークンの署名が正しくありません）。"
    )
    assert header(reply, b"content-language") == "ja"
    assert 'error_description="the token signature is invalid"' in challenge  # RFC 6750: ASCII
    english = await policy.on_request(
        exchange(headers={"Authorization": f"Bearer {head}.{payload}.AAAA"}, language="en")
    )
    assert english is not None
    assert (
        body(english)["detail"] == "The access token is not valid: the token signature is invalid."
    )


async def test_revoked_token_is_refused(
    policy: AuthenticationPolicy, verifier: TokenVerifier, ring: KeyRing, settings: Settings
) -> None:
    token = _token(ring, settings, ("jusho",))
    ex = exchange(headers={"Authorization": "Bearer " + token})
    assert await policy.on_request(ex) is None
    assert ex.claims is not None and ex.claims.jti is not None
    verifier.revoke(token, ex.claims.jti, ex.claims.expires_at)
    reply = await policy.on_request(exchange(headers={"Authorization": "Bearer " + token}))
    assert reply is not None and reply.status == 401
    assert "revoked" in body(reply)["detail"]


@pytest.mark.parametrize("name", ["api_key", "APIKEY", "Key", "x-api-key", "X%2DAPI%2DKEY"])
async def test_api_key_in_query_is_refused(policy: AuthenticationPolicy, name: str) -> None:
    ex = exchange(query=f"city=tokyo&{name}={API_KEY}".encode(), route=_route(open_data=True))
    reply = await policy.on_request(ex)
    assert reply is not None and reply.status == 400
    assert body(reply)["type"].endswith("#api-key-in-query")
    assert API_KEY.encode() not in reply.body
    assert all(API_KEY.encode() not in v for _, v in reply.headers)


async def test_key_is_an_ordinary_parameter_off_open_data(
    policy: AuthenticationPolicy, ring: KeyRing, settings: Settings
) -> None:
    token = _token(ring, settings, ("jusho",))
    closed = exchange(query=b"key=fiscal_year", headers={"Authorization": f"Bearer {token}"})
    assert await policy.on_request(closed) is None  # only open-data APIs take API keys
    named = exchange(query=b"apikey=x", headers={"Authorization": f"Bearer {token}"})
    reply = await policy.on_request(named)
    assert reply is not None and body(reply)["type"].endswith("#api-key-in-query")


@pytest.mark.parametrize("name", ["access_token", "Access_Token", "access%5Ftoken"])
async def test_access_token_in_query_is_refused_even_beside_a_header(
    policy: AuthenticationPolicy, ring: KeyRing, settings: Settings, name: str
) -> None:
    """RFC 6750 §2.3 is not supported: a token in the URL would reach the upstream and its logs."""
    token = _token(ring, settings, ("jusho",))
    cases = [
        ({}, 401, "missing-token"),
        ({"Authorization": "Bearer " + token}, 400, "token-in-query"),
        ({"X-API-Key": API_KEY}, 400, "token-in-query"),
    ]
    for headers, status, code in cases:
        query = f"city=tokyo&{name}={token}".encode()
        ex = exchange(headers=headers, query=query, route=_route(open_data=True))
        reply = await policy.on_request(ex)
        assert reply is not None and (reply.status, body(reply)["type"]) == (
            status,
            f"{settings.public_url}/portal/errors/#{code}",
        )
        challenge = header(reply, b"www-authenticate")
        assert challenge.startswith('Bearer realm="tsunagu"')
        assert ('error="invalid_request"' in challenge) == (status == 400)
        assert token.encode() not in reply.body
        assert all(token.encode() not in v for _, v in reply.headers)
        assert ex.claims is None


async def test_api_key_header_on_open_data(policy: AuthenticationPolicy) -> None:
    ex = exchange(headers={"X-API-Key": API_KEY}, route=_route(open_data=True))
    assert await policy.on_request(ex) is None
    assert ex.claims is not None and ex.claims.via_api_key and ex.claims.client_id == "tsu_open"


async def test_api_keys_are_production_credentials(
    policy: AuthenticationPolicy, problems: ProblemRenderer
) -> None:
    in_sandbox = exchange(
        headers={"X-API-Key": API_KEY}, kind="sandbox", route=_route(open_data=True)
    )
    assert await policy.on_request(in_sandbox) is None
    assert in_sandbox.claims is not None and in_sandbox.claims.sandbox is False
    reply = await ScopePolicy(problems).on_request(in_sandbox)
    assert reply is not None and body(reply)["type"].endswith("#production-token-in-sandbox")


async def test_api_key_is_refused_off_open_data_or_for_other_apis(
    policy: AuthenticationPolicy,
) -> None:
    closed = await policy.on_request(exchange(headers={"X-API-Key": API_KEY}))
    assert closed is not None and closed.status == 401
    unknown = await policy.on_request(
        exchange(headers={"X-API-Key": "tsk_nope"}, route=_route(open_data=True))
    )
    assert unknown is not None and unknown.status == 401
    assert body(unknown)["type"].endswith("#invalid-api-key")
    other = await policy.on_request(
        exchange(headers={"X-API-Key": "tsk_other"}, route=_route(open_data=True))
    )
    assert other is not None and other.status == 403
    assert 'scope="jusho"' in header(other, b"www-authenticate")


def _claims(scopes: set[str], sandbox: bool = False) -> TokenClaims:
    return TokenClaims("tsu_x", "tsu_x", frozenset(scopes), sandbox, "j", 2_000_000_000)


@pytest.mark.parametrize(
    ("method", "write_scope", "scopes", "needed"),
    [
        ("GET", False, {"kokudo"}, "jusho"),
        ("POST", True, {"jusho"}, "jusho:write"),
        ("DELETE", True, {"jusho"}, "jusho:write"),
        ("GET", True, {"jusho:write"}, "jusho"),
        # any method that is not safe (RFC 9110 §9.2.1) writes as far as the gateway knows
        ("PURGE", True, {"jusho"}, "jusho:write"),
        ("MKCOL", True, {"jusho"}, "jusho:write"),
        ("PROPPATCH", True, {"jusho"}, "jusho:write"),
    ],
)
async def test_insufficient_scope(
    problems: ProblemRenderer, method: str, write_scope: bool, scopes: set[str], needed: str
) -> None:
    ex = exchange(method=method, route=_route(write_scope=write_scope))
    ex.claims = _claims(scopes)
    reply = await ScopePolicy(problems).on_request(ex)
    assert reply is not None and reply.status == 403
    assert header(reply, b"www-authenticate") == (
        f'Bearer realm="tsunagu", error="insufficient_scope", scope="{needed}"'
    )
    assert body(reply)["type"].endswith("#insufficient-scope")


@pytest.mark.parametrize(
    ("method", "write_scope", "scopes"),
    [
        ("GET", False, {"jusho"}),
        ("POST", False, {"jusho"}),
        ("PATCH", True, {"jusho", "jusho:write"}),
        ("GET", True, {"jusho"}),
        ("HEAD", True, {"jusho"}),
        ("OPTIONS", True, {"jusho"}),
        ("PURGE", True, {"jusho", "jusho:write"}),
    ],
)
async def test_enough_scope(
    problems: ProblemRenderer, method: str, write_scope: bool, scopes: set[str]
) -> None:
    ex = exchange(method=method, route=_route(write_scope=write_scope))
    ex.claims = _claims(scopes)
    assert await ScopePolicy(problems).on_request(ex) is None


async def test_sandbox_and_production_are_kept_apart(problems: ProblemRenderer) -> None:
    policy = ScopePolicy(problems)
    on_api = exchange(kind="api")
    on_api.claims = _claims({"jusho"}, sandbox=True)
    reply = await policy.on_request(on_api)
    assert reply is not None and reply.status == 403
    assert body(reply)["type"].endswith("#sandbox-only")
    in_sandbox = exchange(kind="sandbox")
    in_sandbox.claims = _claims({"jusho"}, sandbox=False)
    reply = await policy.on_request(in_sandbox)
    assert reply is not None and reply.status == 403
    assert body(reply)["type"].endswith("#production-token-in-sandbox")
    fine = exchange(kind="sandbox")
    fine.claims = _claims({"jusho"}, sandbox=True)
    assert await policy.on_request(fine) is None


async def test_scope_policy_without_claims_refuses(problems: ProblemRenderer) -> None:
    reply = await ScopePolicy(problems).on_request(exchange())
    assert reply is not None and reply.status == 401
