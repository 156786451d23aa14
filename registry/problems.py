"""The platform's error catalogue: every problem code, its HTTP status and its ja/en title.

The registry owns it so that every door (data plane, platform app, admin API, OAuth, CLI) and
the portal's error page read one list; the portal may not import the gateway. Problem `type`
URIs point at `registry.urls.error_page_url(code)`.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        _k(
            "request-timeout",
            408,
            "リクエストの受信が時間内に終わりませんでした",
            "Request timeout",
        ),
        _k("payload-too-large", 413, "リクエスト本文が大きすぎます", "Request body too large"),
        _k("uri-too-long", 414, "URLが長すぎます", "URI too long"),
        _k(
            "header-fields-too-large",
            431,
            "リクエストヘッダーが大きすぎるか多すぎます",
            "Request header fields too large",
        ),
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
