"""Webhook URLs and signatures, SMTP URLs: table-driven."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook as Verifier

from registry.errors import InvalidInput
from registry.notices.operations import check_webhook_url
from registry.notices.smtp import SmtpTarget, parse_smtp_url
from registry.notices.webhook import new_webhook_secret, signed_headers
from registry.settings import Settings

SETTINGS = Settings(upstream_allow="127.0.0.1,10.1.2.0/24")


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.jp/tsunagu",
        "http://127.0.0.1:8080/hook",  # on the operator's allow list
        "http://10.1.2.3/hook",
    ],
)
def test_webhook_urls_accepted(url: str) -> None:
    assert check_webhook_url(url, SETTINGS) == url


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example.jp/tsunagu", "invalid-webhook-url"),  # https only
        ("ftp://hooks.example.jp/", "invalid-webhook-url"),
        ("https://user:pw@hooks.example.jp/", "invalid-webhook-url"),
        ("https://hooks.example.jp/#x", "invalid-webhook-url"),
        ("https://hooks.example.jp/a b", "invalid-webhook-url"),
        ("https://hooks.example.jp:99999/", "invalid-webhook-url"),
        ("https://169.254.169.254/latest", "webhook-not-allowed"),  # cloud metadata
        ("https://10.9.9.9/hook", "webhook-not-allowed"),  # private, not allowed
        ("https://localhost/hook", "webhook-not-allowed"),
    ],
)
def test_webhook_urls_refused(url: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_webhook_url(url, SETTINGS)
    assert refused.value.code == code


def test_signatures_verify_with_the_standard_webhooks_library() -> None:
    secret = new_webhook_secret()
    body = json.dumps({"type": "api.version.deprecated", "data": {"x": "日本語"}})
    headers = signed_headers("ntc_0123", body, secret, clock=lambda: datetime.now(UTC))
    assert headers["webhook-signature"].startswith("v1,")
    assert Verifier(secret).verify(body, headers)["type"] == "api.version.deprecated"
    tampered = body.replace("deprecated", "retired")
    with pytest.raises(Exception, match="signature"):
        Verifier(secret).verify(tampered, headers)


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("smtp://mail.example.jp", SmtpTarget("mail.example.jp", 25, False, False)),
        (
            "smtp+starttls://u%40x:p%3Aw@mail.example.jp",
            SmtpTarget("mail.example.jp", 587, False, True, "u@x", "p:w"),
        ),
        ("smtps://mail.example.jp:2465", SmtpTarget("mail.example.jp", 2465, True, False)),
    ],
)
def test_smtp_urls(url: str, target: SmtpTarget) -> None:
    assert parse_smtp_url(url) == target


@pytest.mark.parametrize("url", ["http://mail.example.jp", "smtp://", "smtp://h:x"])
def test_bad_smtp_urls(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_smtp_url(url)
    assert refused.value.code == "invalid-setting"
