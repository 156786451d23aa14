"""The account pages (sign-up, verification, log-in, reset, account): server-rendered HTML
forms that work without JavaScript, mounted at `/portal/account/` and `/portal/en/account/`.

Each POST checks the CSRF token, calls the same `DeveloperService` as `/developer/v1` in a
worker thread, and either re-renders the form with the catalogue's messages next to the fields
(both languages) or redirects (303) to the next page.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gateway.developer import app_pages, oidc_pages
from gateway.developer.forms import (
    FormErrors,
    error_html,
    esc,
    field_html,
    form_html,
    jst,
    read_form,
)
from gateway.developer.layout import Layout
from gateway.developer.oidc import OidcClient
from gateway.developer.web import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CookiePolicy,
    client_address,
    session_token,
)
from gateway.problem_handlers import install_problem_handlers
from gateway.problems import ProblemRenderer, Refusal
from gateway.site.files import SITE_HEADERS
from portal.wording import Lang
from registry import urls
from registry.accounts.service import (
    TERMS_VERSION,
    DeveloperService,
    check_password,
    normalise_email,
)
from registry.errors import RegistryError
from registry.models import DeveloperView
from registry.problems import CATALOGUE

NO_STORE = {"Cache-Control": "no-store"}


class Pages:
    """What every account page needs: the service, cookies, frame and language."""

    def __init__(
        self,
        service: DeveloperService,
        cookies: CookiePolicy,
        layout: Layout,
        lang: Lang,
        oidc: OidcClient | None = None,
    ) -> None:
        self.service, self.cookies, self.layout, self.lang = service, cookies, layout, lang
        self.oidc = oidc
        self.public_url = service.settings.public_url

    def t(self, ja: str, en: str) -> str:
        return ja if self.lang == "ja" else en

    def path(self, page: str = "") -> str:
        return urls.account_path(page, self.lang)

    def render(self, request: Request, title: str, body: str, status: int = 200) -> HTMLResponse:
        """The page in the portal's frame; sets the CSRF cookie its forms were given."""
        response = HTMLResponse(self.layout.page(self.lang, title, body), status_code=status)
        for name, value in SITE_HEADERS:
            response.headers[name.decode()] = value.decode()
        response.headers.update(NO_STORE)
        issued = getattr(request.state, "csrf_issued", None)
        if issued:
            self.cookies.set_csrf(response, issued)
        return response

    def csrf(self, request: Request) -> str:
        """The token for the page's forms: the visitor's cookie, or a new one `render` sets."""
        token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf_issued", None)
        if not token:
            token = secrets.token_urlsafe(32)
            request.state.csrf_issued = token
        return str(token)

    async def developer(self, request: Request) -> DeveloperView | None:
        token = session_token(request)
        if not token:
            return None
        return await asyncio.to_thread(self.service.session_developer, token)

    def to_login(self) -> RedirectResponse:
        return RedirectResponse(self.path("login"), status_code=303)

    def nav(self, developer: DeveloperView | None, current: str | None = None) -> str:
        if developer is None:
            links = [("login", self.t("ログイン", "Log in")), ("signup", self.t("登録", "Sign up"))]
        else:
            links = [
                ("apps", self.t("アプリ", "Apps")),
                ("requests", self.t("本番利用申請", "Access requests")),
                ("notices", self.t("お知らせ", "Notices")),
                ("", self.t("アカウント", "Account")),
            ]
        items = "".join(
            f'<li><a href="{self.path(p)}"{_current(p == current)}>{esc(label)}</a></li>'
            for p, label in links
        )
        label = self.t("アカウントのメニュー", "Account menu")
        return f'<nav class="tsunagu-account-nav" aria-label="{label}"><ul>{items}</ul></nav>'

    async def checked_form(self, request: Request) -> dict[str, str]:
        form = await read_form(request)
        self.cookies.check(request, form.get(CSRF_FIELD, ""))
        return form


Handler = Callable[[Request], Awaitable[Response]]


def _current(yes: bool) -> str:
    return ' aria-current="page"' if yes else ""


def sign_up_errors(email: str, password: str, terms: bool) -> FormErrors:
    """Every field's problem at once (the service stops at the first)."""
    errors = FormErrors()
    for check in (
        lambda: normalise_email(email),
        lambda: check_password(password),
        lambda: (
            None if terms else errors.add_code("terms-not-accepted", {"version": TERMS_VERSION})
        ),
    ):
        try:
            check()
        except RegistryError as exc:
            errors.add(exc)
    return errors


