"""Canary secrets never reach the server's log or any response body (SECURITY-TESTS I01, I02).

Each request here carries a recognisable secret in a place a careless gateway might log or echo:
the client secret in a token form, a bearer token in the query, an API key in the query, a
forged token in the Authorization header. The module's server log is grepped at the end.
"""

from __future__ import annotations

import httpx

from tests.security.checks import bearer
from tests.security.conftest import Gateway

API = "/api/secapi/v3/corporations"
API_KEY_CANARY = "apikey-canary-7f3d9a1c"
FORGED_CANARY = "forged-canary-0b8e.c2d4.e6f8"


def _exercise(gateway: Gateway) -> tuple[list[str], list[httpx.Response]]:
    """Send the canaries everywhere; returns the secrets used and every response."""
    app = gateway.seeded.apps["consumer"]
    token = gateway.token("consumer")
    form = "application/x-www-form-urlencoded"
    requests: list[tuple[str, str, dict[str, str], bytes]] = [
        ("GET", f"{API}?access_token={token}", {}, b""),
        ("GET", f"{API}?api_key={API_KEY_CANARY}", bearer(token), b""),
        ("GET", f"{API}?x-api-key={API_KEY_CANARY}", {}, b""),
        ("GET", API, {"X-API-Key": API_KEY_CANARY}, b""),
        ("GET", API, bearer(FORGED_CANARY), b""),
        ("GET", "/admin/v1/apis", bearer(FORGED_CANARY), b""),
        ("GET", f"/admin/v1/apis?access_token={token}", {}, b""),
        ("GET", "/api/secapi/v3/%ff", bearer(FORGED_CANARY), b""),
        (
            "POST",
            "/oauth/token",
            {"Content-Type": form},
            f"grant_type=client_credentials&client_id={app.client_id}"
            f"&client_secret={app.client_secret}&client_secret={app.client_secret}".encode(),
        ),
        (
            "POST",
            "/oauth/token",
            {"Content-Type": form},
            f"grant_type=password&client_id={app.client_id}&client_secret={app.client_secret}"
            f"&password={app.client_secret}".encode(),
        ),
        (
            "POST",
            "/oauth/token",
            {"Content-Type": "application/json"},
            f'{{"client_secret": "{app.client_secret}"}}'.encode(),
        ),
        ("POST", "/oauth/introspect", {"Content-Type": form}, f"token={token}".encode()),
        ("POST", "/oauth/revoke", {"Content-Type": form}, f"token={FORGED_CANARY}".encode()),
    ]
    responses = [
        gateway.http.request(method, path, headers=headers, content=body)
        for method, path, headers, body in requests
    ]
    responses.append(
        gateway.http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": "nope"},
            auth=(app.client_id, app.client_secret),
        )
    )
    return [app.client_secret, token, API_KEY_CANARY, FORGED_CANARY], responses


def test_canaries_appear_in_no_log_line_and_no_response(gateway: Gateway) -> None:
    secrets, responses = _exercise(gateway)
    assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]
    for response in responses:
        for secret in secrets:
            assert secret not in response.text, (response.request.url, response.text)
            leaked = [k for k, v in response.headers.items() if secret in v]
            assert not leaked, (response.request.url, leaked)
    assert gateway.server.log_path.exists()
    log = gateway.log()
    for secret in secrets:
        assert secret not in log
    # the same bits of the secrets, in case something logs a prefix or URL-encodes them
    for secret in secrets:
        assert secret[:16] not in log


def test_the_secret_is_shown_once_and_never_by_the_admin_api(gateway: Gateway) -> None:
    app = gateway.seeded.apps["consumer"]
    operator = bearer(gateway.token("operator"))
    for path in ("/admin/v1/changes?limit=1000", "/admin/v1/apis", "/admin/v1/apis/secapi/v3"):
        response = gateway.http.get(path, headers=operator)
        assert response.status_code == 200, response.text
        assert app.client_secret not in response.text
    metrics = gateway.http.get("/metrics").text
    assert app.client_secret not in metrics and app.client_id not in metrics
