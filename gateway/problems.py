"""The gateway's error catalogue and its one renderer: RFC 9457 problem details.

Every error the gateway itself produces has a stable code here. Titles are Japanese by default
and English when the request's Accept-Language prefers it (RULES.md, gateway behaviour).
"""

from __future__ import annotations

from typing import Any, Literal

import orjson

from gateway.pipeline import Header, Reply
from registry.problems import CATALOGUE
from registry.urls import error_page_url

PROBLEM_JSON = b"application/problem+json"


class ProblemRenderer:
    """Renders catalogue entries as problem+json `Reply`s with stable `type` URIs."""

    def __init__(self, public_url: str) -> None:
        self._public_url = public_url

    def reply(
        self,
        code: str,
        detail: str,
        *,
        request_id: str,
        language: Literal["ja", "en"] = "ja",
        headers: list[Header] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Reply:
        kind = CATALOGUE[code]
        body: dict[str, Any] = {
            "type": error_page_url(self._public_url, kind.code),
            "title": kind.title_en if language == "en" else kind.title_ja,
            "status": kind.status,
            "detail": detail,
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


def preferred_language(accept_language: bytes | None) -> Literal["ja", "en"]:
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
