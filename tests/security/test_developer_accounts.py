"""Developer self-service against a real `tsunagu serve` (ADR 0024, ADR 0025): the whole path
from sign-up to an approved production call, and the attacks on the new surface — CSRF,
session fixation, cookie flags, account enumeration, other developers' apps, guessing,
secrets in logs, app disable and account deletion."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.harness import cli, cli_json, serve
from tests.security.conftest import Gateway, Seeded
from tests.security.developer_client import PASSWORD, Developer, link_token, mails_to
from tests.security.stack import Client, token

pytestmark = pytest.mark.xdist_group("security-developer")
SANDBOX = "/sandbox/secapi/v3/corporations"
PRODUCTION = "/api/secapi/v3/corporations"
REFRESH_DEADLINE = 10.0  # bounded wait for the next snapshot (poll 0.2 s in these tests)


@pytest.fixture(scope="module")
def gateway(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """This module's server: every test signs up from the same loopback address, so the
    per-address pacing of sign-ups is raised (its default is tested in the registry tests)."""
    env = {**seeded.env, "TSUNAGU_ACCOUNT_REQUESTS_PER_HOUR": "1000"}
    with (
        serve(env, tmp_path_factory.mktemp("serve")) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as http,
    ):
        yield Gateway(server, http, seeded)


@pytest.fixture
def developer(gateway: Gateway) -> Iterator[Developer]:
    dev = Developer(gateway.server.base_url, gateway.seeded.env["TSUNAGU_DATABASE_URL"])
    yield dev
    dev.close()


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def client_of(created: dict[str, object]) -> Client:
    return Client(str(created["client_id"]), str(created["client_secret"]))


def wait_status(gateway: Gateway, path: str, access: str, status: int) -> httpx.Response:
    end = time.monotonic() + REFRESH_DEADLINE
    while True:
        response = gateway.http.get(path, headers=bearer(access))
        if response.status_code == status or time.monotonic() > end:
            return response
        time.sleep(0.1)


def test_sign_up_to_an_approved_production_call(gateway: Gateway, developer: Developer) -> None:
    env = gateway.seeded.env
    developer.ready()
    me = developer.http.get("/me").json()
    assert me["email"] == developer.email and me["verified_at"] and me["terms_version"]

    sandbox = client_of(developer.create_app("試験アプリ", sandbox=True))
    sandbox_token = token(gateway.server.base_url, sandbox)
    assert gateway.http.get(SANDBOX, headers=bearer(sandbox_token)).status_code == 200

    production = developer.create_app("本番アプリ", sandbox=False)
    prod = client_of(production)
    use = "市区町村の窓口案内アプリで法人番号を検索するために使います。"
    response = developer.send(
        "POST", f"/apps/{prod.client_id}/access-requests", {"api": "secapi", "use": use}
    )
    assert response.status_code == 201, response.text
    request_id = response.json()["id"]
    before = gateway.http.get(PRODUCTION, headers=bearer(token(gateway.server.base_url, prod)))
    assert before.status_code == 403  # nothing approved yet

    pending = cli_json(env, "access", "list", "--provider", "sec-a", "--format", "json")
    assert [r["id"] for r in pending if r["client_id"] == prod.client_id] == [request_id]
    other = cli_json(env, "access", "list", "--provider", "sec-b", "--format", "json")
    assert all(r["id"] != request_id for r in other)  # provider-scoped
    refused = cli(env, "access", "approve", str(request_id), "--provider", "sec-b", check=False)
    assert refused.returncode == 2 and "access-request-not-found" in refused.stderr

    other_provider = {"Authorization": f"Bearer {gateway.token('provider_b')}"}
    listed_b = gateway.http.get("/admin/v1/access-requests", headers=other_provider)
    assert listed_b.status_code == 200 and all(r["id"] != request_id for r in listed_b.json())
    approve_url = f"/admin/v1/access-requests/{request_id}/approve"
    assert gateway.http.post(approve_url, json={}, headers=other_provider).status_code == 404
    developer_token = {"Authorization": f"Bearer {token(gateway.server.base_url, prod)}"}
    assert gateway.http.get("/admin/v1/access-requests", headers=developer_token).status_code == 403
    own = {"Authorization": f"Bearer {gateway.token('provider_a')}"}
    listed_a = gateway.http.get("/admin/v1/access-requests", headers=own).json()
    assert [r["id"] for r in listed_a if r["client_id"] == prod.client_id] == [request_id]

    cli(env, "access", "approve", str(request_id), "--provider", "sec-a")
    (decision,) = mails_to(developer.database_url, developer.email, "access.decision")
    assert "secapi" in decision.body and prod.client_id in decision.body
    after = gateway.http.get(PRODUCTION, headers=bearer(token(gateway.server.base_url, prod)))
    assert after.status_code == 200, after.text
    listed = developer.http.get("/access-requests").json()
    assert [r["state"] for r in listed] == ["approved"]


def test_unsafe_requests_need_the_csrf_token(gateway: Gateway, developer: Developer) -> None:
    developer.ready()
    body = {"name": "x", "sandbox": True}
    assert developer.http.post("/apps", json=body).status_code == 403
    wrong = developer.http.post("/apps", json=body, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403 and wrong.json()["type"].endswith("#csrf-failed")
    cross = developer.http.post(
        "/apps",
        json=body,
        headers={"X-CSRF-Token": developer.csrf(), "Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    form = developer.http.post(
        gateway.server.base_url + "/portal/account/apps", data={"name": "x", "csrf": "forged"}
    )
    assert form.status_code == 403
    assert developer.http.get("/apps").json() == []  # nothing was created


def test_log_in_issues_a_new_session_with_safe_cookie_flags(
    gateway: Gateway, developer: Developer
) -> None:
    assert developer.sign_up().status_code == 202
    developer.verify()
    developer.http.cookies.set("tsunagu_session", "planted-by-an-attacker", domain="127.0.0.1")
    response = developer.log_in()
    assert response.status_code == 204
    cookie = next(
        v for v in response.headers.get_list("set-cookie") if v.startswith("tsunagu_session=")
    )
    assert "planted-by-an-attacker" not in cookie
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags  # the public URL is http here (Secure is tested with https)
    planted = httpx.get(
        developer.http.base_url.join("me"), cookies={"tsunagu_session": "planted-by-an-attacker"}
    )
    assert planted.status_code == 401
    assert developer.http.get("/me").status_code == 200


def test_sign_up_and_reset_answer_the_same_for_known_and_unknown(
    gateway: Gateway, developer: Developer
) -> None:
    developer.ready()
    stranger = Developer(gateway.server.base_url, developer.database_url)
    try:
        known = stranger.send(
            "POST",
            "/accounts",
            {"email": developer.email, "password": "x" * 12, "accept_terms": True},
        )
        unknown = stranger.sign_up()
        assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
        reset_known = stranger.send("POST", "/password-resets", {"email": developer.email})
        reset_unknown = stranger.send("POST", "/password-resets", {"email": "nobody@example.jp"})
        assert (reset_known.status_code, reset_known.json()) == (
            reset_unknown.status_code,
            reset_unknown.json(),
        )
    finally:
        stranger.close()
    # the owner is told of the attempt; the password did not change
    assert mails_to(developer.database_url, developer.email, "account.exists")
    assert developer.log_in().status_code == 204


def test_another_developers_app_reads_as_not_found(gateway: Gateway, developer: Developer) -> None:
    developer.ready()
    app = developer.create_app("mine", sandbox=True)
    other = Developer(gateway.server.base_url, developer.database_url).ready()
    try:
        client_id = app["client_id"]
        assert other.http.get(f"/apps/{client_id}").status_code == 404
        assert other.http.get(f"/apps/{client_id}/usage").status_code == 404
        assert other.send("POST", f"/apps/{client_id}/secret").status_code == 404
        assert other.send("DELETE", f"/apps/{client_id}").status_code == 404
        page = other.http.get(f"{gateway.server.base_url}/portal/account/apps/{client_id}")
        assert page.status_code == 404
    finally:
        other.close()
    assert developer.http.get(f"/apps/{app['client_id']}").status_code == 200


def test_guessing_the_password_is_slowed_down(gateway: Gateway, developer: Developer) -> None:
    developer.ready()
    statuses = [developer.log_in("wrong password!").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    throttled = developer.log_in()  # even the right password waits from this address
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1


def test_rotation_keeps_the_old_secret_for_the_overlap(
    gateway: Gateway, developer: Developer
) -> None:
    developer.ready()
    created = developer.create_app("rotating", sandbox=True)
    old = client_of(created)
    rotated = developer.send("POST", f"/apps/{old.client_id}/secret")
    assert rotated.status_code == 200
    new = Client(old.client_id, rotated.json()["client_secret"])
    assert new.client_secret != old.client_secret
    for client in (old, new):
        assert token(gateway.server.base_url, client)
    listed = developer.http.get(f"/apps/{old.client_id}").json()
    assert listed["previous_secret_until"] and "client_secret" not in listed


def test_disabled_app_tokens_stop_at_the_next_snapshot(
    gateway: Gateway, developer: Developer
) -> None:
    developer.ready()
    app = client_of(developer.create_app("to disable", sandbox=True))
    access = token(gateway.server.base_url, app)
    assert gateway.http.get(SANDBOX, headers=bearer(access)).status_code == 200
    cli(gateway.seeded.env, "app", "disable", app.client_id)
    refused = wait_status(gateway, SANDBOX, access, 401)
    assert refused.status_code == 401 and refused.json()["type"].endswith("#revoked-token")
    again = httpx.post(
        gateway.server.base_url + "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(app.client_id, app.client_secret),
    )
    assert again.status_code == 401


def test_deleting_the_account_removes_the_person(gateway: Gateway, developer: Developer) -> None:
    developer.ready()
    app = client_of(developer.create_app("to forget", sandbox=True))
    access = token(gateway.server.base_url, app)
    assert developer.send("DELETE", "/me").status_code == 204
    assert developer.http.get("/me").status_code == 401
    assert mails_to(developer.database_url, developer.email, "account.verify") == []
    assert wait_status(gateway, SANDBOX, access, 401).status_code == 401
    assert developer.log_in().status_code == 401


def test_no_secret_reaches_the_log(gateway: Gateway, developer: Developer) -> None:
    developer.ready()
    created = developer.create_app("log check", sandbox=True)
    verify_mail = mails_to(developer.database_url, developer.email, "account.verify")
    developer.log_in("wrong password!")
    log = gateway.log()
    session = developer.http.cookies.get("tsunagu_session")
    for secret in (PASSWORD, "wrong password!", str(created["client_secret"]), str(session)):
        assert secret not in log
    assert all(link_token(m) not in log for m in verify_mail)


def test_the_apis_are_described(gateway: Gateway) -> None:
    developer_doc = gateway.http.get("/developer/v1/openapi.json").json()
    assert {
        "/accounts",
        "/sessions",
        "/apps",
        "/apps/{client_id}/access-requests",
        "/apps/{client_id}/webhook",
        "/apps/{client_id}/subscriptions",
        "/apps/{client_id}/subscriptions/{slug}",
    } <= set(developer_doc["paths"])
    webhook = developer_doc["paths"]["/apps/{client_id}/webhook"]
    assert {"get", "put", "delete"} <= set(webhook)
    assert {"put", "delete"} <= set(
        developer_doc["paths"]["/apps/{client_id}/subscriptions/{slug}"]
    )
    admin_doc = gateway.http.get("/admin/v1/openapi.json").json()
    assert {"/access-requests", "/apps/{client_id}/disable"} <= set(admin_doc["paths"])
