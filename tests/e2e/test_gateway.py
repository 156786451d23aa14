"""The whole gateway as a user meets it: `tsunagu serve`, the CLI, a real upstream, HTTP."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import requests

from tests.e2e.conftest import Deployment
from tests.e2e.harness import cli

NUMBER = "7000012050002"


def get(d: Deployment, path: str, token: str | None = None, **headers: str) -> requests.Response:
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.get(d.server.base_url + path, headers=headers, timeout=10)


def poll(check: object, seconds: float) -> bool:
    """Re-evaluate `check()` until it is true or `seconds` have passed (bounded)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def assert_problem(response: requests.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert {"type", "title", "status", "detail", "request_id"} <= body.keys()
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def test_proxied_call_reaches_the_upstream_without_the_callers_token(
    deployment: Deployment,
) -> None:
    app = deployment.app("echo")
    token = app.token(deployment.server)
    response = get(
        deployment,
        f"/api/echo/v1/corporations/{NUMBER}?fields=name",
        token,
        **{"X-Request-ID": "trace-123", "X-Tsunagu-Client-Id": "forged"},
    )
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["path"] == f"/v1/corporations/{NUMBER}"
    assert seen["query"] == "fields=name"
    assert seen["authorization"] is None
    assert seen["x_forwarded_for"] == "127.0.0.1"
    assert seen["x_request_id"] == "trace-123" == response.headers["x-request-id"]
    assert seen["x_tsunagu_client_id"] == [app.client_id]  # the verified app, never the forgery
    assert re.fullmatch(
        r'"minute";q=60;w=60, "day";q=10000;w=86400', response.headers["ratelimit-policy"]
    )
    assert re.fullmatch(r'"minute";r=59;t=\d+, "day";r=9999;t=\d+', response.headers["ratelimit"])


def test_encoded_path_bytes_reach_the_upstream_as_sent(deployment: Deployment) -> None:
    token = deployment.app("echo").token(deployment.server)
    cases = {
        "/files/a%2Fb": "/v1/files/a%2Fb",  # an encoded slash stays inside its segment
        "/names/%E6%B3%95%E4%BA%BA": "/v1/names/%E6%B3%95%E4%BA%BA",
        "/odd/100%25": "/v1/odd/100%25",
    }
    for sent, expected in cases.items():
        response = get(deployment, "/api/echo/v1" + sent, token)
        assert response.status_code == 200, (sent, response.text)
        assert response.json()["raw_path"] == expected, sent
    assert get(deployment, "/api/echo/v1/a/%2e%2e/b", token).status_code == 400


def test_missing_bad_and_insufficient_tokens(deployment: Deployment) -> None:
    missing = get(deployment, "/api/echo/v1/corporations")
    assert_problem(missing, 401)
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert "ratelimit" not in missing.headers
    bad = get(deployment, "/api/echo/v1/corporations", "not.a.jwt")
    assert_problem(bad, 401)
    assert 'error="invalid_token"' in bad.headers["www-authenticate"]
    no_grants = deployment.app("").token(deployment.server)
    refused = get(deployment, "/api/echo/v1/corporations", no_grants)
    assert_problem(refused, 403)
    assert 'error="insufficient_scope"' in refused.headers["www-authenticate"]


def test_unknown_api_is_a_problem_in_the_callers_language(deployment: Deployment) -> None:
    body = assert_problem(get(deployment, "/api/nothing/v1/x"), 404)
    assert body["title"] == "APIが見つかりません"
    english = get(deployment, "/api/nothing/v1/x", **{"Accept-Language": "en-US,en;q=0.9"})
    assert assert_problem(english, 404)["title"] == "API not found"
    assert english.headers["content-language"] == "en"


def test_sandbox_and_production_tokens_stay_apart(deployment: Deployment) -> None:
    sandbox = deployment.app("echo", sandbox=True).token(deployment.server)
    production = deployment.app("echo").token(deployment.server)
    answer = get(deployment, f"/sandbox/echo/v1/corporations/{NUMBER}", sandbox)
    assert answer.status_code == 200
    assert answer.json()["name"] == "国税庁"
    missing = get(
        deployment, "/sandbox/echo/v1/corporations/1234567890123", sandbox, Prefer="code=404"
    )
    assert missing.status_code == 404
    assert_problem(get(deployment, "/api/echo/v1/corporations", sandbox), 403)
    assert_problem(get(deployment, "/sandbox/echo/v1/corporations", production), 403)


def test_cli_changes_are_served_without_restart(deployment: Deployment) -> None:
    token = deployment.app("echo").token(deployment.server)
    sunset = datetime.now(timezone(timedelta(hours=9))).date() + timedelta(days=200)
    cli(
        deployment.env,
        "api",
        "deprecate",
        "echo",
        "v1",
        "--sunset",
        sunset.isoformat(),
        "--successor",
        "v2",
    )

    def deprecated() -> bool:
        return "deprecation" in get(deployment, "/api/echo/v1/corporations", token).headers

    assert poll(deprecated, 5), "the deprecation was not served"
    headers = get(deployment, "/api/echo/v1/corporations", token).headers
    assert re.fullmatch(r"@\d+", headers["deprecation"])
    assert parsedate_to_datetime(headers["sunset"]).date() == sunset - timedelta(
        days=1
    )  # 00:00 JST
    assert 'rel="successor-version"' in headers["link"]
    assert "/api/echo/v2/" in headers["link"]

    cli(deployment.env, "api", "retire", "echo", "v1")
    assert poll(lambda: get(deployment, "/api/echo/v1/corporations", token).status_code == 410, 5)
    gone = assert_problem(get(deployment, "/api/echo/v1/corporations", token), 410)
    assert "v2" in json.dumps(gone)


def test_usage_reaches_api_consumers(deployment: Deployment) -> None:
    app = deployment.app("echo")
    token = app.token(deployment.server)
    for _ in range(3):
        assert get(deployment, "/api/echo/v2/corporations", token).status_code == 200

    def counted() -> bool:
        rows = json.loads(
            cli(deployment.env, "api", "consumers", "echo", "v2", "--format", "json").stdout
        )
        return any(r["client_id"] == app.client_id and r["count"] == 3 for r in rows)

    assert poll(counted, 12), "calls did not show up in `tsunagu api consumers`"


def test_operator_token_drives_the_admin_api(deployment: Deployment) -> None:
    operator = deployment.app("tsunagu:admin").token(deployment.server)
    listing = get(deployment, "/admin/v1/apis", operator)
    assert listing.status_code == 200
    assert {(a["slug"], a["version"]) for a in listing.json()} >= {("echo", "v2")}
    developer = deployment.app("echo").token(deployment.server)
    assert get(deployment, "/admin/v1/apis", developer).status_code == 403
    assert get(deployment, "/admin/v1/apis").status_code == 401
    assert get(deployment, "/admin/v1/openapi.json").status_code == 200


def test_health_readiness_and_metrics(deployment: Deployment) -> None:
    assert get(deployment, "/healthz").json() == {"status": "ok"}
    assert get(deployment, "/readyz").status_code == 200
    metrics = get(deployment, "/metrics").text
    assert "tsunagu_requests_total" in metrics
    assert "tsunagu_snapshot_generation" in metrics
    meta = get(deployment, "/.well-known/oauth-authorization-server").json()
    assert meta["token_endpoint"].endswith("/oauth/token")
    assert {"echo", "tsunagu:admin"} <= set(meta["scopes_supported"])
    assert get(deployment, "/oauth/jwks").json()["keys"]
