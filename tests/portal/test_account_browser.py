"""A new developer in a real browser (Debian's Chromium): from the portal's home page to a
sandbox call and then an approved production call, with no operator in between.

The verification and decision mails come from the gateway's outbox through a real SMTP server
(aiosmtpd, tests/mailbox.py); the provider approves with the real CLI. Screenshots of every
account page go to test-artefacts/portal/account-*.png for people to look at.
"""

from __future__ import annotations

import re
import secrets
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from tests.e2e.harness import cli, cli_json
from tests.mailbox import Mailbox, wait_for
from tests.portal.conftest import PortalServer
from tests.portal.test_browser import _authorize, axe_violations, browser, page, shot

pytestmark = [pytest.mark.xdist_group("portal"), pytest.mark.browser]
__all__ = ["browser", "page"]  # the fixtures, shared with the portal's browser tests

PASSWORD = "a long and memorable passphrase"
USE = "自治体の窓口案内アプリで、法人番号から法人名と所在地を表示するために使います。"
LINK = re.compile(r"https?://\S+/portal/account/verify\?token=[A-Za-z0-9_-]+")


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def mail(mailbox: Mailbox, address: str, subject_part: str) -> EmailMessage:
    def arrived() -> bool:
        return any(subject_part in str(m["Subject"]) for m in mailbox.to(address))

    wait_for(arrived, f"a mail '{subject_part}' to {address}")
    return next(m for m in mailbox.to(address) if subject_part in str(m["Subject"]))


def no_serious_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["impact"], len(v["nodes"])) for v in violations]


def sign_up(page: Any, server: PortalServer, mailbox: Mailbox, email: str) -> None:
    page.goto(server.base_url + "/portal/")
    page.locator(".grid.cards a", has_text="開発者登録").click()
    page.wait_for_url("**/portal/account/login")
    shot(page, "account-login")
    no_serious_violations(page)
    page.locator(".tsunagu-account-nav a", has_text="登録").click()
    page.fill("#email", "not-an-address")
    page.fill("#password", "short")
    page.locator("button[type=submit]").click()
    assert "メールアドレスの形式が正しくありません" in page.locator("#email-error").inner_text()
    assert "10 文字以上" in page.locator("#password-error").inner_text()
    assert "terms of use" in page.locator("#terms-error").inner_text()
    shot(page, "account-signup-errors", full_page=True)
    no_serious_violations(page)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.check("#terms")
    page.locator("button[type=submit]").click()
    assert "メールを確認してください" in page.locator(".admonition").inner_text()
    shot(page, "account-check-mail")
    link = LINK.search(body_of(mail(mailbox, email, "Verify your e-mail address")))
    assert link, "the mail carries the verification link"
    page.goto(link.group(0))
    shot(page, "account-verify")
    page.locator("button[type=submit]", has_text="確認する").click()
    assert "確認できました" in page.locator(".admonition").inner_text()
    page.locator("a", has_text="ログインしてください").click()
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("button[type=submit]", has_text="ログイン").click()
    page.wait_for_url("**/portal/account/apps")


def create_app(page: Any, name: str, kind: str) -> dict[str, str]:
    page.fill("#name", name)
    page.check(f"input[name=kind][value={kind}]")
    page.locator("button[type=submit]", has_text="作成する").click()
    credentials = {
        "client_id": page.locator("#client-id").inner_text(),
        "client_secret": page.locator("#client-secret").inner_text(),
    }
    assert credentials["client_id"].startswith("tsu_") and len(credentials["client_secret"]) > 40
    return credentials


def provider_of(server: PortalServer, slug: str) -> str:
    listing = cli_json(server.env, "api", "list", "--format", "json")
    return str(next(a["provider"] for a in listing if a["slug"] == slug))