def build_account_pages(
    service: DeveloperService,
    cookies: CookiePolicy,
    layout: Layout,
    lang: Lang,
    problems: ProblemRenderer,
    *,
    oidc: OidcClient | None = None,
) -> FastAPI:
    pages = Pages(service, cookies, layout, lang, oidc)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    for path, methods, handler in (
        ("/signup", ["GET", "POST"], _signup(pages)),
        ("/verify", ["GET", "POST"], _verify(pages)),
        ("/login", ["GET", "POST"], _login(pages)),
        ("/logout", ["POST"], _logout(pages)),
        ("/reset", ["GET", "POST"], _reset(pages)),
        ("/reset/confirm", ["GET", "POST"], _reset_confirm(pages)),
        ("/", ["GET"], _home(pages)),
        ("/delete", ["POST"], _delete(pages)),
        *app_pages.routes(pages),
        *oidc_pages.routes(pages),
    ):
        app.add_api_route(path, handler, methods=methods, include_in_schema=False)
    install_problem_handlers(app, problems)
    install_html_refusals(app, pages)
    return app


def install_html_refusals(app: FastAPI, pages: Pages) -> None:
    """A browser that asked for a page gets its refusal as a page too (a stale form, another
    developer's app); scripts keep problem+json."""
    json_handlers = dict(app.exception_handlers)

    async def refused(request: Request, exc: Exception) -> Response:
        if "text/html" not in request.headers.get("accept", ""):
            handler = next(json_handlers[k] for k in type(exc).__mro__ if k in json_handlers)
            answer: Response = await handler(request, exc)
            return answer
        code = exc.code if isinstance(exc, Refusal | RegistryError) else "internal"
        status = CATALOGUE[code].status
        errors = FormErrors()
        errors.add_code(code, getattr(exc, "params", {}))
        developer = await pages.developer(request)
        back = (
            f'<p><a href="{pages.path("apps" if developer else "login")}">'
            + pages.t("戻る", "Back")
            + "</a></p>"
        )
        body = pages.nav(developer) + errors.summary(pages.lang) + back
        return pages.render(request, CATALOGUE[code].title(pages.lang), body, status)

    for kind in (Refusal, RegistryError):
        app.add_exception_handler(kind, refused)


def _signup(pages: Pages) -> Handler:
    t = pages.t

    async def handler(request: Request) -> Response:
        errors, values = FormErrors(), {"email": ""}
        if request.method == "POST":
            form = await pages.checked_form(request)
            values["email"] = form.get("email", "")
            password, terms = form.get("password", ""), form.get("terms") == "yes"
            errors = sign_up_errors(values["email"], password, terms)
            if not errors:
                try:
                    await asyncio.to_thread(pages.service.sign_up, values["email"], password, terms)
                except RegistryError as exc:
                    errors.add(exc)
                else:
                    return RedirectResponse(pages.path("signup?sent=1"), status_code=303)
        title = t("開発者登録", "Sign up")
        if request.query_params.get("sent"):
            body = pages.nav(None) + _check_mail(pages)
            return pages.render(request, title, body)
        terms_url = urls.PORTAL_PREFIX + ("terms/" if pages.lang == "ja" else "en/terms/")
        terms_box = (
            f'<div class="tsunagu-field{" tsunagu-field--error" if errors.of("terms") else ""}">'
            f"{_error(errors, 'terms', pages)}"
            '<label class="tsunagu-check"><input type="checkbox" id="terms" name="terms" '
            f'value="yes" required> <a href="{terms_url}">'
            f"{t('利用規約', 'The terms of use')}</a>"
            f"{t('（版 ', ' (version ')}{TERMS_VERSION}{t('）に同意します', ') are accepted')}"
            "</label></div>"
        )
        inner = (
            field_html(
                "email",
                t("メールアドレス", "E-mail address"),
                errors,
                pages.lang,
                kind="email",
                value=values["email"],
                autocomplete="email",
            )
            + field_html(
                "password",
                t("パスワード", "Password"),
                errors,
                pages.lang,
                kind="password",
                autocomplete="new-password",
                hint=t(
                    "10 文字以上。長い文章のようなパスワードがおすすめです。",
                    "At least 10 characters; a long passphrase is best.",
                ),
            )
            + terms_box
        )
        csrf = pages.csrf(request)
        body = (
            pages.nav(None, "signup")
            + errors.summary(pages.lang)
            + "<p>"
            + t(
                "登録するとすぐにサンドボックス用アプリを作れます。",
                "Once signed up you can create a sandbox app at once.",
            )
            + "</p>"
            + form_html(pages.path("signup"), csrf, inner, t("登録する", "Sign up"))
            + oidc_pages.button(pages, csrf, with_terms=True)
            + f'<p><a href="{pages.path("login")}">'
            + t("登録済みの方はログイン", "Already signed up? Log in")
            + "</a></p>"
        )
        return pages.render(request, title, body, 400 if errors else 200)

    return handler


