"""The account pages: server-rendered HTML forms that work without JavaScript, mounted at
`/portal/account/` and `/portal/en/account/`. This module holds what every page shares
(`Pages`), the application that routes them, and the account page itself; the log-in doors are
in `auth_pages`, the apps in `app_pages`, external log-in in `oidc_pages`.

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

from gateway.developer import activity_pages, app_pages, auth_pages, notice_pages, oidc_pages
from gateway.developer.forms import (
    FormErrors,
    esc,
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
    session_token,
)
from gateway.problem_handlers import install_problem_handlers
from gateway.problems import ProblemRenderer, Refusal
from gateway.site.files import SITE_HEADERS
from portal.wording import Lang
from registry import urls
from registry.accounts.service import (
    DeveloperService,
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
        *auth_pages.routes(pages),
        ("/", ["GET"], _home(pages)),
        ("/delete", ["POST"], _delete(pages)),
        *app_pages.routes(pages),
        *notice_pages.routes(pages),
        *activity_pages.routes(pages),
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
