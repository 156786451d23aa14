"""Rate limiting seen from outside (SECURITY-TESTS B04, B05, B14, B15, A22) on a real server.

The operator gives `seclim` v1 a plan of 3 calls a minute through the admin API; a fresh app
created through the admin API then spends it.
"""

from __future__ import annotations

import time

import pytest

from tests.security.checks import assert_problem, bearer
from tests.security.conftest import Gateway
from tests.security.stack import Client, token

PATH = "/api/seclim/v1/corporations"
LIMIT = 3


@pytest.fixture(scope="module")
def limited(gateway: Gateway) -> Client:
    """An app allowed `seclim`, once the server serves the 3-a-minute plan."""
    operator = bearer(gateway.token("operator"))
    plan = {"per_minute": LIMIT, "per_day": 1000, "sandbox_per_minute": 30}
    response = gateway.http.put("/admin/v1/apis/seclim/v1/plan", headers=operator, json=plan)
    assert response.status_code == 200, response.text
    created = gateway.http.post(
        "/admin/v1/apps",
        headers=operator,
        json={"name": "limited", "owner": "l@ex.jp", "scopes": ["seclim"]},
    )
    assert created.status_code == 201, created.text
    probe = bearer(gateway.token("consumer"))
    deadline = time.monotonic() + 10  # CONTRACT: served within 2 s; the snapshot polls at 0.2 s
    while f'"minute";q={LIMIT};' not in gateway.http.get(PATH, headers=probe).headers.get(
        "ratelimit-policy", ""
    ):
        assert time.monotonic() < deadline, "the new plan never reached the server"
        time.sleep(0.2)
    body = created.json()
    return Client(body["client_id"], body["client_secret"])


def test_the_limit_is_exact_and_429s_never_reach_the_upstream(
    gateway: Gateway, limited: Client
) -> None:
    headers = bearer(token(gateway.server.base_url, limited))
    seen = gateway.seeded.upstream.seen
    before = len(seen)
    remaining = []
    for _ in range(LIMIT):
        response = gateway.http.get(PATH, headers=headers)
        assert response.status_code == 200, response.text
        remaining.append(int(response.headers["ratelimit"].split(";r=")[1].split(";")[0]))
    assert remaining == sorted(remaining, reverse=True) and remaining[-1] == 0
    spoofed = {
        "X-Forwarded-For": "203.0.113.9",
        "X-Client-Id": "someone-else",
        "Forwarded": "for=1",
    }
    for extra in ({}, spoofed):
        response = gateway.http.get(PATH, headers={**headers, **extra})
        body = assert_problem(response, 429, "rate-limited")
        assert 1 <= int(response.headers["retry-after"]) <= 60, response.headers
        assert response.headers["ratelimit"].startswith('"minute";r=0;t=')
        assert response.headers["ratelimit-policy"].startswith(f'"minute";q={LIMIT};w=60')
        assert "minute" in body["detail"]
    assert len(seen) == before + LIMIT


@pytest.mark.usefixtures("limited")
def test_other_apps_keep_their_own_quota(gateway: Gateway) -> None:
    response = gateway.http.get(PATH, headers=bearer(gateway.token("consumer")))
    assert response.status_code == 200
    assert response.headers["ratelimit-policy"].startswith(f'"minute";q={LIMIT};')
    assert int(response.headers["ratelimit"].split(";r=")[1].split(";")[0]) > 0


def test_token_endpoint_throttles_secret_guessing(gateway: Gateway) -> None:
    form = {"grant_type": "client_credentials"}
    statuses = []
    for attempt in range(30):
        response = gateway.http.post("/oauth/token", data=form, auth=("tsu_guess", f"s{attempt}"))
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[0] == 401 and statuses[-1] == 429, statuses
    assert response.json()["error"] == "invalid_client"
    assert int(response.headers["retry-after"]) >= 1
    assert gateway.token("narrow")  # another client from the same address is not locked out
