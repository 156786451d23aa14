"""The log-in doors of the account pages: sign-up, e-mail verification, log-in and log-out,
and the password reset. Sign-up and reset answer alike for known and unknown addresses; log-in
always issues a fresh session cookie and CSRF token (ADR 0024)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from gateway.developer import oidc_pages
from gateway.developer.forms import FormErrors, error_html, esc, field_html, form_html
from gateway.developer.web import client_address, session_token
from registry import urls
from registry.accounts.service import TERMS_VERSION, check_password, normalise_email
from registry.errors import RegistryError

if TYPE_CHECKING:
    from gateway.developer.pages import Handler, Pages


def routes(pages: Pages) -> list[tuple[str, list[str], Handler]]:
    return [
        ("/signup", ["GET", "POST"], _signup(pages)),
        ("/verify", ["GET", "POST"], _verify(pages)),
        ("/login", ["GET", "POST"], _login(pages)),
        ("/logout", ["POST"], _logout(pages)),
        ("/reset", ["GET", "POST"], _reset(pages)),
        ("/reset/confirm", ["GET", "POST"], _reset_confirm(pages)),
    ]


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
                    await asyncio.to_thread(
                        pages.service.sign_up,
                        values["email"],
                        password,
                        terms,
                        client_address(request),
                    )
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
            await asyncio.to_thread(
                pages.service.request_reset, form.get("email", ""), client_address(request)
            )
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