def _check_mail(pages: Pages) -> str:
    t = pages.t
    return (
        '<div class="admonition info" role="status"><p class="admonition-title">'
        f"{t('メールを確認してください', 'Check your mailbox')}</p><p>"
        + t(
            "入力されたアドレスにメールを送りました。メールのリンクから手続きを続けてください。"
            "届かない場合は迷惑メールフォルダもご確認ください。",
            "We sent a message to the address given. Follow its link to go on; look in the "
            "spam folder too if nothing arrives.",
        )
        + "</p></div>"
    )


def _error(errors: FormErrors, name: str, pages: Pages) -> str:
    return error_html(name, errors, pages.lang)


def _verify(pages: Pages) -> Handler:
    t = pages.t

    async def handler(request: Request) -> Response:
        title = t("メールアドレスの確認", "Verify your e-mail address")
        errors = FormErrors()
        token = request.query_params.get("token", "")
        if request.method == "POST":
            form = await pages.checked_form(request)
            token = form.get("token", "")
            try:
                await asyncio.to_thread(pages.service.verify_email, token)
            except RegistryError as exc:
                errors.add(exc)
            else:
                body = pages.nav(None) + (
                    '<div class="admonition success" role="status"><p class="admonition-title">'
                    f"{t('確認できました', 'Address verified')}</p><p>"
                    f'<a href="{pages.path("login")}">{t("ログインしてください", "Log in now")}</a>'
                    "</p></div>"
                )
                return pages.render(request, title, body)
        inner = f'<input type="hidden" name="token" value="{esc(token)}">'
        body = (
            pages.nav(None)
            + errors.summary(pages.lang)
            + f"<p>{t('ボタンを押すと登録が完了します。', 'Press the button to finish.')}</p>"
            + form_html(pages.path("verify"), pages.csrf(request), inner, t("確認する", "Confirm"))
        )
        return pages.render(request, title, body, 400 if errors else 200)

    return handler


def _login(pages: Pages) -> Handler:
    t = pages.t

    async def handler(request: Request) -> Response:
        errors, email = FormErrors(), ""
        status, retry_after = 200, ""
        if request.method == "POST":
            form = await pages.checked_form(request)
            email = form.get("email", "")
            try:
                token = await asyncio.to_thread(
                    pages.service.log_in, email, form.get("password", ""), client_address(request)
                )
            except RegistryError as exc:
                errors.add(exc)
                status = exc.status
                retry_after = str(exc.params.get("seconds", ""))
            else:
                old = session_token(request)
                if old:
                    await asyncio.to_thread(pages.service.log_out, old)
                response = RedirectResponse(pages.path("apps"), status_code=303)
                pages.cookies.set_session(response, token)
                pages.cookies.new_csrf(response)
                return response
        inner = field_html(
            "email",
            t("メールアドレス", "E-mail address"),
            errors,
            pages.lang,
            kind="email",
            value=email,
            autocomplete="username",
        ) + field_html(
            "password",
            t("パスワード", "Password"),
            errors,
            pages.lang,
            kind="password",
            autocomplete="current-password",
        )
        body = (
            pages.nav(None, "login")
            + errors.summary(pages.lang)
            + form_html(pages.path("login"), pages.csrf(request), inner, t("ログイン", "Log in"))
            + oidc_pages.button(pages, pages.csrf(request), with_terms=False)
            + f'<p><a href="{pages.path("reset")}">'
            + t("パスワードを忘れた場合", "Forgot the password?")
            + "</a>"
            + f' ・ <a href="{pages.path("signup")}">{t("新規登録", "Sign up")}</a></p>'
        )
        rendered = pages.render(request, t("ログイン", "Log in"), body, status)
        if retry_after:
            rendered.headers["Retry-After"] = retry_after
        return rendered

    return handler


