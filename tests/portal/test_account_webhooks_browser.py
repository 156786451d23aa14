"""An app's webhook and subscriptions on its page, in a real browser (Debian's Chromium), with
plain forms: a refused URL shows its error next to the field in both languages, a saved one
shows its signing secret once, an API is subscribed and unsubscribed. Screenshots go to
test-artefacts/portal/account-app-webhook*.png."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from tests.mailbox import Mailbox
from tests.portal.conftest import PortalServer
from tests.portal.test_account_browser import create_app, no_serious_violations, sign_up
from tests.portal.test_browser import browser, page, shot

pytestmark = [pytest.mark.xdist_group("portal"), pytest.mark.browser]
__all__ = ["browser", "page"]

HOOK = "https://hooks.example.jp/tsunagu/notices"


def test_a_developer_sets_a_webhook_and_subscriptions_on_the_app_page(
    page: Any, portal_server: PortalServer, mailbox: Mailbox
) -> None:
    sign_up(page, portal_server, mailbox, f"hooks-{secrets.token_hex(4)}@example.jp")
    app = create_app(page, "通知を受けるアプリ", "sandbox")
    page.locator("a", has_text="アプリの画面へ").click()
    assert page.locator("#webhook-secret").count() == 0

    page.fill("#webhook_url", "https://169.254.169.254/latest")
    page.locator("button[type=submit]", has_text="保存する").click()
    error = page.locator("#webhook_url-error").inner_text()
    assert "169.254.169.254 には送信できません" in error and "Notices cannot be sent" in error
    assert "{reason}" not in error and "cloud metadata address" in error
    assert page.locator("#webhook_url").get_attribute("aria-invalid") == "true"
    shot(page, "account-app-webhook-error", full_page=True)

    page.fill("#webhook_url", HOOK)
    page.locator("button[type=submit]", has_text="保存する").click()
    secret = page.locator("#webhook-secret").inner_text()
    assert secret.startswith("whsec_") and page.locator("#webhook-url").inner_text() == HOOK
    shot(page, "account-app-webhook-secret", full_page=True)

    page.select_option("#subscribe_api", "houjin")
    page.locator("button[type=submit]", has_text="購読する").click()
    listing = page.locator("table", has_text="購読開始").inner_text()
    assert "houjin" in listing
    assert page.locator("#subscribe_api option[value=houjin]").count() == 0
    assert HOOK in page.locator("#webhook").locator("xpath=following-sibling::p[2]").inner_text()
    assert page.locator("#webhook-secret").count() == 0  # shown once only
    shot(page, "account-app-webhook", full_page=True)
    no_serious_violations(page)

    page.locator("button", has_text="houjin の購読をやめる").click()
    assert page.locator("table", has_text="購読開始").count() == 0
    page.locator("button", has_text="Webhook を削除する").click()
    assert page.locator("#webhook_url").input_value() == ""
    assert page.locator("button", has_text="Webhook を削除する").count() == 0

    page.goto(portal_server.base_url + f"/portal/en/account/apps/{app['client_id']}")
    assert page.locator("h2#subscriptions").inner_text() == "Change notices (subscriptions)"
    shot(page, "account-app-webhook-en", full_page=True)
