"""The one problem+json renderer (RFC 9457) for every door: data plane, platform app, admin
API and OAuth-protected routes.

Codes, statuses, titles and detail templates come from the registry's catalogue
(`registry.problems`); `type` is the code's anchor on the portal's error page
(`registry.urls`). Title and detail follow the request's Accept-Language (Japanese by default,
English on request) and `Content-Language` names the language they are in.

The data plane answers with `ProblemRenderer.refuse(exchange, code, **params)`, which also
records the code on the exchange (metrics and usage read it); FastAPI routes raise `Refusal`
and `gateway.problem_handlers` renders it with the same renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from gateway.pipeline import Exchange, Header, Reply
from registry.problems import CATALOGUE, Language, Param, ProblemCode
from registry.urls import error_page_url

PROBLEM_JSON = b"application/problem+json"


class Refusal(Exception):
    """Raised inside FastAPI routes and dependencies: answer with this catalogue problem."""

    def __init__(
        self, code: ProblemCode, *, headers: Mapping[str, str] | None = None, **params: Param
    ) -> None:
        super().__init__(code)
        self.code: ProblemCode = code
        self.headers = dict(headers or {})
        self.params = params


class ProblemRenderer:
    """Renders catalogue entries as problem+json `Reply`s with stable `type` URIs."""

    def __init__(self, public_url: str) -> None:
        self._public_url = public_url

    def reply(
        self,
        code: ProblemCode,
        *,
        request_id: str,
        language: Language = "ja",
        params: Mapping[str, Param] | None = None,
        headers: list[Header] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Reply:
        """The problem for `code`; `extra` adds members (RFC 9457 §3.2) after the standard ones."""
        kind = CATALOGUE[code]
        body: dict[str, Any] = {
            "type": error_page_url(self._public_url, code),
            "title": kind.title(language),
            "status": kind.status,
            "detail": kind.detail(language, params or {}),
            "request_id": request_id,
        }
        if extra:
            body.update(extra)
        out: list[Header] = [
            (b"content-type", PROBLEM_JSON),
            (b"content-language", language.encode()),
        ]
        if headers:
            out.extend(headers)
        return Reply(status=kind.status, body=orjson.dumps(body), headers=out)

    def refuse(
        self,
        exchange: Exchange,
        code: ProblemCode,
        *,
        headers: list[Header] | None = None,
        extra: Mapping[str, Any] | None = None,
        params: Mapping[str, Param] | None = None,
        **named: Param,
    ) -> Reply:
        """The data plane's refusal: records `code` on the exchange and renders it in the
        exchange's language with its request id. Template parameters come as keywords (or as
        `params` when they were collected earlier)."""
        exchange.error_code = code
        return self.reply(
            code,
            request_id=exchange.request_id,
            language=exchange.language,
            params={**(params or {}), **named},
            headers=headers,
            extra=extra,
        )


def preferred_language(accept_language: bytes | None) -> Language:
    """`en` when Accept-Language ranks English above Japanese, else `ja` (the default)."""
    if not accept_language:
        return "ja"
    best: tuple[float, str] = (-1.0, "ja")
    for part in accept_language.decode("latin-1").split(","):
        lang, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        primary = lang.strip().lower().split("-")[0]
        if primary in ("ja", "en") and q > best[0]:
            best = (q, primary)
    return "en" if best[1] == "en" else "ja"
