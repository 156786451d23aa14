"""The apps pages: list and create, an app's detail (credentials once, rotate, delete,
production access, usage chart and table, webhook and subscriptions), and every access
request of the account."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from gateway.developer.activity_pages import requests_table, usage_section
from gateway.developer.chart import days_filled
from gateway.developer.forms import (
    FormErrors,
    error_html,
    esc,
    field_html,
    form_html,
    jst,
    table_html,
)
from gateway.developer.notice_sections import notice_sections
from registry.errors import RegistryError
from registry.models import (
    AccessRequestView,
    AppView,
    CreatedApp,
    DeveloperView,
)
from registry.notices.operations import WebhookCreated

if TYPE_CHECKING:
    from gateway.developer.pages import Handler, Pages

JST = timezone(timedelta(hours=9))
USAGE_DAYS = 30


def routes(pages: Pages) -> list[tuple[str, list[str], Handler]]:
    return [
        ("/apps", ["GET", "POST"], _apps(pages)),
        ("/apps/{client_id}", ["GET"], _detail(pages)),
        ("/apps/{client_id}/rotate", ["POST"], _rotate(pages)),
        ("/apps/{client_id}/delete", ["POST"], _delete(pages)),
        ("/apps/{client_id}/access", ["POST"], _access(pages)),
    ]


def _kind(pages: Pages, app: AppView) -> str:
    if app.sandbox:
        return pages.t("サンドボックス", "Sandbox")
    return pages.t("本番", "Production")


def _apps(pages: Pages) -> Handler:
    t = pages.t

    async def handler(request: Request) -> Response:
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        errors, name = FormErrors(), ""
        if request.method == "POST":
            form = await pages.checked_form(request)
            name = form.get("name", "")
            sandbox = form.get("kind", "sandbox") != "production"
            try:
                created = await asyncio.to_thread(
                    pages.service.create_app, developer, name, sandbox
                )
            except RegistryError as exc:
                errors.add(exc)
            else:
                return _credentials(pages, request, developer, created, name)
        apps = await asyncio.to_thread(pages.service.apps, developer)
        rows = [
            [
                f'<a href="{pages.path("apps/" + a.client_id)}">{esc(a.name)}</a>',
                f'<code class="tsunagu-nowrap">{esc(a.client_id)}</code>',
                esc(_kind(pages, a)),
                esc(" ".join(a.scopes) or "-"),
                esc(t("無効", "disabled") if a.disabled else t("有効", "active")),
                jst(a.created_at),
            ]
            for a in apps
        ]
        listing = (
            table_html(
                t("あなたのアプリ", "Your apps"),
                [
                    t("名前", "Name"),
                    "client_id",
                    t("種類", "Kind"),
                    t("API", "APIs"),
                    t("状態", "State"),
                    t("作成日時", "Created"),
                ],
                rows,
            )
            if rows
            else f"<p>{t('まだアプリはありません。', 'No apps yet.')}</p>"
        )
        kinds = (
            '<fieldset class="tsunagu-field"><legend>' + t("種類", "Kind") + "</legend>"
            '<label class="tsunagu-check"><input type="radio" name="kind" value="sandbox" checked> '
            + t("サンドボックス（すぐ使えます）", "Sandbox (works at once)")
            + "</label>"
            '<label class="tsunagu-check"><input type="radio" name="kind" value="production"> '
            + t(
                "本番（API ごとにプロバイダーの承認が必要）",
                "Production (each API needs its provider's approval)",
            )
            + "</label></fieldset>"
        )
        inner = (
            field_html(
                "name",
                t("アプリ名", "App name"),
                errors,
                pages.lang,
                value=name,
                hint=t("100 文字まで", "Up to 100 characters"),
            )
            + kinds
        )
        body = (
            pages.nav(developer, "apps")
            + listing
            + f"<h2>{t('アプリを作る', 'Create an app')}</h2>"
            + errors.summary(pages.lang)
            + form_html(pages.path("apps"), pages.csrf(request), inner, t("作成する", "Create"))
        )
        return pages.render(request, t("アプリ", "Apps"), body, 400 if errors else 200)

    return handler


def _credentials(
    pages: Pages, request: Request, developer: DeveloperView, created: CreatedApp, name: str
) -> Response:
    """The one page that ever shows the client secret."""
    t = pages.t
    token_url = pages.public_url.rstrip("/") + "/oauth/token"
    example = (
        f"curl -s -u '{created.client_id}:{created.client_secret}' "
        f"-d grant_type=client_credentials {token_url}"
    )
    body = (
        pages.nav(developer)
        + '<div class="admonition warning" role="status"><p class="admonition-title">'
        + t("シークレットは今だけ表示されます", "The secret is shown this once only")
        + "</p><p>"
        + t(
            "安全な場所に保存してください。忘れた場合はアプリの画面で再発行できます。",
            "Store it safely now. If it is lost, rotate it on the app's page.",
        )
        + "</p></div>"
        + '<dl class="tsunagu-credentials">'
        + f"<dt>{t('アプリ名', 'App name')}</dt><dd>{esc(name)}</dd>"
        + f'<dt>client_id</dt><dd><code id="client-id">{esc(created.client_id)}</code></dd>'
        + "<dt>client_secret</dt>"
        + f'<dd><code id="client-secret">{esc(created.client_secret)}</code></dd>'
        + f"<dt>{t('API', 'APIs')}</dt><dd>{esc(' '.join(created.scopes) or '-')}</dd></dl>"
        + f"<h2>{t('アクセストークンを得る', 'Get an access token')}</h2>"
        + f"<pre><code>{esc(example)}</code></pre>"
        + f'<p><a href="{pages.path("apps/" + created.client_id)}">'
        + t("アプリの画面へ", "Go to the app's page")
        + "</a></p>"
    )
    return pages.render(request, t("アプリの認証情報", "App credentials"), body, 201)


def _detail(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        return await render_detail(pages, request, developer, request.path_params["client_id"])

    return handler


async def render_detail(
    pages: Pages,
    request: Request,
    developer: DeveloperView,
    client_id: str,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    webhook: WebhookCreated | None = None,
) -> Response:
    """The app's page; `webhook` is the just-saved webhook whose secret is shown this once."""
    t = pages.t
    errors = errors or FormErrors()
    app = await asyncio.to_thread(pages.service.app, developer, client_id)
    requests = [
        r
        for r in await asyncio.to_thread(pages.service.access_requests, developer)
        if r.client_id == client_id
    ]
    usage = await asyncio.to_thread(pages.service.usage, developer, client_id, USAGE_DAYS)
    today = datetime.now(JST).date()
    days = days_filled(usage, today, USAGE_DAYS)
    csrf = pages.csrf(request)
    facts = [
        ("client_id", f"<code>{esc(app.client_id)}</code>"),
        (t("種類", "Kind"), esc(_kind(pages, app))),
        (t("状態", "State"), esc(t("無効", "disabled") if app.disabled else t("有効", "active"))),
        (t("呼び出せる API", "APIs it may call"), esc(" ".join(app.scopes) or "-")),
        (t("作成日時", "Created"), jst(app.created_at)),
    ]
    if app.previous_secret_until:
        facts.append(
            (
                t("旧シークレットの有効期限", "Old secret valid until"),
                jst(app.previous_secret_until),
            )
        )
    table = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{v}</td></tr>' for k, v in facts)
    body = (
        pages.nav(developer) + f"<table><tbody>{table}</tbody></table>" + errors.summary(pages.lang)
    )
    if not app.sandbox:
        body += await _access_section(
            pages, app, requests, csrf, errors=errors, values=values or {}
        )
    body += usage_section(pages, app, days)
    body += await notice_sections(
        pages, developer, app, csrf, errors=errors, values=values or {}, created=webhook
    )
    body += (
        f"<h2>{t('シークレットの再発行', 'Rotate the secret')}</h2><p>"
        + t(
            "新しいシークレットを発行します。古いシークレットも一定時間は使えるので、その間に"
            "切り替えてください。",
            "Issues a new secret; the old one keeps working for a while so you can switch over.",
        )
        + "</p>"
        + form_html(pages.path(f"apps/{app.client_id}/rotate"), csrf, "", t("再発行する", "Rotate"))
        + f"<h2>{t('アプリの削除', 'Delete the app')}</h2>"
        + form_html(
            pages.path(f"apps/{app.client_id}/delete"),
            csrf,
            "",
            t("このアプリを削除する", "Delete this app"),
            danger=True,
        )
    )
    status = 400 if errors else 200
    return pages.render(request, app.name, body, status)


