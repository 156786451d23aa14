"""The gateway's error catalogue and its one renderer: RFC 9457 problem details.

Every error the gateway itself produces has a stable code here. Titles are Japanese by default
and English when the request's Accept-Language prefers it (RULES.md, gateway behaviour).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import orjson

from gateway.pipeline import Header, Reply

PROBLEM_JSON = b"application/problem+json"


@dataclass(frozen=True, slots=True)
class ProblemKind:
    code: str
    status: int
    title_ja: str
    title_en: str


def _k(code: str, status: int, ja: str, en: str) -> ProblemKind:
    return ProblemKind(code, status, ja, en)


CATALOGUE: dict[str, ProblemKind] = {
    k.code: k
    for k in (
        _k("bad-request", 400, "リクエストが不正です", "Bad request"),
        _k(
            "sandbox-validation",
            400,
            "リクエストがAPI定義に合いません",
            "Request does not match the API definition",
        ),
        _k(
            "api-key-in-query",
            400,
            "APIキーをクエリ文字列に含めることはできません",
            "API keys are not accepted in the query string",
        ),
        _k("invalid-token", 401, "アクセストークンが無効です", "Invalid access token"),
        _k("missing-token", 401, "アクセストークンが必要です", "An access token is required"),
        _k(
            "insufficient-scope",
            403,
            "このAPIを利用する権限がありません",
            "The token lacks the scope for this API",
        ),
        _k(
            "sandbox-only",
            403,
            "サンドボックス用の資格情報では本番APIを呼び出せません",
            "Sandbox credentials cannot call production APIs",
        ),
        _k(
            "production-token-in-sandbox",
            403,
            "サンドボックスにはサンドボックス用アプリのトークンが必要です",
            "The sandbox needs a sandbox app's token",
        ),
        _k("unauthorized", 401, "認証が必要です", "Authentication required"),
        _k("forbidden", 403, "この操作は許可されていません", "This operation is not allowed"),
        _k("not-found", 404, "APIが見つかりません", "API not found"),
        _k("method-not-allowed", 405, "このメソッドは使えません", "Method not allowed"),
        _k(
            "gone",
            410,
            "このAPIバージョンは提供を終了しました",
            "This API version has been retired",
        ),
        _k(
            "conflict",
            409,
            "現在の状態ではこの操作はできません",
            "The current state does not allow this",
        ),
        _k("payload-too-large", 413, "リクエスト本文が大きすぎます", "Request body too large"),
        _k("rate-limited", 429, "利用回数の上限を超えました", "Rate limit exceeded"),
        _k("internal", 500, "ゲートウェイ内部でエラーが発生しました", "Internal gateway error"),
        _k(
            "bad-gateway",
            502,
            "上流のAPIサーバーに接続できません",
            "The upstream API server could not be reached",
        ),
        _k(
            "upstream-refused",
            502,
            "上流の宛先が許可されていません",
            "The upstream address is not allowed",
        ),
        _k("service-unavailable", 503, "一時的に利用できません", "Temporarily unavailable"),
        _k(
            "gateway-timeout",
            504,
            "上流のAPIサーバーの応答が遅すぎます",
            "The upstream API server did not answer in time",
        ),
    )
}


class ProblemRenderer:
    """Renders catalogue entries as problem+json `Reply`s with stable `type` URIs."""

    def __init__(self, public_url: str) -> None:
        self._type_base = public_url.rstrip("/") + "/portal/errors/#"

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
            "type": self._type_base + kind.code,
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
