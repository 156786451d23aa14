"""The developer self-service API, mounted at `/developer/v1` (OpenAPI at
`/developer/v1/openapi.json`). Browsers and scripts alike: a session cookie from `POST
/sessions`, and the CSRF token (`GET /csrf`) in `X-CSRF-Token` on every unsafe request.

Endpoints are sync: FastAPI runs them in its thread pool, where argon2 and the store's blocking
calls belong. (No `from __future__ import annotations`: FastAPI resolves the local aliases.)
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response, status

from gateway.developer.notice_routes import notice_routes
from gateway.developer.schemas import (
    Accepted,
    AccessIn,
    AppCreateIn,
    AppOut,
    CsrfOut,
    LogInIn,
    NewPasswordIn,
    ResetIn,
    SignUpIn,
    TokenIn,
)
from gateway.developer.web import CookiePolicy, client_address, session_token
from gateway.problem_handlers import install_problem_handlers
from gateway.problems import ProblemRenderer, Refusal
from registry.accounts.service import DeveloperService
from registry.errors import Throttled
from registry.models import AccessRequestView, CreatedApp, DailyUsage, DeveloperView

CHECK_MAIL = Accepted(
    message_ja="メールを確認してください。届かない場合は迷惑メールフォルダもご確認ください。",
    message_en="Check your mailbox (and the spam folder if nothing arrives).",
)


def build_developer_api(
    service: DeveloperService, cookies: CookiePolicy, problems: ProblemRenderer
) -> FastAPI:
    app = FastAPI(
        title="Tsunagu developer API",
        version="1",
        description=(
            "Self-service for developers: account, sandbox and production apps, production "
            "access requests, webhooks and subscriptions to API changes, and usage. "
            "Log in with `POST /sessions`; send the `tsunagu_csrf` "
            "cookie's value as `X-CSRF-Token` on every unsafe request."
        ),
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(_csrf_guard(cookies))],
    )
    app.include_router(_account_routes(service, cookies))
    app.include_router(_app_routes(service))
    app.include_router(notice_routes(service, current_developer(service)))
    install_problem_handlers(app, problems)
    return app


@contextmanager
def retry_after() -> Iterator[None]:
    """A back-off refusal answers 429 with `Retry-After` (RFC 9110 §10.2.3)."""
    try:
        yield
    except Throttled as exc:
        seconds = str(exc.params.get("seconds", 1))
        raise Refusal(exc.code, headers={"Retry-After": seconds}, **exc.params) from None


def _csrf_guard(cookies: CookiePolicy) -> Callable[[Request], None]:
    def guard(request: Request) -> None:
        cookies.check(request, None)

    return guard


def current_developer(service: DeveloperService) -> Callable[[Request], DeveloperView]:
    def developer(request: Request) -> DeveloperView:
        token = session_token(request)
        found = service.session_developer(token) if token else None
        if found is None:
            raise Refusal("not-logged-in")
        return found

    return developer


def _account_routes(service: DeveloperService, cookies: CookiePolicy) -> APIRouter:
    router = APIRouter(tags=["account"])
    Developer = Annotated[DeveloperView, Depends(current_developer(service))]

    @router.get("/csrf")
    def csrf(request: Request, response: Response) -> CsrfOut:
        """The CSRF token to send back as `X-CSRF-Token` (sets the cookie when missing)."""
        return CsrfOut(csrf_token=cookies.csrf_for(request, response))

    @router.post("/accounts", status_code=status.HTTP_202_ACCEPTED)
    def sign_up(request: Request, body: SignUpIn) -> Accepted:
        """Sign up; the same answer whether or not the address is registered (see the mail)."""
        with retry_after():
            service.sign_up(body.email, body.password, body.accept_terms, client_address(request))
        return CHECK_MAIL

    @router.post("/accounts/verify", status_code=status.HTTP_204_NO_CONTENT)
    def verify(body: TokenIn) -> None:
        service.verify_email(body.token)

    @router.post("/sessions", status_code=status.HTTP_204_NO_CONTENT)
    def log_in(request: Request, response: Response, body: LogInIn) -> None:
        """Log in: a new session cookie (never one the caller brought) and a new CSRF token."""
        with retry_after():
            token = service.log_in(body.email, body.password, client_address(request))
        old = session_token(request)
        if old:
            service.log_out(old)
        cookies.set_session(response, token)
        cookies.new_csrf(response)

    @router.delete("/sessions/current", status_code=status.HTTP_204_NO_CONTENT)
    def log_out(request: Request, response: Response) -> None:
        token = session_token(request)
        if token:
            service.log_out(token)
        cookies.clear_session(response)
        cookies.new_csrf(response)

    @router.post("/password-resets", status_code=status.HTTP_202_ACCEPTED)
    def request_reset(request: Request, body: ResetIn) -> Accepted:
        """Mail a reset link; the same answer whether or not the address is registered."""
        with retry_after():
            service.request_reset(body.email, client_address(request))
        return CHECK_MAIL

    @router.post("/password-resets/confirm", status_code=status.HTTP_204_NO_CONTENT)
    def reset(body: NewPasswordIn) -> None:
        service.reset_password(body.token, body.password)

    @router.get("/me")
    def me(developer: Developer) -> DeveloperView:
        return developer

    @router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
    def delete_me(developer: Developer, response: Response) -> None:
        """Delete the account: personal data goes, apps are disabled, usage stays anonymous."""
        service.delete_account(developer)
        cookies.clear_session(response)

    return router


def _app_routes(service: DeveloperService) -> APIRouter:
    router = APIRouter(tags=["apps"])
    Developer = Annotated[DeveloperView, Depends(current_developer(service))]

    @router.get("/apps")
    def list_apps(developer: Developer) -> list[AppOut]:
        return [AppOut.of(a) for a in service.apps(developer)]

    @router.post("/apps", status_code=status.HTTP_201_CREATED)
    def create_app(developer: Developer, body: AppCreateIn) -> CreatedApp:
        """A sandbox app works at once; a production app calls what providers approve. The
        answer is the only place the client secret ever appears."""
        return service.create_app(developer, body.name, body.sandbox)

    @router.get("/apps/{client_id}")
    def get_app(developer: Developer, client_id: str) -> AppOut:
        return AppOut.of(service.app(developer, client_id))

    @router.delete("/apps/{client_id}", status_code=status.HTTP_204_NO_CONTENT)
    def delete_app(developer: Developer, client_id: str) -> None:
        service.delete_app(developer, client_id)

    @router.post("/apps/{client_id}/secret")
    def rotate(developer: Developer, client_id: str) -> CreatedApp:
        """A new secret, shown this once; the previous one works until the overlap ends."""
        return service.rotate_secret(developer, client_id)

    @router.get("/apps/{client_id}/usage")
    def usage(developer: Developer, client_id: str) -> list[DailyUsage]:
        """Calls and errors per Japan day over the last 30 days."""
        return service.usage(developer, client_id)

    @router.post("/apps/{client_id}/access-requests", status_code=status.HTTP_201_CREATED)
    def request_access(developer: Developer, client_id: str, body: AccessIn) -> AccessRequestView:
        return service.request_access(developer, client_id, body.api, body.use)

    @router.get("/access-requests")
    def access_requests(developer: Developer) -> list[AccessRequestView]:
        return service.access_requests(developer)

    return router
