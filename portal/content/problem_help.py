"""Plain-language help for each problem code: what happened and what to do (ja, en).

The codes, statuses and titles come from `registry.problems.CATALOGUE`; a code without help
here still gets its anchor and titles (with `GENERIC`), so a new code never breaks the page.
"""

from __future__ import annotations

GENERIC = (
    "`detail` に今回の原因が書かれています。解決しない場合は `request_id` を添えて"
    " API の問い合わせ先にご連絡ください。",
    "`detail` explains this occurrence. If it does not help, contact the API's provider and"
    " quote the `request_id`.",
)

HELP: dict[str, tuple[str, str]] = {
    "bad-request": (
        "リクエストの形が正しくありません。パスに `.` や `..`、バックスラッシュ、UTF-8 でない"
        " バイトが含まれている、`Content-Length` が数値でない、あるいはアクセストークンを"
        " 2 つの方法で同時に送っている (ヘッダーとクエリ)、`Authorization` ヘッダーが 2 つある、"
        " HTTP/1.1 として正しくない (`Host` がない等) などです。`detail` を確認して"
        " リクエストを直してください。",
        "The request is malformed: the path holds `.` or `..` segments, a backslash or bytes"
        " that are not UTF-8, `Content-Length` is not a number, a token was sent two ways at"
        " once or in two `Authorization` headers, or the request is not valid HTTP/1.1 (no"
        " `Host`, for instance). Read `detail` and fix the request.",
    ),
    "sandbox-validation": (
        "サンドボックスだけで返ります。リクエストが API 仕様書 (OpenAPI) に合っていません。"
        " `errors` に問題ごとの場所 (`in`, `name`, `pointer`) と理由 (`message`) が入って"
        " います。`Prefer` ヘッダーで仕様書にないステータスや例を指定した場合も同じです。",
        "Sandbox only. The request does not match the API description: `errors` lists each"
        " problem with where (`in`, `name`, `pointer`) and why (`message`). Also returned when"
        " `Prefer` names a status or example the operation does not declare.",
    ),
    "api-key-in-query": (
        "API キーを URL (クエリ文字列) に入れて送りました。URL はログや履歴に残るため、キーは"
        " `X-API-Key` ヘッダーでだけ受け付けます。このキーは漏えいしたものとして扱い、"
        " 再発行を依頼してください。",
        "An API key was sent in the URL. URLs end up in logs and histories, so keys are"
        " accepted in the `X-API-Key` header only. Treat that key as leaked and ask for a new"
        " one.",
    ),
    "invalid-token": (
        "アクセストークンを確認できませんでした。有効期限切れ (既定 10 分)、取り消し済み、"
        " 別の環境のトークン、またはコピーの誤りです。`/oauth/token` で新しいトークンを"
        " 取得してください。",
        "The access token could not be verified: it expired (10 minutes by default), was"
        " revoked, comes from another environment, or was copied wrongly. Get a new one from"
        " `/oauth/token`.",
    ),
    "missing-token": (
        "アクセストークンが付いていません。`Authorization: Bearer <トークン>` ヘッダーを"
        " 付けて送ってください。",
        "No access token was sent. Add the header `Authorization: Bearer <token>`.",
    ),
    "unauthorized": (
        "管理用の API などで、認証情報がないか確認できませんでした。`WWW-Authenticate`"
        " ヘッダーに理由があります。",
        "On the platform's own routes (such as the admin API) no credential was sent or it did"
        " not verify; `WWW-Authenticate` says which.",
    ),
    "insufficient-scope": (
        "トークンにこの API のスコープがありません。アプリにこの API の利用が許可されているか、"
        " トークン取得時に `scope` を絞りすぎていないか確認してください。更新系 (GET 以外) の"
        " 操作には `<API名>:write` が必要な場合があります。",
        "The token lacks this API's scope. Check that your app was granted the API and that you"
        " did not narrow `scope` when getting the token. Changing operations (other than GET)"
        " may need `<slug>:write`.",
    ),
    "sandbox-only": (
        "サンドボックス用アプリのトークンで本番 (`/api/…`) を呼び出しました。本番には本番用"
        " アプリのトークンを使ってください。",
        "A sandbox app's token was used on production (`/api/…`). Use a production app's token.",
    ),
    "production-token-in-sandbox": (
        "本番用アプリのトークン (または API キー) でサンドボックス (`/sandbox/…`) を呼び出し"
        " ました。サンドボックス用アプリのトークンを使ってください。",
        "A production token (or an API key) was used on the sandbox (`/sandbox/…`). Use a"
        " sandbox app's token.",
    ),
    "forbidden": (
        "この操作を行う権限がありません (管理用 API など)。",
        "You may not do this (for example on the admin API).",
    ),
    "not-found": (
        "指定した API またはバージョンは公開されていません。URL の API 名とバージョン"
        " (`/api/{API名}/{バージョン}/…`) を [API 一覧](index.md) で確認してください。"
        " サンドボックスでは、仕様書にないパスも 404 になります。",
        "No such API or version is published. Check the API name and version in the URL"
        " (`/api/{slug}/{version}/…`) against the [catalogue](index.md). In the sandbox, a"
        " path the description does not declare is 404 too.",
    ),
    "method-not-allowed": (
        "このパスではこのメソッドを使えません。`Allow` ヘッダーに使えるメソッドがあります。",
        "This path does not take this method; the `Allow` header lists the ones it takes.",
    ),
    "conflict": (
        "同時に別の変更が行われたか、現在の状態ではできない操作です。少し待ってから再度"
        " お試しください。",
        "Another change happened at the same time, or the current state does not allow this."
        " Try again shortly.",
    ),
    "gone": (
        "この API バージョンは提供を終了しました (提供終了日の 0 時 (日本時間) を過ぎました)。"
        " 後継バージョンがあれば `successor` にそのパスが入っています。"
        " [非推奨と提供終了](deprecation.md) もご覧ください。",
        "This API version has been retired (its sunset, 00:00 Japan time on the announced date,"
        " has passed). When there is a successor, `successor` holds its path. See"
        " [Deprecation](deprecation.md).",
    ),
    "request-timeout": (
        "リクエストの送信が時間内に終わりませんでした (ヘッダーは既定で 10 秒以内)。"
        " 通信状況を確かめて、もう一度お試しください。",
        "The request was not received in time (its head within 10 seconds by default). Check"
        " the connection and try again.",
    ),
    "uri-too-long": (
        "URL が長すぎます (既定で 8 KiB まで)。多くの条件を渡す場合は、条件を減らすか、"
        " 複数回に分けて取得してください。",
        "The URL is too long (8 KiB by default). Send fewer conditions, or split the request.",
    ),
    "header-fields-too-large": (
        "リクエストヘッダーが大きすぎるか多すぎます (既定で合計 32 KiB、100 個まで)。"
        " 不要な Cookie やヘッダーを送っていないか確認してください。",
        "The request headers are too large or too many (32 KiB and 100 fields by default)."
        " Check for cookies or headers you do not need to send.",
    ),
    "payload-too-large": (
        "リクエスト本文が大きすぎます (本番は既定 10 MiB、サンドボックスは 1 MiB まで)。",
        "The request body is too large (10 MiB by default in production, 1 MiB in the sandbox).",
    ),
    "rate-limited": (
        "利用回数の上限に達しました。`Retry-After` ヘッダーの秒数だけ待ってから再度お試し"
        " ください。上限は API ごとのページと [利用回数の上限](rate-limits.md) にあります。",
        "The rate limit was reached. Wait the seconds given in `Retry-After`, then try again."
        " Each API page and [Rate limits](rate-limits.md) give the limits.",
    ),
    "internal": (
        "ゲートウェイ内部で予期しないエラーが起きました。記録されています。時間をおいても"
        " 続く場合は `request_id` を添えてご連絡ください。",
        "The gateway failed unexpectedly; it has been logged. If it persists, report it with"
        " the `request_id`.",
    ),
    "bad-gateway": (
        "API の提供元のサーバーに接続できませんでした。時間をおいて再度お試しください。",
        "The provider's server could not be reached. Try again later.",
    ),
    "upstream-refused": (
        "API の接続先の設定に問題があります。利用者側では解決できないため、API の問い合わせ先に"
        " ご連絡ください。",
        "The API's upstream address is not allowed. You cannot fix this; contact the API's"
        " provider.",
    ),
    "service-unavailable": (
        "一時的に利用できません。`Retry-After` があればその秒数だけ待ってから再度お試し ください。",
        "Temporarily unavailable. Wait as long as `Retry-After` says, if present, and retry.",
    ),
    "gateway-timeout": (
        "API の提供元のサーバーの応答が時間内にありませんでした。時間をおいて再度お試し ください。",
        "The provider's server did not answer in time. Try again later.",
    ),
}