async def _access_section(
    pages: Pages,
    app: AppView,
    requests: list[AccessRequestView],
    csrf: str,
    *,
    errors: FormErrors,
    values: dict[str, str],
) -> str:
    t = pages.t
    slugs = await asyncio.to_thread(pages.service.published_slugs)
    chosen = values.get("api", "")
    options = "".join(
        f'<option value="{esc(s)}"{" selected" if s == chosen else ""}>{esc(s)}</option>'
        for s in slugs
    )
    use_errors = error_html("use", errors, pages.lang)
    inner = (
        f'<div class="tsunagu-field"><label for="api">{t("API", "API")}</label>'
        f"{error_html('api', errors, pages.lang)}"
        f'<select id="api" name="api" required>{options}</select></div>'
        f'<div class="tsunagu-field{" tsunagu-field--error" if use_errors else ""}">'
        f'<label for="use">{t("利用目的", "Intended use")}</label>'
        f'<p class="tsunagu-hint" id="use-hint">'
        + t(
            "20〜2000 文字。プロバイダーが審査に使います。",
            "20 to 2000 characters; the provider reads it to decide.",
        )
        + f"</p>{use_errors}"
        f'<textarea id="use" name="use" rows="4" required aria-describedby="use-hint'
        f'{" use-error" if use_errors else ""}">{esc(values.get("use", ""))}</textarea></div>'
    )
    return (
        f"<h2>{t('本番利用の申請', 'Production access')}</h2>"
        + requests_table(pages, requests)
        + form_html(
            pages.path(f"apps/{app.client_id}/access"), csrf, inner, t("申請する", "Request access")
        )
    )


def _rotate(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        await pages.checked_form(request)
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        client_id = request.path_params["client_id"]
        created = await asyncio.to_thread(pages.service.rotate_secret, developer, client_id)
        app = await asyncio.to_thread(pages.service.app, developer, client_id)
        return _credentials(pages, request, developer, created, app.name)

    return handler


def _delete(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        await pages.checked_form(request)
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        await asyncio.to_thread(
            pages.service.delete_app, developer, request.path_params["client_id"]
        )
        return RedirectResponse(pages.path("apps"), status_code=303)

    return handler


def _access(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        form = await pages.checked_form(request)
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        client_id = request.path_params["client_id"]
        try:
            await asyncio.to_thread(
                pages.service.request_access,
                developer,
                client_id,
                form.get("api", ""),
                form.get("use", ""),
            )
        except RegistryError as exc:
            if exc.status == 404:
                raise
            errors = FormErrors()
            errors.add(exc)
            return await render_detail(
                pages, request, developer, client_id, errors=errors, values=form
            )
        return RedirectResponse(pages.path(f"apps/{client_id}"), status_code=303)

    return handler
