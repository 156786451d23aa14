"""A developer's own webhook and subscriptions through `/developer/v1`, against a real
`tsunagu serve` with a real webhook receiver: only the owner may set them (another developer
gets 404), CSRF is required, the URL policy is the CLI's (loopback is allowed here only because
`TSUNAGU_UPSTREAM_ALLOW` names 127.0.0.1, as in tests/e2e/test_notices.py), and a deprecation
then reaches the URL with a signature the shown secret verifies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from standardwebhooks.webhooks import Webhook as Verifier

from tests.e2e.conftest import seed_echo
from tests.e2e.harness import Server, cli, serve
from tests.e2e.hooks import HookLog
from tests.e2e.upstream import echo_app, upstream_server
from tests.mailbox import wait_for
from tests.security.developer_client import Developer

pytestmark = pytest.mark.xdist_group("security-developer-webhooks")
JST = timezone(timedelta(hours=9))


@dataclass(frozen=True)
class Stack:
    env: dict[str, str]
    server: Server
    hooks: HookLog
    receiver: str

    def developer(self) -> Developer:
        return Developer(self.server.base_url, self.env["TSUNAGU_DATABASE_URL"]).ready()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Its own registry (a deprecation here must not touch the shared security registry)."""
    tmp = tmp_path_factory.mktemp("developer-webhooks")
    hooks = HookLog()
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp / 'tsunagu.db'}",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_ACCOUNT_REQUESTS_PER_HOUR": "1000",
        "TSUNAGU_NOTICE_POLL_SECONDS": "0.2",
        "TSUNAGU_NOTICE_BACKOFF_SECONDS": "0.2",
    }
    with upstream_server(echo_app) as upstream, upstream_server(hooks.app()) as receiver:
        seed_echo(env, tmp, upstream, majors=(1, 2))
        with serve(env, tmp) as server:
            yield Stack(env, server, hooks, receiver)


def webhook_rows(env: dict[str, str]) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(
        cli(env, "notices", "list", "--format", "json").stdout
    )
    return [d for d in listed if d["channel"] == "webhook"]


def test_the_owner_sets_a_webhook_and_subscribes_and_a_deprecation_arrives_signed(
    stack: Stack,
) -> None:
    owner = stack.developer()
    app = str(owner.create_app("通知アプリ", sandbox=True)["client_id"])
    assert owner.http.get(f"/apps/{app}/webhook").json() == {"client_id": app, "url": None}

    url = f"{stack.receiver}/owner"
    response = owner.send("PUT", f"/apps/{app}/webhook", {"url": url})
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["url"] == url and created["secret"].startswith("whsec_")
    shown = owner.http.get(f"/apps/{app}/webhook").json()
    assert shown == {"client_id": app, "url": url}  # never the secret again

    subscribed = owner.send("PUT", f"/apps/{app}/subscriptions/echo")
    assert subscribed.status_code == 200 and subscribed.json()["new"] is True
    again = owner.send("PUT", f"/apps/{app}/subscriptions/echo")
    assert again.json()["new"] is False
    listed = owner.http.get(f"/apps/{app}/subscriptions").json()
    assert [s["slug"] for s in listed] == ["echo"]
    unknown = owner.send("PUT", f"/apps/{app}/subscriptions/no-such-api")
    assert unknown.status_code == 404 and unknown.json()["type"].endswith("#not-found")

    sunset = (datetime.now(JST).date() + timedelta(days=200)).isoformat()
    cli(stack.env, "api", "deprecate", "echo", "v1", "--sunset", sunset, "--successor", "v2")

    def sent() -> bool:
        return any(d["recipient"] == app and d["state"] == "sent" for d in webhook_rows(stack.env))

    wait_for(sent, "the webhook to the subscribed app", 60)
    [hook] = stack.hooks.at("/owner")
    payload = Verifier(created["secret"]).verify(hook.body, hook.headers)
    assert payload["type"] == "api.version.deprecated"

    assert owner.send("DELETE", f"/apps/{app}/subscriptions/echo").status_code == 204
    assert owner.http.get(f"/apps/{app}/subscriptions").json() == []
    assert owner.send("DELETE", f"/apps/{app}/webhook").status_code == 204
    assert owner.http.get(f"/apps/{app}/webhook").json()["url"] is None
    assert created["secret"] not in stack.server.log()
    owner.close()


def test_another_developer_cannot_touch_the_app(stack: Stack) -> None:
    owner, stranger = stack.developer(), stack.developer()
    app = str(owner.create_app("他人のアプリ", sandbox=True)["client_id"])
    url = f"{stack.receiver}/stranger"
    attempts = [
        stranger.http.get(f"/apps/{app}/webhook"),
        stranger.send("PUT", f"/apps/{app}/webhook", {"url": url}),
        stranger.send("DELETE", f"/apps/{app}/webhook"),
        stranger.http.get(f"/apps/{app}/subscriptions"),
        stranger.send("PUT", f"/apps/{app}/subscriptions/echo"),
        stranger.send("DELETE", f"/apps/{app}/subscriptions/echo"),
    ]
    for response in attempts:
        assert response.status_code == 404, response.text
        assert response.json()["type"].endswith("#app-not-yours")
    assert owner.http.get(f"/apps/{app}/webhook").json()["url"] is None
    assert owner.http.get(f"/apps/{app}/subscriptions").json() == []
    owner.close()
    stranger.close()


def test_csrf_is_required_and_internal_addresses_are_refused(stack: Stack) -> None:
    owner = stack.developer()
    app = str(owner.create_app("検査アプリ", sandbox=True)["client_id"])
    body = {"url": f"{stack.receiver}/csrf"}
    missing = owner.http.put(f"/apps/{app}/webhook", json=body)
    assert missing.status_code == 403 and missing.json()["type"].endswith("#csrf-failed")
    forged = owner.http.put(f"/apps/{app}/subscriptions/echo", headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403 and forged.json()["type"].endswith("#csrf-failed")
    assert owner.http.get(f"/apps/{app}/subscriptions").json() == []

    metadata = owner.send("PUT", f"/apps/{app}/webhook", {"url": "https://169.254.169.254/x"})
    assert metadata.status_code == 400
    assert metadata.json()["type"].endswith("#webhook-not-allowed")
    plain = owner.send("PUT", f"/apps/{app}/webhook", {"url": "http://10.0.0.8/hook"})
    assert plain.status_code == 400 and plain.json()["type"].endswith("#invalid-webhook-url")
    assert owner.http.get(f"/apps/{app}/webhook").json()["url"] is None  # nothing stored
    owner.close()
