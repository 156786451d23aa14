"""Session and CSRF cookies of the developer API and pages (ADR 0024).

- The session cookie holds a random token (the store keeps its hash): HttpOnly, SameSite=Lax,
  Path=/, Secure when TSUNAGU_PUBLIC_URL is https. A log-in always issues a new token, so a
  token planted before log-in is never promoted (session fixation).
- CSRF: double submit. A random `tsunagu_csrf` cookie (readable by the page's own scripts,
  SameSite=Lax) must come back in the form field `csrf` or the `X-CSRF-Token` header on every
  unsafe request, compared in constant time; it is replaced at log-in and log-out. A request
  whose `Origin` names another site is refused as well.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request, Response

from gateway.problems import Refusal

SESSION_COOKIE = "tsunagu_session"
CSRF_COOKIE = "tsunagu_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class CookiePolicy:
    secure: bool
    session_seconds: int
    public_origin: str

    @classmethod
    def from_public_url(cls, public_url: str, session_hours: int) -> CookiePolicy:
        parts = urlsplit(public_url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        return cls(parts.scheme == "https", session_hours * 3600, origin)

    def set_session(self, response: Response, token: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=self.session_seconds,
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(
            SESSION_COOKIE, path="/", secure=self.secure, httponly=True, samesite="lax"
        )

    def new_csrf(self, response: Response) -> str:
        token = secrets.token_urlsafe(32)
        self.set_csrf(response, token)
        return token

    def set_csrf(self, response: Response, token: str) -> None:
        response.set_cookie(
            CSRF_COOKIE, token, path="/", secure=self.secure, httponly=False, samesite="lax"
        )

    def csrf_for(self, request: Request, response: Response) -> str:
        """The visitor's CSRF token for a form, issuing a cookie when it has none."""
        return request.cookies.get(CSRF_COOKIE) or self.new_csrf(response)

    def check(self, request: Request, submitted: str | None) -> None:
        """Refuse an unsafe request without the matching CSRF token or from another site."""
        if request.method in SAFE_METHODS:
            return
        origin = request.headers.get("origin")
        if origin is not None and origin.lower() not in (self.public_origin, _own_origin(request)):
            raise Refusal("csrf-failed")
        cookie = request.cookies.get(CSRF_COOKIE, "")
        given = submitted if submitted is not None else request.headers.get(CSRF_HEADER, "")
        if not cookie or not given or not hmac.compare_digest(cookie, given):
            raise Refusal("csrf-failed")


def _own_origin(request: Request) -> str:
    host = request.headers.get("host", "")
    return f"{request.url.scheme}://{host}".lower()


def session_token(request: Request) -> str | None:
    value = request.cookies.get(SESSION_COOKIE)
    return value if value and len(value) <= 128 else None


def client_address(request: Request) -> str:
    """The caller's address as the platform envelope resolved it (trusted proxies applied)."""
    return request.client.host if request.client else "unknown"
