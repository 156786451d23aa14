"""Black-box authentication and authorization (SECURITY-TESTS A, E) against `tsunagu serve`."""

from __future__ import annotations

import base64
import json
import time

import pytest

from tests.security.checks import assert_no_rate_limit_fields, assert_problem, bearer
from tests.security.conftest import Gateway

API = "/api/secapi/v3/corporations"
VARIANTS = (
    "alg-none",
    "scope-raised",
    "two-segments",
    "four-segments",
    "bad-base64",
    "non-json-header",
    "garbage",
    "long",
)


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _forged(real: str) -> dict[str, str]:
    """Variants of a real token an attacker can make without the signing key."""
    header, payload, signature = real.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    raised = _b64({**claims, "scope": "secapi secb seclim tsunagu:admin"})
    return {
        "alg-none": f"{_b64({'alg': 'none', 'typ': 'at+jwt'})}.{payload}.",
        "scope-raised": f"{header}.{raised}.{signature}",
        "two-segments": f"{header}.{payload}",
        "four-segments": f"{real}.{signature}",
        "bad-base64": f"{header}.!!!.{signature}",
        "non-json-header": f"{base64.urlsafe_b64encode(b'{nope').decode()}.{payload}.{signature}",
        "garbage": "x" * 32,
        "long": "a" * 8000 + "." + "b" * 8000 + "." + "c" * 100,
    }


def test_proxied_call_carries_no_client_credentials_upstream(gateway: Gateway) -> None:
    token = gateway.token("consumer")
    seen = gateway.seeded.upstream.seen
    before = len(seen)
    response = gateway.http.get(API + "?name=a", headers={**bearer(token), "X-API-Key": "k1"})
    assert response.status_code == 200, response.text
    assert len(seen) == before + 1
    forwarded = {k.lower(): v for k, v in seen[-1].headers.items()}
    assert "authorization" not in forwarded and "x-api-key" not in forwarded
    assert token not in json.dumps(forwarded)
    assert forwarded["x-request-id"] == response.headers["x-request-id"]
    assert seen[-1].raw_path == "/secapi/v3/corporations?name=a"


@pytest.mark.parametrize("variant", VARIANTS)
def test_forged_or_malformed_tokens_are_401_with_a_bearer_challenge(
    gateway: Gateway, variant: str
) -> None:
    forged = _forged(gateway.token("narrow", "secb"))[variant]
    response = gateway.http.get("/api/secb/v1/x", headers=bearer(forged))
    assert_problem(response, 401, "invalid-token")
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert_no_rate_limit_fields(response)


def test_missing_token_and_token_in_the_query_are_401(gateway: Gateway) -> None:
    token = gateway.token("consumer")
    for url in (API, f"{API}?access_token={token}"):
        response = gateway.http.get(url)
        assert_problem(response, 401, "missing-token")
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert token not in response.text
        assert_no_rate_limit_fields(response)


def test_a_token_without_the_apis_scope_is_403_insufficient_scope(gateway: Gateway) -> None:
    response = gateway.http.get(API, headers=bearer(gateway.token("narrow")))
    assert_problem(response, 403, "insufficient-scope")
    challenge = response.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="secapi"' in challenge
    assert_no_rate_limit_fields(response)


def test_sandbox_and_production_tokens_never_cross(gateway: Gateway) -> None:
    sandbox, production = gateway.token("sandbox"), gateway.token("consumer")
    assert gateway.http.get("/sandbox/secapi/v3/corporations", headers=bearer(sandbox)).is_success
    assert_problem(gateway.http.get(API, headers=bearer(sandbox)), 403, "sandbox-only")
    response = gateway.http.get("/sandbox/secapi/v3/corporations", headers=bearer(production))
    assert_problem(response, 403, "production-token-in-sandbox")
    admin = gateway.http.get("/admin/v1/apis", headers=bearer(sandbox))
    assert_problem(admin, 403)


def test_consumer_tokens_stay_off_the_admin_api_and_admin_tokens_off_apis(
    gateway: Gateway,
) -> None:
    consumer = gateway.http.get("/admin/v1/apis", headers=bearer(gateway.token("consumer")))
    assert_problem(consumer, 403)
    operator = gateway.token("operator")
    assert_problem(gateway.http.get(API, headers=bearer(operator)), 403, "insufficient-scope")
    assert_problem(gateway.http.get("/admin/v1/apis"), 401)


def test_provider_a_cannot_read_or_change_provider_bs_apis(gateway: Gateway) -> None:
    a = bearer(gateway.token("provider_a"))
    operator = bearer(gateway.token("operator"))
    draft = gateway.http.get("/admin/v1/apis/secb/v2", headers=a)
    assert_problem(draft, 404)
    listed = gateway.http.get("/admin/v1/apis", headers=a).json()
    assert ("secb", "v2") not in {(row["slug"], row["version"]) for row in listed}
    writes = [
        ("POST", "/admin/v1/apis/secb/v1/retire", None),
        ("POST", "/admin/v1/apis/secb/v2/publish", None),
        ("POST", "/admin/v1/apis/secb/v1/deprecate", {"sunset": "2099-01-01"}),
        ("PUT", "/admin/v1/apis/secb/v1/plan", {"per_minute": 1, "per_day": 1}),
        ("GET", "/admin/v1/apis/secb/v1/consumers", None),
        ("GET", "/admin/v1/providers/sec-b", None),
    ]
    for method, path, body in writes:
        response = gateway.http.request(method, path, headers=a, json=body)
        assert response.status_code in (403, 404), (path, response.text)
        assert_problem(response, response.status_code)
    for version, state in (("v1", "published"), ("v2", "draft")):
        view = gateway.http.get(f"/admin/v1/apis/secb/{version}", headers=operator).json()
        assert view["state"] == state, view
        assert view["plan"]["per_minute"] != 1, view


def test_a_revoked_token_is_refused_by_the_proxy(gateway: Gateway) -> None:
    app = gateway.seeded.apps["narrow"]
    token = gateway.token("narrow")
    assert gateway.http.get("/api/secb/v1/x", headers=bearer(token)).status_code == 200
    revoked = gateway.http.post(
        "/oauth/revoke", data={"token": token}, auth=(app.client_id, app.client_secret)
    )
    assert revoked.status_code == 200, revoked.text
    deadline = time.monotonic() + 10  # the snapshot carries revocations; polled every 0.2 s
    while True:
        response = gateway.http.get("/api/secb/v1/x", headers=bearer(token))
        if response.status_code == 401 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert_problem(response, 401, "revoked-token")
