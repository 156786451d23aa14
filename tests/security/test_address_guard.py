"""The per-address guard counts only what the client did wrong (issues 7 and 14), on a real
server whose guard allows 5 faults and 40 unknown-API calls a minute per address.

The server trusts 127.0.0.1 as a proxy, so each test speaks for its own client address through
`X-Forwarded-For`, and the apps of one test share that address like apps behind one NAT: one
app's own 429s, the platform's 502s and a scan of unknown APIs must not lock the other apps
out; failed credentials still do.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.harness import cli, serve
from tests.security.checks import assert_problem, bearer
from tests.security.conftest import Seeded
from tests.security.stack import Client, token, write_document

FAULTS = 5
UNKNOWN = 40


@pytest.fixture(scope="module")
def http(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    env = {
        **seeded.env,
        "TSUNAGU_IP_PER_MINUTE": str(FAULTS),
        "TSUNAGU_IP_UNKNOWN_API_PER_MINUTE": str(UNKNOWN),
        "TSUNAGU_TRUSTED_PROXIES": "127.0.0.1",
    }
    with (
        serve(env, Path(tmp_path_factory.mktemp("guard"))) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as client,
    ):
        yield client


def _token(http: httpx.Client, seeded: Seeded, app: str) -> dict[str, str]:
    return bearer(token(str(http.base_url).rstrip("/"), seeded.apps[app]))


def _from(address: str, headers: dict[str, str] | None = None) -> dict[str, str]:
    return {**(headers or {}), "X-Forwarded-For": address}


def _plan(http: httpx.Client, seeded: Seeded, per_minute: int) -> None:
    operator = _token(http, seeded, "operator")
    plan = {"per_minute": per_minute, "per_day": 1000, "sandbox_per_minute": 30}
    response = http.put("/admin/v1/apis/seclim/v1/plan", headers=operator, json=plan)
    assert response.status_code == 200, response.text
    probe = _token(http, seeded, "consumer")
    deadline = time.monotonic() + 10
    while f'"minute";q={per_minute};' not in http.get(
        "/api/seclim/v1/corporations", headers=probe
    ).headers.get("ratelimit-policy", ""):
        assert time.monotonic() < deadline, "the plan never reached the server"
        time.sleep(0.2)


def test_a_valid_tokens_own_429s_do_not_lock_out_its_neighbours(
    http: httpx.Client, seeded: Seeded
) -> None:
    _plan(http, seeded, 2)
    consumer = _from("203.0.113.1", _token(http, seeded, "consumer"))
    statuses = [
        http.get("/api/seclim/v1/corporations", headers=consumer).status_code for _ in range(12)
    ]
    assert statuses.count(429) >= 10, statuses
    narrow = _from("203.0.113.1", _token(http, seeded, "narrow"))
    other = http.get("/api/secb/v1/corporations", headers=narrow)
    assert other.status_code == 200, other.text


def test_the_platforms_own_failures_do_not_count(http: httpx.Client, seeded: Seeded) -> None:
    """An upstream that is down gives 502s to a valid app; they are not the address's fault."""
    env, tmp = seeded.env, seeded.tmp
    document = write_document(tmp, "secdown", 1)
    dead = "http://127.0.0.1:9/secdown/v1"  # discard port: nothing listens on loopback
    cli(env, "api", "register", str(document), "--provider", "sec-b", "--upstream", dead)
    cli(env, "api", "publish", "secdown", "v1")
    app = ("app", "create", "--name", "downer", "--owner", "d@ex.jp", "--scopes", "secdown")
    created = json.loads(cli(env, *app, "--format", "json").stdout)
    client = Client(created["client_id"], created["client_secret"])
    caller = _from("203.0.113.2", bearer(token(str(http.base_url).rstrip("/"), client)))
    deadline = time.monotonic() + 10
    failures = 0
    while failures < FAULTS * 3 and time.monotonic() < deadline:
        response = http.get("/api/secdown/v1/corporations", headers=caller)
        if response.status_code == 404:  # not served yet (the snapshot polls)
            time.sleep(0.2)
            continue
        assert_problem(response, 502, "bad-gateway")
        failures += 1
    assert failures == FAULTS * 3
    narrow = _from("203.0.113.2", _token(http, seeded, "narrow"))
    other = http.get("/api/secb/v1/corporations", headers=narrow)
    assert other.status_code == 200, other.text


def test_unknown_apis_count_against_a_far_higher_limit(http: httpx.Client, seeded: Seeded) -> None:
    """Routing answers unknown APIs before the guard, so a scanner keeps getting 404s; past
    the unknown-API limit its address is refused on the real APIs."""
    scanner = _from("203.0.113.3")
    narrow = _from("203.0.113.3", _token(http, seeded, "narrow"))
    for index in range(FAULTS * 4):
        assert http.get(f"/api/nothing{index}/v1/x", headers=scanner).status_code == 404
    other = http.get("/api/secb/v1/corporations", headers=narrow)
    assert other.status_code == 200, other.text
    scans = FAULTS * 4
    probe = other
    while probe.status_code == 200 and scans <= 2 * UNKNOWN:  # a minute boundary may pass
        assert http.get(f"/api/scan{scans}/v1/x", headers=scanner).status_code == 404
        scans += 1
        probe = http.get("/api/secb/v1/corporations", headers=narrow)
    assert_problem(probe, 429, "rate-limited")
    assert "ip-unknown-api" in probe.headers["ratelimit-policy"]
    assert scans >= UNKNOWN, scans


def test_failed_credentials_still_lock_the_address(http: httpx.Client, seeded: Seeded) -> None:
    guesser = _from("203.0.113.4", {"Authorization": "Bearer guessed"})
    statuses = [
        http.get("/api/secb/v1/corporations", headers=guesser).status_code
        for _ in range(FAULTS + 2)
    ]
    assert statuses[:FAULTS] == [401] * FAULTS and statuses[-1] == 429, statuses
    elsewhere = _from("203.0.113.5", _token(http, seeded, "narrow"))
    assert http.get("/api/secb/v1/corporations", headers=elsewhere).status_code == 200
