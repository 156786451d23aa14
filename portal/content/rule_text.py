"""Japanese wording of the conformance rules for the "API standards" page (RULES.md).

The rule table (`registry.lint.table.RULES`) keeps a short English description; a rule without
an entry here is shown with that description, so a new rule never breaks the page.
"""

from __future__ import annotations

FAMILIES: tuple[tuple[str, tuple[str, str]], ...] = (
    ("ATG-DOC", ("仕様書と説明", "Document and description")),
    ("ATG-URI", ("URI の設計", "URIs")),
    ("ATG-MTH", ("メソッド", "Methods")),
    ("ATG-PRM", ("パラメーター", "Parameters")),
    ("ATG-RSP", ("レスポンス", "Responses")),
    ("ATG-ERR", ("エラー", "Errors")),
    ("ATG-DAT", ("データ項目と形式", "Data items and formats")),
    ("DM-", ("行政データ連携の標準", "Government data-model conventions")),
    ("ATG-SEC", ("セキュリティ", "Security")),
    ("REG-", ("掲載情報", "Listing metadata")),
)

RULE_TEXT_JA: dict[str, str] = {
    "ATG-DOC-01": "OpenAPI 3.0 または 3.1 として正しい仕様書である",
    "ATG-DOC-02": "API の説明 (info.description) がある",
    "ATG-DOC-03": "すべての操作に概要 (summary) か説明がある",
    "ATG-DOC-04": "成功レスポンスに例 (example) がある (サンドボックスはこれで応答します)",
    "ATG-DOC-05": "利用規約 (info.termsOfService) がある",
    "ATG-DOC-06": "ライセンス (info.license) がある",
    "ATG-DOC-07": "問い合わせ先 (メールか URL) がある",
    "ATG-DOC-08": "スキーマの各項目に説明がある",
    "ATG-URI-01": "パスは名詞で表す (get、create などの動詞を使わない)",
    "ATG-URI-02": "コレクションは複数形で表す",
    "ATG-URI-03": "メジャーバージョンをベースパスに v1 の形で含める",
    "ATG-URI-04": "パスはスネークケース (city_libraries) の小文字で書く",
    "ATG-URI-05": "パスにパーセントエンコードや ASCII 以外の文字を使わない",
    "ATG-URI-06": "並び順や絞り込みはクエリパラメーターで指定する",
    "ATG-URI-07": "パスの {変数} とパスパラメーターの宣言が一致する",
    "ATG-URI-08": "応答形式をクエリパラメーターで切り替えない",
    "ATG-MTH-01": "GET と DELETE に本文を付けない。作成はコレクションへの POST",
    "ATG-PRM-01": "取得件数のパラメーター名は limit",
    "ATG-PRM-02": "一覧取得は limit と offset (または page) を持つ",
    "ATG-PRM-03": "limit の既定値は 100 以下",
    "ATG-PRM-04": "項目の多いデータは fields で取得項目を選べる",
    "ATG-PRM-05": "パラメーター名はスネークケース",
    "ATG-PRM-06": "標準的な意味には標準的な名前 (sort, since, until, fields, offset, page)",
    "ATG-PRM-07": "複数の値はカンマ区切りで渡す",
    "ATG-RSP-01": "文字コードは UTF-8",
    "ATG-RSP-02": "データは JSON で提供する",
    "ATG-RSP-03": "zip やバイナリで返さない (公文書などを除く)",
    "ATG-RSP-04": "地理情報は GeoJSON など分野の標準形式を使う",
    "ATG-RSP-05": "一覧は metadata.resultset (count, offset, limit) と results を持つ",
    "ATG-RSP-06": "失敗を 2xx で返さない",
    "ATG-ERR-01": "エラーは application/problem+json で返す",
    "ATG-ERR-02": "エラーの本文は title を必ず含む",
    "ATG-ERR-03": "よくある失敗 (400, 401, 403, 404, 429, 500, 503) を記載する",
    "ATG-DAT-01": "項目名はスネークケースの名詞",
    "ATG-DAT-02": "日付は YYYY-MM-DD、日時は +09:00 などの時差付き (和暦は使わない)",
    "ATG-DAT-03": "コードは標準に従う (言語、通貨、国、性別、都道府県、市区町村)",
    "DM-ZIP-01": "郵便番号はハイフンなしの 7 桁",
    "DM-TEL-01": "電話番号は半角数字とハイフン、市外局番は括弧で囲む",
    "DM-GEO-01": "緯度と経度は別の数値項目で、測地系 (既定は JGD2011) の項目を並べる",
    "DM-ADDR-01": "住所は都道府県から書き、番地は半角数字とハイフン。建物名は別項目",
    "ATG-SEC-01": "サーバーの URL は https",
    "ATG-SEC-02": "すべての操作に認証を設定する (オープンデータは例外あり)",
    "ATG-SEC-03": "API キーをクエリ文字列で受け取らない",
    "ATG-SEC-04": "個人情報や手続の API は OAuth 2.0 か OpenID Connect を使う",
    "REG-META-01": (
        "掲載に必要な情報 (名称、説明、URL、利用規約、ライセンス、問い合わせ先、認証) がある"
    ),
    "REG-META-02": "更新頻度、データ更新日、キーワード、資料の URL がある",
}
