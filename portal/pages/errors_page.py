"""The error catalogue page: one anchor per problem code, so every problem `type` URI
(`/portal/errors/#<code>`) lands on its explanation."""

from __future__ import annotations

from portal.content.problem_help import GENERIC, HELP
from portal.markdown import cell
from portal.wording import Lang, pick
from registry.problems import CATALOGUE

EXAMPLE = """{
  "type": "%s#rate-limited",
  "title": "利用回数の上限を超えました",
  "status": 429,
  "detail": "上限（60秒あたり60回、minute）に達しました。13秒後に再試行してください",
  "request_id": "43b24f417f96823500000001"
}"""


def render(errors_url: str, lang: Lang) -> str:
    kinds = sorted(CATALOGUE.values(), key=lambda k: (k.status, k.code))
    intro = pick(
        lang,
        "ゲートウェイが返すエラーは、すべて `application/problem+json` 形式 (RFC 9457) です。"
        " `type` の `#` より後ろの文字列 (エラーコード) はこのページの見出しに対応しており、"
        " プログラムではこのコードと `status` で判断してください。`title` は日本語"
        " (`Accept-Language` で英語を優先すると英語) です。問い合わせの際は `request_id`"
        " (レスポンスの `X-Request-ID` ヘッダーと同じ値) をお知らせください。",
        "Every error the gateway returns is `application/problem+json` (RFC 9457). The part of"
        " `type` after `#` (the error code) is a heading on this page; program against that"
        " code and `status`. `title` is Japanese unless your `Accept-Language` prefers English."
        " Quote `request_id` (equal to the `X-Request-ID` response header) when you ask for"
        " help.",
    )
    passthrough = pick(
        lang,
        "API の提供元が返したエラーはそのまま届きます。`/oauth/token` は OAuth 2.0 の形式"
        ' (`{"error": "invalid_client", …}`) で答えます。',
        "Errors from the provider's own server are passed through unchanged. `/oauth/token`"
        ' answers in the OAuth 2.0 format (`{"error": "invalid_client", …}`).',
    )
    parts = [
        pick(lang, "# エラー一覧", "# Errors"),
        intro,
        "```json\n" + EXAMPLE % errors_url + "\n```",
        passthrough,
        pick(lang, "| コード | HTTP | 意味 |", "| Code | HTTP | Meaning |") + "\n|---|---|---|",
    ]
    parts[-1] += "".join(
        f"\n| [`{k.code}`](#{k.code}) | {k.status} | {cell(pick(lang, k.title_ja, k.title_en))} |"
        for k in kinds
    )
    for kind in kinds:
        ja, en = HELP.get(kind.code, GENERIC)
        parts += [
            f"## {kind.code} {{#{kind.code}}}",
            f"**{kind.status}** — {cell(pick(lang, kind.title_ja, kind.title_en))}"
            + pick(lang, f" ({kind.title_en})", f" ({kind.title_ja})"),
            pick(lang, ja, en),
        ]
    return "\n\n".join(parts) + "\n"
