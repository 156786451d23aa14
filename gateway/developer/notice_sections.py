"""The app page's "Webhook" and "change notices (subscriptions)" sections: a URL form (its
signing secret shown once, right after saving), a remove button, the APIs the app hears of
with a button each to stop, and a form to subscribe to one more. Plain forms: no script."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from gateway.developer.forms import (
    FormErrors,
    error_html,
    esc,
    field_html,
    form_html,
    jst,
    table_html,
)
from registry.models import AppView, DeveloperView
from registry.notices.operations import WebhookCreated

if TYPE_CHECKING:
    from gateway.developer.pages import Pages

URL_FIELD = "webhook_url"
API_FIELD = "subscribe_api"


async def notice_sections(
    pages: Pages,
    developer: DeveloperView,
    app: AppView,
    csrf: str,
    *,
    errors: FormErrors,
    values: dict[str, str],
    created: WebhookCreated | None,
) -> str:
    service = pages.service
    current = await asyncio.to_thread(service.webhook_url, developer, app.client_id)
    subscribed = await asyncio.to_thread(service.subscriptions, developer, app.client_id)
    slugs = await asyncio.to_thread(service.published_slugs)
    webhook = _webhook(
        pages,
        app,
        csrf,
        current=current,
        created=created,
        errors=errors,
        typed=values.get(URL_FIELD),
    )
    taken = {s.slug for s in subscribed}
    listed = [(s.slug, jst(s.created_at)) for s in subscribed]
    choices = [s for s in slugs if s not in taken]
    return webhook + _subscriptions(
        pages, app, csrf, listed=listed, choices=choices, errors=errors, values=values
    )


def _webhook(
    pages: Pages,
    app: AppView,
    csrf: str,
    *,
    current: str | None,
    created: WebhookCreated | None,
    errors: FormErrors,
    typed: str | None,
) -> str:
    t = pages.t
    html = (
        f'<h2 id="webhook">{t("Webhook", "Webhook")}</h2><p>'
        + t(
            "API の変更のお知らせを、この URL へ署名付き（Standard Webhooks）で POST します。",
            "Change notices are POSTed to this URL, signed per Standard Webhooks.",
        )
        + "</p>"
    )
    if created is not None:
        html += (
            '<div class="admonition warning" role="status"><p class="admonition-title">'
            + t("署名シークレットは今だけ表示されます", "The signing secret is shown this once")
            + "</p><p>"
            + t(
                "受け取った通知の署名をこのシークレットで検証してください。忘れた場合は URL を"
                "保存し直すと新しいシークレットが発行されます。",
                "Verify each notice's signature with it. If it is lost, save the URL again "
                "to get a new one.",
            )
            + '</p><dl class="tsunagu-credentials">'
            + f'<dt>URL</dt><dd><code id="webhook-url">{esc(created.url)}</code></dd>'
            + f"<dt>{t('署名シークレット', 'Signing secret')}</dt>"
            + f'<dd><code id="webhook-secret">{esc(created.secret)}</code></dd></dl></div>'
        )
    if current is not None:
        html += (
            f"<p>{t('現在の URL', 'Current URL')}: "
            f'<code class="tsunagu-nowrap">{esc(current)}</code></p>'
        )
    field = field_html(
        URL_FIELD,
        t("Webhook の URL", "Webhook URL"),
        errors,
        pages.lang,
        kind="url",
        value=typed if typed is not None else (current or ""),
        hint=t(
            "https:// で始まる URL。保存するたびに新しい署名シークレットを発行します。",
            "An https:// URL. Every save issues a new signing secret.",
        ),
        autocomplete="url",
    )
    action = pages.path(f"apps/{app.client_id}/webhook")
    save = t("保存する", "Save") if current is None else t("置き換える", "Replace")
    html += form_html(action, csrf, field, save)
    if current is not None:
        html += form_html(
            action + "/delete",
            csrf,
            "",
            t("Webhook を削除する", "Remove the webhook"),
            danger=True,
        )
    return html


def _subscriptions(
    pages: Pages,
    app: AppView,
    csrf: str,
    *,
    listed: list[tuple[str, str]],
    choices: list[str],
    errors: FormErrors,
    values: dict[str, str],
) -> str:
    t = pages.t
    html = (
        f'<h2 id="subscriptions">{t("変更のお知らせ（購読）", "Change notices (subscriptions)")}'
        "</h2><p>"
        + t(
            "購読した API に変更（新しいバージョン、非推奨、提供終了など）があると、呼び出して"
            "いなくてもお知らせします（メールと、設定していれば Webhook）。",
            "When a subscribed API changes (a new version, a deprecation, a sunset, …) you are "
            "told, whether the app has called it or not (by mail, and by webhook when set).",
        )
        + "</p>"
    )
    unsubscribe = pages.path(f"apps/{app.client_id}/subscriptions/delete")
    if listed:
        rows = [
            [
                f"<code>{esc(slug)}</code>",
                since,
                form_html(
                    unsubscribe,
                    csrf,
                    f'<input type="hidden" name="api" value="{esc(slug)}">',
                    t(f"{slug} の購読をやめる", f"Unsubscribe from {slug}"),
                    danger=True,
                    compact=True,
                ),
            ]
            for slug, since in listed
        ]
        headers = [t("API", "API"), t("購読開始", "Since"), t("操作", "Action")]
        html += table_html(t("購読中の API", "Subscribed APIs"), headers, rows, hide_caption=True)
    else:
        html += f"<p>{t('購読している API はありません。', 'No subscriptions yet.')}</p>"
    if not choices:
        return html
    chosen = values.get(API_FIELD, "")
    options = "".join(
        f'<option value="{esc(s)}"{" selected" if s == chosen else ""}>{esc(s)}</option>'
        for s in choices
    )
    problems = error_html(API_FIELD, errors, pages.lang)
    inner = (
        f'<div class="tsunagu-field{" tsunagu-field--error" if problems else ""}">'
        f'<label for="{API_FIELD}">{t("購読する API", "API to subscribe to")}</label>'
        f'{problems}<select id="{API_FIELD}" name="{API_FIELD}" required'
        f"{f' aria-describedby={chr(34)}{API_FIELD}-error{chr(34)}' if problems else ''}>"
        f"{options}</select></div>"
    )
    action = pages.path(f"apps/{app.client_id}/subscriptions")
    return html + form_html(action, csrf, inner, t("購読する", "Subscribe"))