def test_a_new_developer_reaches_an_approved_production_call(
    page: Any, portal_server: PortalServer, mailbox: Mailbox
) -> None:
    email = f"newcomer-{secrets.token_hex(4)}@example.jp"
    sign_up(page, portal_server, mailbox, email)
    shot(page, "account-apps-empty")
    no_serious_violations(page)

    sandbox = create_app(page, "窓口案内（試験）", "sandbox")
    shot(page, "account-credentials", full_page=True)
    page.goto(portal_server.base_url + "/portal/apis/houjin/v2/try-it/")
    frame = page.frame_locator("iframe.swagger-ui-iframe")
    _authorize(frame, sandbox)
    frame.locator(".opblock-summary", has_text="/corporations/{corporate_number}").click()
    frame.locator("button.try-out__btn").click()
    frame.locator("button.execute").click()
    status = frame.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=20_000)
    assert status.inner_text().strip() == "200"

    page.goto(portal_server.base_url + "/portal/account/apps")
    production = create_app(page, "窓口案内", "production")
    page.locator("a", has_text="アプリの画面へ").click()
    page.select_option("#api", "houjin")
    page.fill("#use", "短すぎ")
    page.locator("button[type=submit]", has_text="申請する").click()
    assert "20 文字以上" in page.locator("#use-error").inner_text()
    shot(page, "account-access-error", full_page=True)
    page.fill("#use", USE)
    page.locator("button[type=submit]", has_text="申請する").click()
    assert "審査中" in page.locator("table", has_text="houjin").last.inner_text()
    shot(page, "account-app-production", full_page=True)
    no_serious_violations(page)

    provider = provider_of(portal_server, "houjin")
    pending = cli_json(
        portal_server.env, "access", "list", "--provider", provider, "--format", "json"
    )
    (request,) = [r for r in pending if r["client_id"] == production["client_id"]]
    cli(portal_server.env, "access", "approve", str(request["id"]), "--provider", provider)
    decision = body_of(mail(mailbox, email, "Production access approved"))
    assert production["client_id"] in decision

    token = httpx.post(
        portal_server.base_url + "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(production["client_id"], production["client_secret"]),
    ).json()
    assert "houjin" in token["scope"].split()
    call = httpx.get(
        portal_server.base_url + "/api/houjin/v2/corporations/7000012050002",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    # Authorised: the gateway forwards the call to the demo's real houjin upstream.
    assert call.status_code == 200, call.text
    assert call.json()["corporate_number"] == "7000012050002"

    page.goto(portal_server.base_url + "/portal/account/notices")
    page.locator("details.tsunagu-notice summary", has_text="houjin").click()
    assert production["client_id"] in page.locator("details.tsunagu-notice pre").inner_text()
    shot(page, "account-notices", full_page=True)
    no_serious_violations(page)

    page.goto(portal_server.base_url + "/portal/account/requests")
    assert "承認" in page.locator("table").inner_text()
    shot(page, "account-requests")
    no_serious_violations(page)

    page.goto(portal_server.base_url + f"/portal/account/apps/{production['client_id']}")
    wait_for(lambda: _usage_shown(page), "the production call in the usage table", 30)
    figures = page.locator("table", has_text="呼び出し").last.inner_text()
    assert "\t1\t0" in figures  # one call, answered without an error
    assert page.locator("svg.tsunagu-usage-chart rect").count() >= 30
    shot(page, "account-app-usage", full_page=True)
    no_serious_violations(page)
    page.goto(portal_server.base_url + f"/portal/account/apps/{sandbox['client_id']}")
    shot(page, "account-app-sandbox", full_page=True)

    missing = page.goto(portal_server.base_url + "/portal/account/apps/tsu_notmine")
    assert missing is not None and missing.status == 404
    assert "アプリが見つかりません" in page.locator("h1").inner_text()
    shot(page, "account-app-not-found")

    page.goto(portal_server.base_url + "/portal/account/")
    shot(page, "account-home", full_page=True)
    no_serious_violations(page)
    page.goto(portal_server.base_url + "/portal/en/account/apps")
    assert page.locator("h1").inner_text() == "Apps"
    shot(page, "account-apps-en", full_page=True)


def _usage_shown(page: Any) -> bool:
    page.reload()
    return page.locator("table", has_text="日別の呼び出し回数").count() > 0
