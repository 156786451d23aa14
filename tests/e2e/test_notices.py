"""Change notices end to end: a real `tsunagu serve`, a real SMTP server, a real webhook receiver.

Deprecating a version that app A called and app B did not sends one e-mail to A's owner and
one signed webhook to A, and nothing to B; the feeds parse; an SMTP outage delays a notice
without losing or doubling it; a worker killed mid-send re-sends at most once, with the same
Message-ID; the launch-watch report arrives by mail.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
import requests
from sqlalchemy import update
from standardwebhooks.webhooks import Webhook as Verifier

from registry.settings import Settings
from registry.store import open_store
from registry.store.tables import ApiVersionRow
from tests.e2e.conftest import App, seed_echo
from tests.e2e.harness import TSUNAGU, Server, cli, serve
from tests.e2e.hooks import HookLog
from tests.e2e.upstream import echo_app, upstream_server
from tests.mailbox import Mailbox, smtp_server, wait_for
from tests.services import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("notices")]
JST = timezone(timedelta(hours=9))
MAIL_FROM = "notices@gw.example.jp"


def base_env(tmp: Path, smtp_url: str) -> dict[str, str]:
    return {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp / 'tsunagu.db'}",
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
        "TSUNAGU_SMTP_URL": smtp_url,
        "TSUNAGU_MAIL_FROM": MAIL_FROM,
        "TSUNAGU_NOTICE_POLL_SECONDS": "0.2",
        "TSUNAGU_NOTICE_BACKOFF_SECONDS": "0.2",
    }


def make_app(env: dict[str, str], name: str, owner: str, scopes: str = "echo") -> App:
    args = ["app", "create", "--name", name, "--owner", owner, "--scopes", scopes]
    created = json.loads(cli(env, *args, "--format", "json").stdout)
    return App(created["client_id"], created["client_secret"])


def notices(env: dict[str, str], *args: str) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(
        cli(env, "notices", "list", *args, "--format", "json").stdout
    )
    return listed


def sunset_far() -> str:
    return (datetime.now(JST).date() + timedelta(days=200)).isoformat()


def call(server: Server, app: App, path: str) -> None:
    token = app.token(server)
    response = requests.get(
        server.base_url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 200, response.text


def test_deprecation_reaches_the_caller_by_mail_and_signed_webhook_and_nobody_else(
    tmp_path: Path,
) -> None:
    hooks = HookLog()
    with (
        smtp_server() as mailbox,
        upstream_server(echo_app) as upstream,
        upstream_server(hooks.app()) as receiver,
    ):
        env = base_env(tmp_path, mailbox.url)
        seed_echo(env, tmp_path, upstream, majors=(1, 2))
        a = make_app(env, "App A", "a@example.jp")
        b = make_app(env, "App B", "b@example.jp")
        secrets = {}
        for app, name in ((a, "a"), (b, "b")):
            args = ["app", "webhook", app.client_id, "--url", f"{receiver}/{name}"]
            secrets[name] = json.loads(cli(env, *args, "--format", "json").stdout)["secret"]
        with serve(env, tmp_path) as server:
            call(server, a, "/api/echo/v1/corporations")
            call(server, b, "/api/echo/v2/corporations")  # another version: not concerned

            def a_counted() -> bool:
                rows = json.loads(
                    cli(env, "api", "consumers", "echo", "v1", "--format", "json").stdout
                )
                return [r["client_id"] for r in rows] == [a.client_id]

            wait_for(a_counted, "A's call in the usage roll-ups", 30)
            sunset = sunset_far()
            cli(env, "api", "deprecate", "echo", "v1", "--sunset", sunset, "--successor", "v2")
            wait_for(lambda: len(notices(env, "--state", "sent")) == 2, "two notices sent", 60)
            feeds = {
                path: requests.get(server.base_url + path, timeout=10)
                for path in ("/feeds/changes.atom", "/feeds/echo.atom")
            }
            operator = make_app(env, "ops", "ops@example.jp", "tsunagu:admin").token(server)
            listed = requests.get(
                server.base_url + "/admin/v1/notices",
                headers={"Authorization": f"Bearer {operator}"},
                timeout=10,
            )
    sent = notices(env)
    assert sorted((d["channel"], d["recipient"]) for d in sent) == [
        ("email", "a@example.jp"),
        ("webhook", a.client_id),
    ]
    assert listed.status_code == 200 and {d["id"] for d in listed.json()} == {d["id"] for d in sent}
    [mail] = mailbox.received()
    assert mail["To"] == "a@example.jp" and mail["From"] == MAIL_FROM
    email_id = next(d["id"] for d in sent if d["channel"] == "email")
    assert mail["Message-ID"] == f"<{email_id}@gw.example.jp>"
    assert mail["Auto-Submitted"] == "auto-generated" and mail["Date"]
    day = date.fromisoformat(sunset)
    assert mail["Subject"].startswith("【重要】法人情報API")
    assert f"v1 の提供終了（{day.year}年{day.month}月{day.day}日）" in mail["Subject"]
    text = mail.get_content()
    assert text.index("後継バージョン: v2") < text.index("Successor: v2")
    assert a.client_id in text and b.client_id not in text
    assert hooks.at("/b") == []
    [hook] = hooks.at("/a")
    payload = Verifier(secrets["a"]).verify(hook.body, hook.headers)
    assert payload["type"] == "api.version.deprecated"
    assert hook.headers["webhook-id"] == next(d["id"] for d in sent if d["channel"] == "webhook")
    for path, response in feeds.items():
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, path
        assert feed.entries[0].tags[0].term == "api.version.deprecated"


def test_an_smtp_outage_delays_a_notice_and_it_arrives_once(tmp_path: Path) -> None:
    box = Mailbox(port=free_port())  # not listening yet: the SMTP server is down
    env = base_env(tmp_path, box.url)
    delivery_id = enqueue(env, "outage")
    with serve(env, tmp_path):

        def attempted_twice() -> bool:
            [row] = notices(env)
            return int(str(row["attempts"])) >= 2 and row["state"] == "pending"

        wait_for(attempted_twice, "two failed attempts while SMTP is down", 60)
        with smtp_server(box) as mailbox:
            wait_for(lambda: notices(env, "--state", "sent") != [], "delivery after the outage")
            [row] = notices(env)
    assert row["id"] == delivery_id and row["state"] == "sent"
    assert [m["Message-ID"] for m in mailbox.received()] == [f"<{delivery_id}@gw.example.jp>"]


def test_a_worker_killed_mid_send_re_sends_at_most_once_with_the_same_message_id(
    tmp_path: Path,
) -> None:
    with smtp_server() as mailbox:
        env = {**base_env(tmp_path, mailbox.url), "TSUNAGU_NOTICE_CLAIM_SECONDS": "1"}
        delivery_id = enqueue(env, "crash")
        mailbox.hold_data()  # the server takes the message and does not answer
        worker = subprocess.Popen(
            [TSUNAGU, "notices", "deliver", "--once"],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(mailbox.held.is_set, "the worker to send DATA", 60)
            assert notices(env)[0]["state"] == "sending"  # claimed, not marked
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        mailbox.release()

        def delivered() -> bool:
            cli(env, "notices", "deliver", "--once")  # takes the claim once it has expired
            return notices(env)[0]["state"] == "sent"

        wait_for(delivered, "the expired claim to be delivered", 60)
        cli(env, "notices", "deliver", "--once")  # nothing left: no third copy
    ids = [m["Message-ID"] for m in mailbox.received()]
    assert ids == [f"<{delivery_id}@gw.example.jp>"] * 2  # the original and one re-send


def test_a_worker_killed_between_claim_and_send_sends_it_once_later(tmp_path: Path) -> None:
    """The SMTP port accepts connections but never greets: the worker has claimed the notice
    and waits before sending anything when it is killed."""
    box = Mailbox(port=free_port())
    env = {**base_env(tmp_path, box.url), "TSUNAGU_NOTICE_CLAIM_SECONDS": "1"}
    delivery_id = enqueue(env, "claimed")
    with socket.create_server(("127.0.0.1", box.port)):  # listens, never accepts
        worker = subprocess.Popen(
            [TSUNAGU, "notices", "deliver", "--once"],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(lambda: notices(env)[0]["state"] == "sending", "the claim", 60)
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    with smtp_server(box) as mailbox:

        def delivered() -> bool:
            cli(env, "notices", "deliver", "--once")
            return notices(env)[0]["state"] == "sent"

        wait_for(delivered, "the expired claim to be delivered", 60)
    assert [m["Message-ID"] for m in mailbox.received()] == [f"<{delivery_id}@gw.example.jp>"]


def enqueue(env: dict[str, str], key: str) -> str:
    """One e-mail in the outbox, as another part of the registry would write it."""
    store = open_store(Settings(database_url=env["TSUNAGU_DATABASE_URL"]))
    try:
        with store.write() as unit:
            return unit.enqueue_mail(
                to="a@example.jp", subject="テスト", body="本文", kind="test", key=key
            )
    finally:
        store.dispose()


def test_the_launch_watch_report_arrives_by_mail(tmp_path: Path) -> None:
    with smtp_server() as mailbox, upstream_server(echo_app) as upstream:
        env = base_env(tmp_path, mailbox.url)
        seed_echo(env, tmp_path, upstream, majors=(1,))
        store = open_store(Settings(database_url=env["TSUNAGU_DATABASE_URL"]))
        try:  # published yesterday (Japan time), so yesterday's report is due today
            yesterday = datetime.now(JST) - timedelta(days=1)
            with store.engine.begin() as conn:
                conn.execute(update(ApiVersionRow).values(published_at=yesterday))
        finally:
            store.dispose()
        result = json.loads(cli(env, "notices", "deliver", "--once", "--format", "json").stdout)
    assert result["sent"] == 1
    [report] = mailbox.received()
    assert report["To"] == "api@nta.example.go.jp"
    assert "公開直後の利用状況" in report["Subject"]
    assert "呼び出し回数" in report.get_content()