def _logout(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        await pages.checked_form(request)
        token = session_token(request)
        if token:
            await asyncio.to_thread(pages.service.log_out, token)
        response = RedirectResponse(pages.path("login"), status_code=303)
        pages.cookies.clear_session(response)
        pages.cookies.new_csrf(response)
        return response

    return handler


def _reset(pages: Pages) -> Handler:
    t = pages.t

    async def handler(request: Request) -> Response:
        title = t("パスワードの再設定", "Reset the password")
        if request.method == "POST":
            form = await pages.checked_form(request)
            await asyncio.to_thread(pages.service.request_reset, form.get("email", ""))
            return pages.render(request, title, pages.nav(None) + _check_mail(pages))
        inner = field_html(
            "email",
            t("登録したメールアドレス", "The e-mail address you signed up with"),
            FormErrors(),
            pages.lang,
            kind="email",
            autocomplete="email",
        )
        body = pages.nav(None) + form_html(
            pages.path("reset"),
            pages.csrf(request),
            inner,
            t("再設定のメールを送る", "Send the reset link"),
        )
        return pages.render(request, title, body)

    return handler


def _reset_confirm(pages: Pages) -> Handler:
    t = pages.t

    async def handler(request: Request) -> Response:
        title = t("新しいパスワード", "New password")
        errors = FormErrors()
        token = request.query_params.get("token", "")
        if request.method == "POST":
            form = await pages.checked_form(request)
            token = form.get("token", "")
            try:
                await asyncio.to_thread(
                    pages.service.reset_password, token, form.get("password", "")
                )
            except RegistryError as exc:
                errors.add(exc)
            else:
                return RedirectResponse(pages.path("login"), status_code=303)
        inner = f'<input type="hidden" name="token" value="{esc(token)}">' + field_html(
            "password",
            t("新しいパスワード", "New password"),
            errors,
            pages.lang,
            kind="password",
            autocomplete="new-password",
            hint=t("10 文字以上", "At least 10 characters"),
        )
        body = (
            pages.nav(None)
            + errors.summary(pages.lang)
            + form_html(
                pages.path("reset/confirm"),
                pages.csrf(request),
                inner,
                t("パスワードを変更する", "Change the password"),
            )
        )
        return pages.render(request, title, body, 400 if errors else 200)

    return handler


def _home(pages: Pages) -> Handler:
    t = pages.t

    async def handler(request: Request) -> Response:
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        csrf = pages.csrf(request)
        facts = [
            (t("メールアドレス", "E-mail address"), esc(developer.email)),
            (t("確認日時", "Verified"), jst(developer.verified_at)),
            (
                t("利用規約", "Terms of use"),
                t("版 ", "version ")
                + esc(developer.terms_version)
                + t("・同意日時 ", ", accepted ")
                + jst(developer.terms_accepted_at),
            ),
            (t("登録日時", "Signed up"), jst(developer.created_at)),
        ]
        rows = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{v}</td></tr>' for k, v in facts)
        confirm = (
            '<div class="tsunagu-field"><label class="tsunagu-check">'
            '<input type="checkbox" name="confirm" value="yes" required> '
            + t(
                "アカウントを削除し、すべてのアプリを無効にすることを確認しました",
                "I understand the account goes and every app stops working",
            )
            + "</label></div>"
        )
        body = (
            pages.nav(developer, "")
            + f"<table><tbody>{rows}</tbody></table>"
            + form_html(pages.path("logout"), csrf, "", t("ログアウト", "Log out"))
            + f"<h2>{t('アカウントの削除', 'Delete the account')}</h2><p>"
            + t(
                "メールアドレスとパスワードは消去され、アプリは無効になります。利用件数は"
                "個人を特定しない形で残ります。",
                "Your e-mail address and password are erased and your apps disabled; call "
                "counts stay, attributed to no one.",
            )
            + "</p>"
            + form_html(
                pages.path("delete"),
                csrf,
                confirm,
                t("アカウントを削除する", "Delete the account"),
                danger=True,
            )
        )
        return pages.render(request, t("アカウント", "Account"), body)

    return handler


def _delete(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        form = await pages.checked_form(request)
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        if form.get("confirm") != "yes":
            return RedirectResponse(pages.path(""), status_code=303)
        await asyncio.to_thread(pages.service.delete_account, developer)
        response = RedirectResponse(pages.path("signup"), status_code=303)
        pages.cookies.clear_session(response)
        return response

    return handler
