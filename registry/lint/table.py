"""The rule table: every conformance rule as one row. Adding a rule is adding a row.

Sources: TG = APIテクニカルガイドブック (1020, 2019), IG = API導入実践ガイドブック (1019),
DM = 行政基本情報データ連携モデル (1015-x). Grades: ◎ required → error, ○ recommended →
warning, △ as needed → info. Each row carries its Japanese and English text and a passing
and a failing YAML excerpt: `registry.lint.catalogue` renders them as `docs/rules.md`.
"""

from __future__ import annotations

from registry.lint import (
    rules_data,
    rules_doc,
    rules_examples,
    rules_meta,
    rules_params,
    rules_responses,
    rules_security,
    rules_uri,
    structure,
)
from registry.lint.model import Check, Rule
from registry.models import Severity

ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _rule(
    rule_id: str,
    severity: Severity,
    source: str,
    check: Check,
    *,
    en: str,
    ja: str,
    ok: str,
    ng: str,
) -> Rule:
    return Rule(rule_id, severity, source, en, check, ja, ok.strip("\n"), ng.strip("\n"))


RULES: tuple[Rule, ...] = (
    _rule(
        "ATG-DOC-01",
        ERR,
        "TG §4.2 (OAS), registry policy",
        structure.valid_openapi,
        en="The document is valid OpenAPI 3.0.x or 3.1.x, with local `$ref`s only "
        "(Swagger 2.0 must be converted first).",
        ja="文書が OpenAPI 3.0.x または 3.1.x として正しく、$ref は文書内だけを参照している"
        "こと (Swagger 2.0 は変換してから登録)。",
        ok="openapi: 3.0.3\ninfo: {title: 図書館API, version: 1.0.0}\npaths: {}",
        ng="swagger: '2.0'\ninfo: {title: 図書館API, version: 1.0.0}\npaths: {}",
    ),
    _rule(
        "ATG-DOC-02",
        ERR,
        "TG §4.3 表4-2 ◎",
        rules_doc.info_description,
        en="`info.description` says what data and functions the API offers.",
        ja="info.description に、APIが提供するデータと機能を書くこと。",
        ok="info:\n  description: 市内の図書館の所在地と開館時間を提供します。",
        ng="info:\n  title: 図書館API",
    ),
    _rule(
        "ATG-DOC-03",
        WARN,
        "TG §4.3 表4-2 ◎ (per operation ○)",
        rules_doc.operation_summary,
        en="Every operation has a `summary` or a `description`.",
        ja="すべての操作に summary か description があること。",
        ok="get:\n  summary: 図書館の一覧",
        ng="get:\n  responses: {...}",
    ),
    _rule(
        "ATG-DOC-04",
        WARN,
        "TG §4.3 表4-2, §4.4 ○",
        rules_doc.success_examples,
        en="Every 2xx response body has an `example` or `examples` (the sandbox answers with "
        "them).",
        ja="2xx 応答の本文に example または examples があること (サンドボックスが返します)。",
        ok="content:\n  application/json:\n    schema: {$ref: '#/components/schemas/library'}\n"
        "    example: {library_id: l1, name: 中央図書館}",
        ng="content:\n  application/json:\n    schema: {$ref: '#/components/schemas/library'}",
    ),
    _rule(
        "ATG-DOC-05",
        ERR,
        "TG §4.3 表4-2 ◎",
        rules_doc.terms_of_service,
        en="`info.termsOfService` links the terms of use (licence, credit, prohibitions, "
        "disclaimer).",
        ja="info.termsOfService に利用規約 (ライセンス、クレジット表記、禁止事項、免責) のURLを"
        "書くこと。",
        ok="info:\n  termsOfService: https://www.example.go.jp/terms",
        ng="info:\n  title: 図書館API",
    ),
    _rule(
        "ATG-DOC-06",
        ERR,
        "TG §4.3 表4-2 ◎, IG §4.2.2",
        rules_doc.license_present,
        en="`info.license` names the licence of the data.",
        ja="info.license にデータのライセンスを書くこと。",
        ok="info:\n  license: {name: CC BY 4.0}",
        ng="info:\n  title: 図書館API",
    ),
    _rule(
        "ATG-DOC-07",
        WARN,
        "TG §4.3 表4-2 ○",
        rules_doc.contact_present,
        en="`info.contact` gives an email address or a URL.",
        ja="info.contact にメールアドレスかURLを書くこと。",
        ok="info:\n  contact: {email: api@example.go.jp}",
        ng="info:\n  contact: {name: 情報政策課}",
    ),
    _rule(
        "ATG-DOC-08",
        INFO,
        "TG §4.3 表4-2 △",
        rules_doc.property_descriptions,
        en="Every schema property has a `description`.",
        ja="スキーマのすべてのプロパティに description があること。",
        ok="properties:\n  name: {type: string, description: 名称}",
        ng="properties:\n  name: {type: string}",
    ),
    _rule(
        "ATG-DOC-09",
        WARN,
        "TG §4.3 表4-2, §4.4 ○",
        rules_examples.examples_fit,
        en="Every `example`/`examples` value validates against its schema (the sandbox and the "
        "portal serve them as written).",
        ja="example/examples の値がそのスキーマに合っていること (サンドボックスとポータルが"
        "そのまま使います)。",
        ok="schema: {type: integer}\nexample: 20",
        ng="schema: {type: integer}\nexample: 二十",
    ),
    _rule(
        "ATG-DOC-10",
        ERR,
        "TG §4.2 (OAS), registry policy",
        rules_examples.enum_types,
        en="`enum` values have the schema's declared `type`.",
        ja="enum の値が宣言した type に合っていること。",
        ok="type: integer\nenum: [1, 2, 3]",
        ng="type: integer\nenum: ['1', '2', '3']",
    ),
    _rule(
        "ATG-DOC-11",
        WARN,
        "TG §4.3 ○, portal (code samples, try-it)",
        rules_doc.operation_ids,
        en="Every operation has an `operationId` (code samples and try-it need it).",
        ja="すべての操作に operationId があること (コード例と試用画面が使います)。",
        ok="get:\n  operationId: list_libraries",
        ng="get:\n  summary: 図書館の一覧",
    ),
    _rule(
        "ATG-DOC-12",
        INFO,
        "TG §4.3 △",
        rules_doc.declared_tags,
        en="Every tag used by an operation is declared in the root `tags`.",
        ja="操作が使うタグがルートの tags に宣言されていること。",
        ok="tags: [{name: 図書館, description: 図書館の情報}]\n"
        "paths: {/libraries: {get: {tags: [図書館]}}}",
        ng="paths: {/libraries: {get: {tags: [図書館]}}}",
    ),
    _rule(
        "ATG-DOC-13",
        INFO,
        "TG §4.3 △",
        rules_doc.unused_components,
        en="Every component is used (referenced, or for a security scheme, required).",
        ja="components の定義がすべて使われていること (参照されているか、セキュリティ要件で"
        "使われている)。",
        ok="components:\n  schemas:\n    library: {...}   # $ref: '#/components/schemas/library'",
        ng="components:\n  schemas:\n    old_library: {...}   # どこからも参照されない",
    ),
    _rule(
        "ATG-URI-01",
        WARN,
        "TG §2.1.1 ○",
        rules_uri.noun_segments,
        en="Static path segments are nouns, not verbs (get, create, search, list, …).",
        ja="パスの固定セグメントは名詞にし、動詞 (get, create, search, list など) を使わないこと。",
        ok="/libraries",
        ng="/get_libraries",
    ),
    _rule(
        "ATG-URI-02",
        INFO,
        "TG §2.1.1 △",
        rules_uri.plural_collections,
        en="A collection segment (followed by `{id}`, or answering a list) is plural; the "
        "linter stays silent when unsure (acronyms, function words, romanised Japanese).",
        ja="コレクションを表すセグメント ({id} が続くもの、一覧を返すもの) は複数形にすること"
        "(略語、前置詞、ローマ字の語など判断できないものは指摘しません)。",
        ok="/libraries/{library_id}",
        ng="/library/{library_id}",
    ),
    _rule(
        "ATG-URI-03",
        ERR,
        "TG §2.1.1 ◎",
        rules_uri.version_in_base,
        en="The base path (server URL path with its variables resolved, plus the segments "
        "every path starts with) has the major version as a `v<integer>` segment; `v1.1`, "
        "`v1_0` and dates are findings.",
        ja="ベースパス (変数を展開した servers[].url のパスと、すべてのパスに共通する先頭部分) "
        "に v<整数> のセグメントでメジャーバージョンを入れること。v1.1、v1_0、日付は不可。",
        ok="servers:\n  - url: https://api.example.go.jp/{version}\n"
        "    variables: {version: {default: v1}}",
        ng="servers:\n  - url: https://api.example.go.jp/libraries/v1.1",
    ),
    _rule(
        "ATG-URI-04",
        WARN,
        "TG §2.1.1, §2.1.4 ○",
        rules_uri.snake_case_segments,
        en="Path segments are lowercase snake_case.",
        ja="パスのセグメントは小文字のスネークケースにすること。",
        ok="/city_libraries",
        ng="/cityLibraries",
    ),
    _rule(
        "ATG-URI-05",
        ERR,
        "TG §2.1.4 ◎",
        rules_uri.ascii_paths,
        en="No percent-encoding and no non-ASCII characters in literal path segments.",
        ja="パスの固定部分にパーセントエンコードや非ASCII文字を使わないこと。",
        ok="/libraries",
        ng="/図書館",
    ),
    _rule(
        "ATG-URI-06",
        WARN,
        "TG §2.1.1, §5.1 ○",
        rules_uri.no_sort_in_path,
        en="Sort orders and filters are query parameters, not path segments.",
        ja="並び順や絞り込みはパスではなくクエリパラメータにすること。",
        ok="/libraries?sort=-opened_date",
        ng="/libraries/2011/desc",
    ),
    _rule(
        "ATG-URI-07",
        ERR,
        "TG §2.1.1 (RFC 6570) ◎",
        rules_uri.path_parameters_declared,
        en="Every `{name}` in a path is declared as a path parameter, and the reverse.",
        ja="パスの {name} がすべて path パラメータとして宣言され、その逆も成り立つこと。",
        ok="/libraries/{library_id}:\n  get:\n    parameters:\n"
        "      - {name: library_id, in: path, required: true, schema: {type: string}}",
        ng="/libraries/{library_id}:\n  get:\n    parameters: []",
    ),
    _rule(
        "ATG-URI-08",
        WARN,
        "TG §2.1.1, §2.1.3 ×",
        rules_uri.format_not_by_query,
        en="The response format is chosen by extension or `Accept`, not by a `format`/`type` "
        "query parameter.",
        ja="応答形式は拡張子か Accept ヘッダーで選ばせ、format や type のクエリパラメータで"
        "選ばせないこと。",
        ok="/libraries.json",
        ng="/libraries?format=json",
    ),
    _rule(
        "ATG-URI-09",
        WARN,
        "TG §2.1.1 ○",
        rules_uri.no_trailing_slash,
        en="No path and no server URL ends in a slash.",
        ja="パスとサーバーURLの末尾にスラッシュを付けないこと。",
        ok="/libraries",
        ng="/libraries/",
    ),
    _rule(
        "ATG-URI-10",
        ERR,
        "OAS 3 §4.8.8, TG §2.1.1 ◎",
        rules_uri.no_equivalent_paths,
        en="No two paths are equivalent up to parameter names (`/a/{x}` and `/a/{y}`).",
        ja="パラメータ名だけが違う同じ形のパス (/a/{x} と /a/{y}) を作らないこと。",
        ok="/libraries/{library_id}",
        ng="/libraries/{library_id}\n/libraries/{id}",
    ),
    _rule(
        "ATG-MTH-01",
        WARN,
        "TG §2.1.2 ○",
        rules_uri.method_semantics,
        en="GET and DELETE carry no request body; create is POST on a collection; PUT, PATCH "
        "and DELETE act on an item or a singleton resource (`/account/profile`), never on a "
        "collection.",
        ja="GET と DELETE は本文を持たないこと。作成はコレクションへの POST、PUT・PATCH・DELETE "
        "は個別リソースか単一のリソース (/account/profile) に対して使い、コレクションには使わない"
        "こと。",
        ok="delete: /libraries/{library_id}",
        ng="delete: /libraries",
    ),
    _rule(
        "ATG-PRM-01",
        ERR,
        "TG §2.1.3 表2-1 ◎",
        rules_params.limit_name,
        en="The page-size parameter is named `limit` (`per_page` is an error).",
        ja="取得件数のパラメータ名は limit にすること (per_page は不可)。",
        ok="/libraries?limit=20",
        ng="/libraries?per_page=20",
    ),
    _rule(
        "ATG-PRM-02",
        WARN,
        "TG §2.1.3 ○",
        rules_params.pagination,
        en="A collection GET declares `limit` and `offset` or `page`; other page-size names "
        "(`page_size`, `pageSize`, `size`, `count`, `max`, `itemsPerPage`, `maxResults`, "
        "`rows`) are findings.",
        ja="一覧を返す GET は limit と offset (または page) を宣言すること。page_size、"
        "pageSize、size、count、max、itemsPerPage、maxResults、rows は limit に改名すること。",
        ok="/libraries?limit=20&offset=40",
        ng="/libraries?pageSize=20",
    ),
    _rule(
        "ATG-PRM-03",
        WARN,
        "TG §2.1.3 ○",
        rules_params.limit_default,
        en="`limit` has a default of 100 or less.",
        ja="limit の既定値 (default) を100以下にすること。",
        ok="name: limit\nschema: {type: integer, default: 20, maximum: 100}",
        ng="name: limit\nschema: {type: integer, default: 500}",
    ),
    _rule(
        "ATG-PRM-04",
        WARN,
        "TG §2.1.3 表2-1 ○",
        rules_params.fields_parameter,
        en="An item schema with 10 or more properties is matched by a `fields` query parameter.",
        ja="項目が10個以上ある応答には、返す項目を選ぶ fields パラメータを用意すること。",
        ok="/libraries/{library_id}?fields=name,address",
        ng="/libraries/{library_id}   # 12 項目、fields なし",
    ),
    _rule(
        "ATG-PRM-05",
        WARN,
        "TG §2.1.3, §5.1 ○",
        rules_params.parameter_snake_case,
        en="Parameter names are snake_case (names another rule asks to rename aside).",
        ja="パラメータ名はスネークケースにすること (ほかの規則が改名を求める名前は除く)。",
        ok="/libraries?city_code=131016",
        ng="/libraries?cityCode=131016",
    ),
    _rule(
        "ATG-PRM-06",
        INFO,
        "TG §2.1.3 表2-1 ○/△",
        rules_params.standard_names,
        en="Standard names for standard meanings: `sort`, `since`, `until`, `fields`, "
        "`offset`, `page`.",
        ja="標準の意味には標準の名前 (sort, since, until, fields, offset, page) を使うこと。",
        ok="/libraries?sort=name",
        ng="/libraries?order_by=name",
    ),
    _rule(
        "ATG-PRM-07",
        INFO,
        "TG §2.1.3 △",
        rules_params.comma_separated,
        en="Multi-valued query parameters are comma-separated (`style: form`, `explode: false`).",
        ja="複数の値をとるクエリパラメータはカンマ区切り (style: form, explode: false) に"
        "すること。",
        ok="name: kinds\nstyle: form\nexplode: false\nschema: {type: array, items: {type: string}}",
        ng="name: kinds\nschema: {type: array, items: {type: string}}",
    ),
    _rule(
        "ATG-RSP-01",
        ERR,
        "TG §2.1.4, §2.2.1 ◎",
        rules_responses.utf8_charset,
        en="A declared charset is UTF-8.",
        ja="文字コードを宣言するなら UTF-8 にすること。",
        ok="application/json; charset=utf-8",
        ng="application/json; charset=Shift_JIS",
    ),
    _rule(
        "ATG-RSP-02",
        WARN,
        "TG §2.2.1 ○",
        rules_responses.json_offered,
        en="Data responses offer `application/json`.",
        ja="データを返す応答は application/json を提供すること。",
        ok="content:\n  application/json: {...}\n  text/csv: {...}",
        ng="content:\n  text/csv: {...}",
    ),
    _rule(
        "ATG-RSP-03",
        ERR,
        "TG §2.2.1 ◎",
        rules_responses.no_binary,
        en="No zip/octet-stream payloads, except operations marked `x-official-document: true`.",
        ja="zip や octet-stream でデータを返さないこと (申請書・公文書は "
        "x-official-document: true)。",
        ok="content:\n  application/json: {...}",
        ng="content:\n  application/zip: {...}",
    ),
    _rule(
        "ATG-RSP-04",
        WARN,
        "TG §2.2.1 表2-3 ○/×",
        rules_responses.domain_formats,
        en="Geodata as GeoJSON, events as iCalendar, contacts as vCard; KML is a finding, as "
        "a media type or as a value of a format parameter.",
        ja="地理データは GeoJSON、予定は iCalendar、連絡先は vCard にすること。KML は"
        "メディアタイプでも形式パラメータの値でも不可。",
        ok="content:\n  application/geo+json: {...}",
        ng="content:\n  application/vnd.google-earth.kml+xml: {...}",
    ),
    _rule(
        "ATG-RSP-05",
        ERR,
        "TG 表2-4 ◎",
        rules_responses.collection_envelope,
        en="A JSON collection response has `metadata.resultset` (integer `count`, `offset`, "
        "`limit`) and a `results` array.",
        ja="JSON の一覧応答は metadata.resultset (整数の count, offset, limit) と results 配列を"
        "持つこと。",
        ok="{metadata: {resultset: {count: 1, offset: 0, limit: 20}}, results: [...]}",
        ng="[{library_id: l1}, {library_id: l2}]",
    ),
    _rule(
        "ATG-RSP-06",
        ERR,
        "TG 表2-4 ◎ (status)",
        rules_responses.no_errors_in_2xx,
        en="Failures are not answered with 2xx: they are declared under 4xx/5xx.",
        ja="失敗を 2xx で返さず、4xx/5xx として宣言すること。",
        ok="'404': {description: 見つかりません}",
        ng="'200': {description: 成功またはエラー}",
    ),
    _rule(
        "ATG-RSP-07",
        ERR,
        "TG 表2-4 ◎ (status)",
        rules_responses.success_declared,
        en="Every operation declares a success response (2xx, or 3xx for redirects); "
        "`default` alone is not one.",
        ja="すべての操作が成功時の応答 (2xx、リダイレクトなら 3xx) を宣言すること。default "
        "だけでは成功応答になりません。",
        ok="responses:\n  '200': {description: 図書館の一覧}\n  default: {description: 失敗}",
        ng="responses:\n  default: {description: 図書館の一覧}",
    ),
    _rule(
        "ATG-ERR-01",
        WARN,
        "TG §2.2.2 ○",
        rules_responses.problem_json,
        en="4xx/5xx responses (and `default` beside a success response) use "
        "`application/problem+json` (RFC 9457).",
        ja="4xx/5xx の応答 (成功応答があるときの default も) は application/problem+json "
        "(RFC 9457) で返すこと。",
        ok="'404':\n  content:\n    application/problem+json: {...}",
        ng="'404':\n  content:\n    application/json: {...}",
    ),
    _rule(
        "ATG-ERR-02",
        ERR,
        "TG 表2-5 ◎ title, ○ detail",
        rules_responses.problem_schema,
        en="A problem schema requires `title`; `detail` is recommended (a warning when absent).",
        ja="問題詳細のスキーマは title を必須にすること。detail も推奨 (ないと警告)。",
        ok="required: [title]\nproperties: {title: {...}, detail: {...}}",
        ng="properties: {message: {type: string}}",
    ),
    _rule(
        "ATG-ERR-03",
        INFO,
        "TG 表2-6 △",
        rules_responses.usual_failures,
        en="Operations document the usual failures (400, 401, 404, 500) where they apply.",
        ja="操作ごとに、該当する一般的な失敗 (400, 401, 404, 500) を記載すること。",
        ok="responses: {'200': ..., '400': ..., '401': ..., '500': ...}",
        ng="responses: {'200': ...}",
    ),
    _rule(
        "ATG-DAT-01",
        WARN,
        "TG §2.3(1) ○",
        rules_data.property_names,
        en="Property names are snake_case nouns.",
        ja="項目名はスネークケースの名詞にすること。",
        ok="city_name",
        ng="cityName",
    ),
    _rule(
        "ATG-DAT-02",
        WARN,
        "TG 表2-7 ○, DM 1015-1",
        rules_data.dates,
        en="Dates are `format: date` (YYYY-MM-DD); date-times `format: date-time` with an "
        "explicit offset; no era (和暦) formats.",
        ja="日付は format: date (YYYY-MM-DD)、日時は時差を明示した format: date-time に"
        "すること。和暦は不可。",
        ok="opened_date: {type: string, format: date, example: '2024-04-01'}",
        ng="opened_date: {type: string, example: 令和6年4月1日}",
    ),
    _rule(
        "ATG-DAT-03",
        INFO,
        "TG §2.3(4) △",
        rules_data.codes,
        en="Codes follow their standards (ISO 639-1, 4217, 3166-1, 5218, JIS X 0401/0402), "
        "judged from examples, `enum`, `default` and patterns that list values.",
        ja="コードは標準に従うこと (ISO 639-1, 4217, 3166-1, 5218, JIS X 0401/0402)。例、enum、"
        "default、値を列挙したパターンで判断します。",
        ok="sex: {type: string, enum: ['0', '1', '2', '9']}",
        ng="sex: {type: string, pattern: '^(M|F)$'}",
    ),
    _rule(
        "DM-ZIP-01",
        WARN,
        "DM 1015-3 ○",
        rules_data.postal_codes,
        en="Postal codes are 7 digits without a hyphen (`^\\d{7}$`).",
        ja="郵便番号はハイフンなし7桁 (^\\d{7}$) の文字列にすること。",
        ok="postal_code: {type: string, pattern: '^\\d{7}$', example: '1000013'}",
        ng="postal_code: {type: string, example: 100-0013}",
    ),
    _rule(
        "DM-TEL-01",
        INFO,
        "DM 1015-5 △",
        rules_data.phones,
        en="Phone numbers use ASCII digits and hyphens with the area code in parentheses; no "
        "labels inside the value.",
        ja="電話番号は半角数字とハイフンで、市外局番を括弧で囲むこと。値にラベルを含めないこと。",
        ok="tel: {type: string, example: (03)5253-5111}",
        ng="tel: {type: string, example: 03-5253-5111(代表)}",
    ),
    _rule(
        "DM-GEO-01",
        WARN,
        "DM 1015-4 ○",
        rules_data.geo,
        en="Latitude and longitude are separate numeric items with a datum item beside them; "
        "a position string (`35.68,139.76`) is a finding, a URL or free-text `location` is "
        "not.",
        ja="緯度と経度は別々の数値項目にし、測地系の項目を並べること。座標を1つの文字列にした"
        "もの (35.68,139.76) は不可 (URLや自由記述の location は対象外)。",
        ok="latitude: {type: number}\nlongitude: {type: number}\ndatum: {type: string}",
        ng="location: {type: string, example: '35.6812,139.7671'}",
    ),
    _rule(
        "DM-ADDR-01",
        INFO,
        "DM 1015-2 △",
        rules_data.addresses,
        en="An address starts with the prefecture, with ASCII block numbers; the building "
        "name is a separate item.",
        ja="住所は都道府県から書き、丁目・番地は半角数字とハイフン、建物名は別項目にすること。",
        ok="address: {type: string, example: 東京都千代田区霞が関2-1-6}\nbuilding_name: {...}",
        ng="address: {type: string, example: 千代田区霞が関２丁目１番６号}",
    ),
    _rule(
        "ATG-SEC-01",
        ERR,
        "TG 2024 表2-10 ◎",
        rules_security.https_servers,
        en="Every server URL (variables resolved) is an absolute `https://` URL.",
        ja="servers[].url (変数を展開したもの) はすべて https:// の絶対URLにすること。",
        ok="servers: [{url: 'https://api.example.go.jp/libraries/v1'}]",
        ng="servers: [{url: /v1}]",
    ),
    _rule(
        "ATG-SEC-02",
        WARN,
        "TG §4.3 表4-2 ○",
        rules_security.security_applied,
        en="The security schemes are applied to every operation (open data exempt).",
        ja="認証方式をすべての操作に適用すること (オープンデータは除く)。",
        ok="security: [{oauth2: [libraries]}]",
        ng="paths: {/libraries: {get: {security: []}}}",
    ),
    _rule(
        "ATG-SEC-03",
        ERR,
        "RULES.md gateway behaviour ◎",
        rules_security.gateway_authentication,
        en="The declared authentication is what the gateway enforces: oauth2 with client "
        "credentials (or an http bearer token); an `apiKey` only in the `X-API-Key` header and "
        "only on open-data APIs; never a key in the query string.",
        ja="宣言する認証方式はゲートウェイが実際に検証するものにすること: oauth2 の "
        "clientCredentials (または http bearer)。apiKey はオープンデータのAPIで X-API-Key "
        "ヘッダーに限る。クエリ文字列のキーは不可。",
        ok="oauth2:\n  type: oauth2\n  flows:\n    clientCredentials:\n"
        "      tokenUrl: https://api.example.go.jp/oauth/token\n      scopes: {libraries: 参照}",
        ng="api_key: {type: apiKey, in: query, name: key}",
    ),
    _rule(
        "ATG-SEC-04",
        WARN,
        "TG §2.2.1 (手続API) ○",
        rules_security.strong_auth_for_personal_data,
        en="APIs handling personal data or procedures (`x-personal-data: true`, "
        "`x-procedure-api: true`) declare oauth2 (or openIdConnect).",
        ja="個人情報や手続を扱うAPI (x-personal-data: true, x-procedure-api: true) は oauth2 "
        "(または openIdConnect) を宣言すること。",
        ok="x-personal-data: true\ncomponents: {securitySchemes: {oauth2: {type: oauth2, ...}}}",
        ng="x-personal-data: true\ncomponents: {securitySchemes: {key: {type: apiKey, ...}}}",
    ),
    _rule(
        "ATG-SEC-05",
        INFO,
        "TG §2.2.1 (手続API) △",
        rules_security.personal_data_hint,
        en="Properties that look personal (birth date, My Number, a person's address or "
        "e-mail) come with an explicit `x-personal-data` (true or false).",
        ja="個人情報らしい項目 (生年月日、マイナンバー、個人の住所やメールアドレスなど) が"
        "あるなら、x-personal-data (true か false) を明示すること。",
        ok="x-personal-data: true\ncomponents:\n  schemas:\n    resident:\n      properties:\n"
        "        birth_date: {type: string, format: date}",
        ng="components:   # x-personal-data なし\n  schemas:\n    resident:\n      properties:\n"
        "        birth_date: {type: string, format: date}",
    ),
    _rule(
        "REG-META-01",
        ERR,
        "TG §4.3 表4-2 API概要 ◎",
        rules_meta.listing_required,
        en="The listing fields no other rule checks are present: title, servers, contact, and "
        "authentication unless `x-open-data: true` (publish is refused without them).",
        ja="ほかの規則が検査しない掲載項目 (タイトル、servers、問い合わせ先、オープンデータで"
        "なければ認証方式) があること (ないと公開できません)。",
        ok="info: {title: 図書館API, contact: {email: api@example.go.jp}}\n"
        "servers: [{url: 'https://api.example.go.jp/libraries/v1'}]",
        ng="info: {title: 図書館API}\nservers: []",
    ),
    _rule(
        "REG-META-02",
        WARN,
        "TG §4.3 表4-2, IG §4.2.1 ○",
        rules_meta.catalogue_metadata,
        en="`x-update-frequency`, `x-data-updated`, keywords (`x-keywords` or `tags`) and "
        "`externalDocs` are present.",
        ja="x-update-frequency、x-data-updated、キーワード (x-keywords または tags)、"
        "externalDocs があること。",
        ok="x-update-frequency: monthly\nx-data-updated: '2024-04-01'\nx-keywords: [図書館]\n"
        "externalDocs: {url: 'https://www.example.go.jp/docs'}",
        ng="x-data-updated: R6.4.1",
    ),
    _rule(
        "REG-META-03",
        ERR,
        "Tsunagu (monitoring after launch)",
        rules_meta.service_objectives,
        en="`x-slo`, when present, is `{availability: <percent from 50 to below 100>, "
        "latency_p95_ms: <integer ms>}`.",
        ja="x-slo を書く場合は {availability: 50 以上 100 未満のパーセント, latency_p95_ms: "
        "ミリ秒の整数} の形にすること。",
        ok="x-slo: {availability: 99.5, latency_p95_ms: 500}",
        ng="x-slo: {availability: 100, latency_p95_ms: fast}",
    ),
)
