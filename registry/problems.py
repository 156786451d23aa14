"""The platform's error catalogue: every problem code with its HTTP status, ja/en title and
ja/en detail template.

The registry owns it so that every door (data plane, platform app, admin API, OAuth, CLI) and
the portal's error page read one list; the portal may not import the gateway. Problem `type`
URIs point at `registry.urls.error_page_url(code)`, one anchor per code.

`ProblemCode` lists the codes as a `Literal`, so a misspelt code fails mypy; a test keeps it and
`CATALOGUE` equal. A detail template names its parameters in braces (`{api}`); a parameter's
value is a plain string or number, or a `Text` pair when the value itself is prose that must
follow the reader's language.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Language = Literal["ja", "en"]

ProblemCode = Literal[
    # data plane and platform app
    "bad-request",
    "invalid-input",
    "unsafe-path",
    "token-in-query",
    "api-key-in-query",
    "sandbox-validation",
    "missing-token",
    "invalid-token",
    "expired-token",
    "revoked-token",
    "invalid-api-key",
    "insufficient-scope",
    "sandbox-only",
    "production-token-in-sandbox",
    "sandbox-token-on-platform",
    "no-platform-scope",
    "not-found",
    "operation-not-found",
    "page-not-found",
    "method-not-allowed",
    "gone",
    "request-timeout",
    "payload-too-large",
    "uri-too-long",
    "header-fields-too-large",
    "rate-limited",
    "too-many-requests",
    "internal",
    "sandbox-unservable",
    "bad-gateway",
    "upstream-refused",
    "counters-unavailable",
    "portal-building",
    "too-many-connections",
    "gateway-timeout",
    "metrics-token-required",
    # registry (admin API and CLI)
    "provider-exists",
    "provider-not-found",
    "provider-forbidden",
    "slug-taken",
    "api-owned-by-other",
    "invalid-successor",
    "waiver-needs-reason",
    "waiver-rule-unknown",
    "consumers-forbidden",
    "operators-only",
    "change-log-forbidden",
    "developers-read-only",
    "invalid-slug",
    "invalid-notice-days",
    "invalid-upstream-url",
    "upstream-not-allowed",
    "invalid-upstream-timeouts",
    "wrong-state",
    "lint-errors",
    "sunset-too-soon",
    "version-retired",
    "document-frozen",
    "upstream-frozen",
    "signing-key-not-found",
    "concurrent-change",
    "store-unavailable",
    "value-refused",
    "invalid-database-url",
    "invalid-document",
    "unknown-scopes",
    "invalid-period",
    "stats-forbidden",
    "app-create-forbidden",
    "production-app-forbidden",
    "platform-scope-forbidden",
    "app-incomplete",
    "app-not-found",
    "app-disabled",
    "api-key-forbidden",
    "sandbox-app-api-key",
    "api-key-needs-api",
    "api-key-not-open-data",
    # CLI
    "unreadable-file",
    "invalid-date",
    "invalid-setting",
    "unknown-setting",
    "address-in-use",
]


@dataclass(frozen=True, slots=True)
class Text:
    """A parameter value that is itself prose, in both languages."""

    ja: str
    en: str

    def in_language(self, language: Language) -> str:
        return self.en if language == "en" else self.ja


Param = str | int | Text


@dataclass(frozen=True, slots=True)
class ProblemKind:
    """One catalogue entry. `auth_failure` marks the data plane's refused credentials, the
    reasons of `tsunagu_auth_failures_total`."""

    code: ProblemCode
    status: int
    title_ja: str
    title_en: str
    detail_ja: str
    detail_en: str
    auth_failure: bool = False

    @property
    def exit_code(self) -> int:
        """The CLI's exit code for this refusal (CONTRACT.md): 1 when the operation is refused
        (forbidden, or the state does not allow it), 2 for bad input and everything else."""
        return 1 if self.status in (403, 409) else 2

    def title(self, language: Language) -> str:
        return self.title_en if language == "en" else self.title_ja

    def detail(self, language: Language, params: Mapping[str, Param]) -> str:
        """The detail template filled in; a missing parameter stays visible as `{name}` rather
        than turning a refusal into a 500."""
        template = self.detail_en if language == "en" else self.detail_ja
        return template.format_map(_Filled(params, language))

    def parameters(self) -> frozenset[str]:
        """The parameter names the templates use (both languages)."""
        fields = string.Formatter()
        return frozenset(
            name
            for template in (self.detail_ja, self.detail_en)
            for _, name, _, _ in fields.parse(template)
            if name
        )


class _Filled(dict[str, str]):
    def __init__(self, params: Mapping[str, Param], language: Language) -> None:
        super().__init__(
            (k, v.in_language(language) if isinstance(v, Text) else str(v))
            for k, v in params.items()
        )

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _k(
    code: ProblemCode,
    status: int,
    title: tuple[str, str],
    detail: tuple[str, str],
    *,
    auth_failure: bool = False,
) -> ProblemKind:
    return ProblemKind(code, status, *title, *detail, auth_failure=auth_failure)


_ENTRIES = (
    # -- data plane and platform app ------------------------------------------------------
    _k(
        "bad-request",
        400,
        ("リクエストが不正です", "Bad request"),
        ("リクエストを処理できません（{reason}）。", "The request cannot be processed: {reason}."),
    ),
    _k(
        "invalid-input",
        400,
        ("入力が正しくありません", "Invalid input"),
        ("入力が正しくありません：{fields}", "The input is not valid: {fields}"),
    ),
    _k(
        "unsafe-path",
        400,
        ("パスが不正です", "Unsafe path"),
        (
            "パスにドットセグメント、バックスラッシュ、またはUTF-8でないバイトが含まれています。",
            "The path contains dot segments, backslashes or bytes that are not UTF-8.",
        ),
    ),
    _k(
        "token-in-query",
        400,
        (
            "アクセストークンをURLに含めることはできません",
            "Access tokens are not accepted in the URL",
        ),
        (
            "アクセストークンはURLではなく Authorization ヘッダーだけで送ってください。",
            "Send the access token in the Authorization header only, not in the URL.",
        ),
        auth_failure=True,
    ),
    _k(
        "api-key-in-query",
        400,
        (
            "APIキーをクエリ文字列に含めることはできません",
            "API keys are not accepted in the query string",
        ),
        (
            "APIキーはURLではなく X-API-Key ヘッダーで送ってください。",
            "Send the API key in the X-API-Key header, not in the URL.",
        ),
        auth_failure=True,
    ),
    _k(
        "sandbox-validation",
        400,
        ("リクエストがAPI定義に合いません", "Request does not match the API definition"),
        (
            "リクエストに {count} 件の問題があります（errors を参照）。",
            "{count} problem(s) with the request; see errors.",
        ),
    ),
    _k(
        "missing-token",
        401,
        ("アクセストークンが必要です", "An access token is required"),
        (
            "アクセストークンを Authorization: Bearer <トークン> ヘッダーで送ってください"
            "（URLでは受け付けません）。",
            "Send an access token as Authorization: Bearer <token> (never in the URL).",
        ),
        auth_failure=True,
    ),
    _k(
        "invalid-token",
        401,
        ("アクセストークンが無効です", "Invalid access token"),
        ("アクセストークンが無効です（{reason}）。", "The access token is not valid: {reason}."),
        auth_failure=True,
    ),
    _k(
        "expired-token",
        401,
        ("アクセストークンの有効期限が切れています", "The access token has expired"),
        (
            "/oauth/token で新しいアクセストークンを取得してください。",
            "Get a new access token from /oauth/token.",
        ),
        auth_failure=True,
    ),
    _k(
        "revoked-token",
        401,
        ("アクセストークンは失効しています", "The access token has been revoked"),
        (
            "このトークンは取り消されました。新しいアクセストークンを取得してください。",
            "This token was revoked; get a new access token.",
        ),
        auth_failure=True,
    ),
    _k(
        "invalid-api-key",
        401,
        ("APIキーが無効です", "Invalid API key"),
        (
            "X-API-Key ヘッダーのAPIキーは登録されていません。",
            "The API key in the X-API-Key header is not registered.",
        ),
        auth_failure=True,
    ),
    _k(
        "insufficient-scope",
        403,
        ("このAPIを利用する権限がありません", "The token lacks the scope for this API"),
        (
            "この呼び出しにはスコープ {scope} が必要です。",
            "This call needs scope {scope}.",
        ),
        auth_failure=True,
    ),
    _k(
        "sandbox-only",
        403,
        (
            "サンドボックス用の資格情報では本番APIを呼び出せません",
            "Sandbox credentials cannot call production APIs",
        ),
        (
            "このトークンはサンドボックス用アプリのものです。/sandbox/ で使ってください。",
            "This token belongs to a sandbox app; use it on /sandbox/.",
        ),
        auth_failure=True,
    ),
    _k(
        "production-token-in-sandbox",
        403,
        (
            "サンドボックスにはサンドボックス用アプリのトークンが必要です",
            "The sandbox needs a sandbox app's token",
        ),
        (
            "サンドボックスはサンドボックス用アプリのトークンだけを受け付けます。",
            "The sandbox takes tokens of sandbox apps only.",
        ),
        auth_failure=True,
    ),
    _k(
        "sandbox-token-on-platform",
        403,
        (
            "サンドボックス用のトークンでは管理APIを使えません",
            "Sandbox tokens cannot use the admin API",
        ),
        (
            "管理APIには本番アプリのトークンが必要です。",
            "The admin API needs a production app's token.",
        ),
    ),
    _k(
        "no-platform-scope",
        403,
        ("管理APIを利用する権限がありません", "The token lacks an admin or provider scope"),
        (
            "トークンには admin またはひとつの provider スコープが必要です。",
            "The token needs the admin scope or exactly one provider scope.",
        ),
    ),
    _k(
        "not-found",
        404,
        ("APIが見つかりません", "API not found"),
        ("API {api} は登録されていません。", "There is no API {api}."),
    ),
    _k(
        "operation-not-found",
        404,
        ("API定義にないパスです", "Path not in the API definition"),
        ("{api} には {path} というパスがありません。", "{api} has no path {path}."),
    ),
    _k(
        "page-not-found",
        404,
        ("ページが見つかりません", "Page not found"),
        ("{path} というページはありません。", "There is no page {path}."),
    ),
    _k(
        "method-not-allowed",
        405,
        ("このメソッドは使えません", "Method not allowed"),
        (
            "{path} では {method} は使えません（使えるメソッド：{allow}）。",
            "{path} allows {allow}, not {method}.",
        ),
    ),
    _k(
        "gone",
        410,
        ("このAPIバージョンは提供を終了しました", "This API version has been retired"),
        ("{api} は提供を終了しました。{successor}", "{api} has been retired.{successor}"),
    ),
    _k(
        "request-timeout",
        408,
        ("リクエストの受信が時間内に終わりませんでした", "Request timeout"),
        (
            "リクエストヘッダーが時間内に届きませんでした。",
            "The request headers did not arrive in time.",
        ),
    ),
    _k(
        "payload-too-large",
        413,
        ("リクエスト本文が大きすぎます", "Request body too large"),
        (
            "リクエスト本文は {limit} バイトまでです。",
            "The request body exceeds {limit} bytes.",
        ),
    ),
    _k(
        "uri-too-long",
        414,
        ("URLが長すぎます", "URI too long"),
        ("URLは {limit} バイトまでです。", "The request target exceeds {limit} bytes."),
    ),
    _k(
        "header-fields-too-large",
        431,
        ("リクエストヘッダーが大きすぎるか多すぎます", "Request header fields too large"),
        (
            "リクエストヘッダーは合計 {limit} バイト、{count} 個までです。",
            "Request headers are limited to {limit} bytes and {count} fields in total.",
        ),
    ),
    _k(
        "rate-limited",
        429,
        ("利用回数の上限を超えました", "Rate limit exceeded"),
        (
            "上限（{window}秒あたり{limit}回、{quota}）に達しました。{reset}秒後に再試行してください。",
            "Quota '{quota}' of {limit} requests per {window} s is used up; retry in {reset} s.",
        ),
    ),
    _k(
        "too-many-requests",
        429,
        ("リクエストが多すぎます", "Too many requests"),
        (
            "このアドレスからのリクエストが上限（{limit}）を超えました。しばらく待って再試行してください。",
            "Requests from this address exceeded {limit}; wait and retry.",
        ),
    ),
    _k(
        "internal",
        500,
        ("ゲートウェイ内部でエラーが発生しました", "Internal gateway error"),
        (
            "予期しないエラーが発生し、このリクエストIDで記録されました。",
            "An unexpected error occurred; it has been logged with this request id.",
        ),
    ),
    _k(
        "sandbox-unservable",
        500,
        ("サンドボックスがこのAPI定義に応答できません", "The sandbox cannot serve this API"),
        (
            "API定義からサンドボックスの応答を作れません（{reason}）。",
            "The sandbox cannot serve this API definition: {reason}.",
        ),
    ),
    _k(
        "bad-gateway",
        502,
        ("上流のAPIサーバーに接続できません", "The upstream API server could not be reached"),
        (
            "上流のAPIサーバーが応答しませんでした。",
            "The upstream server failed to answer.",
        ),
    ),
    _k(
        "upstream-refused",
        502,
        ("上流の宛先が許可されていません", "The upstream address is not allowed"),
        (
            "上流のアドレスはゲートウェイの接続先として許可されていません。",
            "The upstream address is not allowed.",
        ),
    ),
    _k(
        "counters-unavailable",
        503,
        ("一時的に利用できません", "Temporarily unavailable"),
        (
            "利用回数の集計が一時的に利用できないため、このAPIはリクエストを受け付けません。",
            "Rate-limit counters are unavailable and this API does not accept requests "
            "without them.",
        ),
    ),
    _k(
        "portal-building",
        503,
        ("開発者ポータルを準備中です", "The developer portal is being built"),
        (
            "開発者ポータルを準備しています。数秒後にもう一度お試しください。",
            "The developer portal is being built; try again in a few seconds.",
        ),
    ),
    _k(
        "too-many-connections",
        503,
        ("一時的に利用できません", "Temporarily unavailable"),
        (
            "サーバーの同時接続数が上限に達しています。しばらくして再試行してください。",
            "The server has too many connections; retry shortly.",
        ),
    ),
    _k(
        "gateway-timeout",
        504,
        ("上流のAPIサーバーの応答が遅すぎます", "The upstream API server did not answer in time"),
        (
            "上流のAPIサーバーが時間内に応答しませんでした。",
            "The upstream server did not answer in time.",
        ),
    ),
    _k(
        "metrics-token-required",
        401,
        ("メトリクスにはトークンが必要です", "Metrics need a token"),
        (
            "/metrics は運用者のトークンを Authorization: Bearer で送った場合だけ応答します。",
            "/metrics answers only with the operator's token in Authorization: Bearer.",
        ),
    ),
    # -- registry: admin API and CLI ---------------------------------------------------------
    _k(
        "provider-exists",
        409,
        ("プロバイダーは登録済みです", "Provider already exists"),
        (
            "プロバイダー {provider} はすでに登録されています。",
            "Provider {provider} already exists.",
        ),
    ),
    _k(
        "provider-not-found",
        404,
        ("プロバイダーが見つかりません", "Provider not found"),
        ("プロバイダー {provider} は登録されていません。", "Provider {provider} does not exist."),
    ),
    _k(
        "provider-forbidden",
        403,
        ("このプロバイダーの操作は許可されていません", "Not allowed for this provider"),
        (
            "プロバイダー {provider} の{action}は許可されていません。",
            "You are not allowed to {action} for provider {provider}.",
        ),
    ),
    _k(
        "slug-taken",
        403,
        ("APIのスラッグは使用されています", "API slug taken"),
        (
            "スラッグ {slug} は別のプロバイダーのAPIです。別の --slug を選んでください。",
            "API slug {slug} belongs to another provider; choose another --slug.",
        ),
    ),
    _k(
        "api-owned-by-other",
        403,
        ("別のプロバイダーのAPIです", "Another provider's API"),
        ("{slug} は別のプロバイダーのAPIです。", "{slug} belongs to another provider."),
    ),
    _k(
        "invalid-successor",
        409,
        ("後継バージョンが不正です", "Invalid successor"),
        (
            "後継 {api} は公開中の別バージョンではありません。",
            "Successor {api} is not another published version.",
        ),
    ),
    _k(
        "waiver-needs-reason",
        400,
        ("免除には理由が必要です", "A waiver needs a reason"),
        ("免除の理由を --reason で指定してください。", "Give the waiver's reason with --reason."),
    ),
    _k(
        "waiver-rule-unknown",
        400,
        ("免除するルールの指摘がありません", "No finding to waive"),
        (
            "ルール {rule} は {api} に指摘がありません。",
            "Rule {rule} has no finding on {api}.",
        ),
    ),
    _k(
        "consumers-forbidden",
        403,
        ("利用者一覧を見る権限がありません", "Not allowed to see consumers"),
        (
            "{slug} の利用者は、そのプロバイダーと運用者だけが見られます。",
            "Only the provider of {slug} and operators see its consumers.",
        ),
    ),
    _k(
        "operators-only",
        403,
        ("運用者だけが行える操作です", "Operators only"),
        ("{action}は運用者だけが行えます。", "Only operators may {action}."),
    ),
    _k(
        "change-log-forbidden",
        403,
        ("変更履歴を見る権限がありません", "Not allowed to read the change log"),
        (
            "開発者はレジストリの変更履歴を読めません。",
            "Developers cannot read the registry change log.",
        ),
    ),
    _k(
        "developers-read-only",
        403,
        ("開発者はレジストリを変更できません", "Developers cannot change the registry"),
        (
            "開発者のトークンではレジストリを変更できません。",
            "Developers cannot change the registry.",
        ),
    ),
    _k(
        "invalid-slug",
        400,
        ("スラッグが不正です", "Invalid slug"),
        (
            "スラッグ {slug} は使えません。a-z、0-9、'-' の2〜40文字にしてください。",
            "Slug {slug} is not valid: use 2-40 characters of a-z, 0-9 and '-'.",
        ),
    ),
    _k(
        "invalid-notice-days",
        400,
        ("予告期間が不正です", "Invalid notice period"),
        (
            "notice_days は 0〜{max} の範囲で指定してください（指定値：{days}）。",
            "notice_days must be 0-{max}, got {days}.",
        ),
    ),
    _k(
        "invalid-upstream-url",
        400,
        ("上流URLが不正です", "Invalid upstream URL"),
        ("上流URL {url} は使えません：{reason}。", "Upstream URL {url} cannot be used: {reason}."),
    ),
    _k(
        "upstream-not-allowed",
        400,
        ("上流の宛先が許可されていません", "Upstream address not allowed"),
        (
            "上流のホスト {host} は使えません（{reason}）。"
            "運用者は TSUNAGU_UPSTREAM_ALLOW で許可できます。",
            "Upstream host {host} is refused ({reason}); an operator can allow it with "
            "TSUNAGU_UPSTREAM_ALLOW.",
        ),
    ),
    _k(
        "invalid-upstream-timeouts",
        400,
        ("x-upstream-timeouts が不正です", "Invalid x-upstream-timeouts"),
        (
            "x-upstream-timeouts が不正です：{reason}。",
            "x-upstream-timeouts is not valid: {reason}.",
        ),
    ),
    _k(
        "wrong-state",
        409,
        ("現在の状態ではこの操作はできません", "The current state does not allow this"),
        (
            "{api} は {state} のため{action}できません（{wanted} である必要があります）。",
            "Cannot {action} {api}: it is {state}, not {wanted}.",
        ),
    ),
    _k(
        "lint-errors",
        409,
        ("未解決のリントエラーがあります", "Unresolved lint errors"),
        (
            "{api} には未解決のリントエラー {rules} があるため公開できません"
            "（x-lint-ignore ではなく、運用者の免除が必要です）。",
            "Cannot publish {api}: unresolved lint errors {rules} (x-lint-ignore does not "
            "clear errors; an operator waiver does).",
        ),
    ),
    _k(
        "sunset-too-soon",
        409,
        ("提供終了日が早すぎます", "Sunset too soon"),
        (
            "提供終了日 {sunset} は予告期間 {days} 日より近すぎます。"
            "最も早い日付は {earliest} です。",
            "Sunset {sunset} is closer than the {days}-day notice period; the earliest allowed "
            "date is {earliest}.",
        ),
    ),
    _k(
        "version-retired",
        409,
        ("提供終了したバージョンです", "Version retired"),
        (
            "{api} は提供を終了しているため再登録できません。"
            "新しいメジャーバージョンを登録してください。",
            "{api} is retired and cannot be registered again; register a new major version.",
        ),
    ),
    _k(
        "document-frozen",
        409,
        ("公開済みバージョンの定義は変更できません", "Published document cannot change"),
        (
            "{api} は {state} です。公開済みメジャーバージョンへの新しい定義は受け付けません。"
            "新しいメジャーバージョンを登録してください。",
            "{api} is {state}: a new document for a published major version is refused; "
            "register a new major version.",
        ),
    ),
    _k(
        "upstream-frozen",
        409,
        ("公開済みバージョンの上流URLは変更できません", "Published upstream cannot change"),
        (
            "{api} は {state} です。再登録で上流URLを変更することはできません。",
            "{api} is {state}: its upstream URL cannot change by registering.",
        ),
    ),
    _k(
        "signing-key-not-found",
        404,
        ("署名鍵が見つかりません", "Signing key not found"),
        ("署名鍵 {kid} は存在しません。", "Signing key {kid} does not exist."),
    ),
    _k(
        "concurrent-change",
        409,
        ("同時に別の変更がありました", "Concurrent change"),
        (
            "レジストリへの別の変更が同時に行われました。再試行してください。",
            "Another change to the registry happened at the same time; retry.",
        ),
    ),
    _k(
        "store-unavailable",
        503,
        ("レジストリのデータベースを利用できません", "Registry store unavailable"),
        (
            "レジストリのデータベースに接続できません（{reason}）。しばらくして再試行してください。",
            "The registry database is unavailable ({reason}); retry later.",
        ),
    ),
    _k(
        "value-refused",
        400,
        ("データベースが値を受け付けません", "Value refused by the database"),
        (
            "レジストリのデータベースが値を受け付けませんでした（{reason}）。",
            "The registry database refused a value: {reason}.",
        ),
    ),
    _k(
        "invalid-database-url",
        400,
        ("データベースURLが不正です", "Invalid database URL"),
        (
            "データベースURL {url} は使えません：{reason}。",
            "Database URL {url} cannot be used: {reason}.",
        ),
    ),
    _k(
        "invalid-document",
        400,
        ("OpenAPI文書を読めません", "Unreadable OpenAPI document"),
        (
            "OpenAPI文書を受け付けられません：{reason}",
            "The OpenAPI document cannot be accepted: {reason}",
        ),
    ),
    _k(
        "unknown-scopes",
        400,
        ("不明なスコープです", "Unknown scopes"),
        (
            "スコープ {scopes} は登録済みのAPIではありません。",
            "Unknown scopes: {scopes} (scopes name registered APIs).",
        ),
    ),
    _k(
        "invalid-period",
        400,
        ("期間が不正です", "Invalid period"),
        (
            "期間は 1h、24h、7d のように、0より長く90日以内で指定してください（指定値：{value}）。",
            "The period must look like 1h, 24h or 7d, more than 0 and at most 90 days; "
            "got {value}.",
        ),
    ),
    _k(
        "stats-forbidden",
        403,
        ("APIの統計を見る権限がありません", "Not allowed to read API statistics"),
        (
            "開発者はAPIの統計を読めません。",
            "Developers cannot read API statistics.",
        ),
    ),
    _k(
        "app-create-forbidden",
        403,
        ("アプリを作成する権限がありません", "Not allowed to create apps"),
        (
            "アプリを作成できるのは運用者と開発者だけです。",
            "Only operators and developers create apps.",
        ),
    ),
    _k(
        "production-app-forbidden",
        403,
        ("本番アプリは作成できません", "Production apps need approval"),
        (
            "開発者が作成できるのは自分のサンドボックス用アプリだけです。本番利用を申請してください。",
            "Developers create sandbox apps they own; ask for production access.",
        ),
    ),
    _k(
        "platform-scope-forbidden",
        403,
        ("プラットフォームのスコープは付与できません", "Platform scopes are for operators"),
        (
            "プラットフォームのスコープは運用者だけが付与できます。",
            "Platform scopes are granted by operators only.",
        ),
    ),
    _k(
        "app-incomplete",
        400,
        ("アプリの名前と所有者が必要です", "App name and owner required"),
        ("アプリには名前と所有者が必要です。", "An app needs a name and an owner."),
    ),
    _k(
        "app-not-found",
        404,
        ("アプリが見つかりません", "App not found"),
        ("アプリ {client_id} は存在しません。", "App {client_id} does not exist."),
    ),
    _k(
        "app-disabled",
        409,
        ("アプリは無効化されています", "App disabled"),
        ("アプリ {client_id} は無効化されています。", "App {client_id} is disabled."),
    ),
    _k(
        "api-key-forbidden",
        403,
        ("APIキーを発行する権限がありません", "Not allowed to issue API keys"),
        (
            "APIキーを発行できるのは運用者か、アプリの所有者だけです。",
            "API keys are issued by operators or to the app's owner.",
        ),
    ),
    _k(
        "sandbox-app-api-key",
        409,
        ("サンドボックス用アプリにはAPIキーを発行できません", "No API keys for sandbox apps"),
        (
            "アプリ {client_id} はサンドボックス用です。APIキーは本番のオープンデータAPI用なので"
            "本番アプリに発行します（サンドボックスではアプリのトークンを使います）。",
            "App {client_id} is a sandbox app: API keys call production open-data APIs, so they "
            "belong to production apps (the sandbox takes the sandbox app's token).",
        ),
    ),
    _k(
        "api-key-needs-api",
        400,
        ("APIキーにはAPIの指定が必要です", "An API key needs an API"),
        (
            "APIキーには少なくともひとつのAPIスラッグを指定してください。",
            "An API key needs at least one API slug.",
        ),
    ),
    _k(
        "api-key-not-open-data",
        400,
        ("オープンデータAPIではありません", "Not an open-data API"),
        (
            "APIキーは公開中のオープンデータAPIだけに使えます：{slugs}",
            "API keys are only for published open-data APIs: {slugs}",
        ),
    ),
    # -- CLI ------------------------------------------------------------------------------
    _k(
        "unreadable-file",
        400,
        ("ファイルを読めません", "Unreadable file"),
        ("{path} を読めません：{reason}", "Cannot read {path}: {reason}"),
    ),
    _k(
        "invalid-date",
        400,
        ("日付が不正です", "Invalid date"),
        (
            "{option} は YYYY-MM-DD 形式の日付で指定してください（指定値：{value}）。",
            "{option} must be a date as YYYY-MM-DD, got {value}.",
        ),
    ),
    _k(
        "invalid-setting",
        400,
        ("設定が不正です", "Invalid setting"),
        ("設定 {name} が不正です：{reason}", "Invalid setting {name}: {reason}"),
    ),
    _k(
        "unknown-setting",
        400,
        ("不明な設定です", "Unknown setting"),
        ("{name} という設定はありません{hint}", "There is no setting {name}{hint}"),
    ),
    _k(
        "address-in-use",
        400,
        ("待ち受けできません", "Cannot listen"),
        (
            "{address} で待ち受けできません（{reason}）。{option} で別のポートを指定してください。",
            "Cannot listen on {address} ({reason}); choose another port with {option}.",
        ),
    ),
)

CATALOGUE: Mapping[str, ProblemKind] = {k.code: k for k in _ENTRIES}
"""Code → entry, in a stable order (the portal's error page and docs/errors.md list it so)."""
