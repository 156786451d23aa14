"""The account pages' OpenID Connect doors: a POST that sends the browser to the provider
(CSRF-checked, with the terms acceptance of the sign-up form) and the provider's callback.

Between the two the browser keeps the state, nonce and PKCE verifier in an HttpOnly cookie
limited to the callback's path; the callback refuses a `state` that does not match it (the
log-in CSRF of RFC 6749 §10.12) and spends the cookie either way.
"""

from __future__ import annotations

import asyncio
import hmac
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from gateway.developer.forms import esc, form_html
from gateway.developer.oidc import Attempt, OidcClient, OidcFailed
from gateway.problems import Refusal
from registry import urls
from registry.errors import RegistryError

if TYPE_CHECKING:
    from gateway.developer.pages import Handler, Pages

ATTEMPT_COOKIE = "tsunagu_oidc"
ATTEMPT_SECONDS = 600


def routes(pages: Pages) -> list[tuple[str, list[str], Handler]]:
    if pages.oidc is None:
        return []
    return [
        ("/oidc/start", ["POST"], _start(pages, pages.oidc)),
        ("/oidc/callback", ["GET"], _callback(pages, pages.oidc)),
    ]


def button(pages: Pages, csrf: str, *, with_terms: bool) -> str:
    """The provider's log-in form, or nothing when none is configured."""
    if pages.oidc is None:
        return ""
    inner = '<input type="hidden" name="terms" value="yes">' if with_terms else ""
    label = pages.t(f"{pages.oidc.name} でログイン", f"Log in with {pages.oidc.name}")
    note = pages.t("または", "or")
    return f'<p class="tsunagu-or">{esc(note)}</p>' + form_html(
        pages.path("oidc/start"), csrf, inner, label
    )


def _start(pages: Pages, oidc: OidcClient) -> Handler:
    async def handler(request: Request) -> Response:
        form = await pages.checked_form(request)
        try:
            url, attempt = await oidc.start(form.get("terms") == "yes", pages.lang)
        except OidcFailed as exc:
            raise Refusal("oidc-failed", reason=exc.reason) from exc
        response = RedirectResponse(url, status_code=303)
        response.set_cookie(
            ATTEMPT_COOKIE,
            attempt.dumps(),
            max_age=ATTEMPT_SECONDS,
            path=urls.account_path("oidc/callback"),
            secure=pages.cookies.secure,
            httponly=True,
            samesite="lax",
        )
        return response

    return handler


def _callback(pages: Pages, oidc: OidcClient) -> Handler:
    async def handler(request: Request) -> Response:
        attempt = Attempt.loads(request.cookies.get(ATTEMPT_COOKIE, ""))
        state, code = request.query_params.get("state", ""), request.query_params.get("code")
        if attempt is None or not code or not hmac.compare_digest(attempt.state, state):
            raise Refusal("oidc-failed", reason="state")
        try:
            identity = await oidc.finish(code, attempt)
            session = await asyncio.to_thread(
                pages.service.log_in_external, identity.email, attempt.terms
            )
        except OidcFailed as exc:
            raise Refusal("oidc-failed", reason=exc.reason) from exc
        except RegistryError:
            raise
        lang = "en" if attempt.lang == "en" else "ja"
        response = RedirectResponse(urls.account_path("apps", lang), status_code=303)
        response.delete_cookie(ATTEMPT_COOKIE, path=urls.account_path("oidc/callback"))
        pages.cookies.set_session(response, session)
        pages.cookies.new_csrf(response)
        return response

    return handler
