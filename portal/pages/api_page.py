"""One page per API version: overview table, auth, limits, try-it, operations, conformance,
history, and for a deprecated version the banner (the target of `Link: rel="deprecation"`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from portal.catalogue import ApiEntry, Catalogue
from portal.markdown import cell, code, escape, fenced, link, paragraph
from portal.openapi_export import oauth_scopes
from portal.operations import Operation, Response, operations
from portal.pages.schema_text import schema_block, type_of
from portal.samples import SAMPLES, TOKEN_VARIABLE
from portal.wording import (
    Lang,
    frequency_label,
    japan_date,
    japan_datetime,
    pick,
    plan_in_words,
    state_label,
)
from registry import urls
from registry.models import VersionState

ACTIONS: dict[str, tuple[str, str]] = {
    "api.register": ("登録 (下書き)", "Registered (draft)"),
    "api.publish": ("公開", "Published"),
    "api.deprecate": ("非推奨化", "Deprecated"),
    "api.retire": ("提供終了", "Retired"),
    "api.waive": ("適合性ルールの免除", "Conformance rule waived"),
    "api.plan": ("利用上限の変更", "Rate limits changed"),
    "api.sunset": ("提供終了日の変更", "Sunset changed"),
    "api.reminder": ("提供終了の事前通知", "Sunset reminder"),
}


def render(entry: ApiEntry, catalogue: Catalogue, lang: Lang) -> str:
    view = entry.view
    title = f"{entry.title} {entry.version}"
    parts = [
        _front_matter(entry, lang),
        f"# {escape(title)}",
        _banner(entry, lang),
        paragraph(str(entry.listing.get("description") or "")),
        _versions_line(entry, catalogue, lang),
        pick(lang, "## 概要", "## Overview"),
        _overview(entry, catalogue.public_url, lang),
        pick(lang, "## 認証とスコープ", "## Authentication and scopes"),
        _auth(entry, catalogue.public_url, lang),
        pick(lang, "## 利用回数の上限", "## Rate limits"),
        _limits(entry, lang),
    ]
    ops = operations(view.document)
    if view.state is not VersionState.RETIRED:
        parts += [pick(lang, "## 試してみる", "## Try it"), _try_it(entry, lang)]
    parts.append(pick(lang, "## 操作の一覧", "## Operations"))
    parts.append(_operation_index(ops, lang))
    base = urls.sandbox_base_url(catalogue.public_url, entry.slug, entry.version)
    callable_ = view.state is not VersionState.RETIRED
    parts += [_operation(view.document, op, base, lang, try_it=callable_) for op in ops]
    parts += [
        pick(lang, "## 適合性", "## Conformance"),
        _conformance(entry, lang),
        pick(lang, "## 変更履歴", "## Change history"),
        _history(entry, lang),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _front_matter(entry: ApiEntry, lang: Lang) -> str:
    description = str(entry.listing.get("description") or "").strip().splitlines()
    summary = description[0] if description else entry.title
    return "---\n" + f"description: {json.dumps(summary, ensure_ascii=False)}\n" + "---"


def _banner(entry: ApiEntry, lang: Lang) -> str:
    view = entry.view
    if view.state is VersionState.RETIRED:
        heading = pick(lang, "このバージョンは提供を終了しました", "This version has been retired")
        body = pick(
            lang,
            "呼び出すと 410 Gone が返ります。",
            "Calls are answered with 410 Gone.",
        )
    elif view.state is VersionState.DEPRECATED and view.sunset is not None:
        day = japan_date(view.sunset, lang)
        heading = pick(
            lang, f"このバージョンは {day} に提供を終了します", f"This version is retired on {day}"
        )
        body = pick(
            lang,
            f"提供終了日時: {japan_datetime(view.sunset, lang)}。それ以降の呼び出しには 410 Gone"
            " が返ります。",
            f"Sunset: {japan_datetime(view.sunset, lang)}. After it, calls get 410 Gone.",
        )
    else:
        return ""
    lines = [body]
    if view.successor:
        target = link(f"{entry.slug} {view.successor}", f"../{view.successor}/index.md")
        lines.append(pick(lang, f"後継バージョン: {target}", f"Successor: {target}"))
    if view.note:
        lines.append(pick(lang, "移行のご案内: ", "Migration note: ") + paragraph(view.note))
    content = "\n\n".join("    " + line for line in lines)
    return f'!!! danger "{heading}"\n\n{content}'


def _versions_line(entry: ApiEntry, catalogue: Catalogue, lang: Lang) -> str:
    others = [e for e in catalogue.versions_of(entry.slug) if e.version != entry.version]
    if not others:
        return ""
    items = ", ".join(
        link(f"{e.version} ({state_label(e.view.state, lang)})", f"../{e.version}/index.md")
        for e in others
    )
    return pick(lang, f"ほかのバージョン: {items}", f"Other versions: {items}")


def _row(label: str, value: str) -> str:
    return f"| {label} | {value} |"


def _overview(entry: ApiEntry, public_url: str, lang: Lang) -> str:
    listing, view = entry.listing, entry.view
    provider = pick(lang, entry.provider.name_ja, entry.provider.name_en)
    contact = listing.get("contact") or {}
    contact_text = " ".join(
        str(contact.get(k)) for k in ("name", "email", "url") if contact.get(k)
    ) or str(entry.provider.contact)
    license_info = listing.get("license") or {}
    license_text = cell(str(license_info.get("name") or "-"))
    if license_info.get("url"):
        license_text = link(
            str(license_info.get("name") or license_info["url"]), license_info["url"]
        )
    production, sandbox = plan_in_words(view.plan, lang)
    docs = listing.get("external_docs") or {}
    terms = str(listing.get("terms_of_service") or "")
    rows = [
        pick(lang, "| 項目 | 内容 |", "| Item | Details |"),
        "|---|---|",
        _row(pick(lang, "提供者", "Provider"), cell(provider)),
        _row(pick(lang, "状態", "Status"), state_label(view.state, lang)),
        _row(pick(lang, "提供方式", "Style"), "REST (HTTPS)"),
        _row(
            pick(lang, "本番の URL", "Production base URL"),
            f"`{urls.api_base_url(public_url, entry.slug, entry.version)}`",
        ),
        _row(
            pick(lang, "サンドボックスの URL", "Sandbox base URL"),
            f"`{urls.sandbox_base_url(public_url, entry.slug, entry.version)}`",
        ),
        _row(
            pick(lang, "API 仕様書 (OpenAPI)", "API description (OpenAPI)"),
            link(urls.OPENAPI_FILE, urls.OPENAPI_FILE),
        ),
        _row(pick(lang, "データ形式", "Formats"), _formats(entry)),
        _row("TLS", pick(lang, "本番では HTTPS のみ", "HTTPS only in production")),
        _row(
            pick(lang, "利用申請", "Application"),
            pick(
                lang,
                "必要 (アプリを登録し、クライアント ID とシークレットを受け取ります)",
                "Required (register an app to receive a client id and secret)",
            )
            if not view.open_data
            else pick(lang, "オープンデータ (API キーでも利用可)", "Open data (API keys accepted)"),
        ),
        _row(pick(lang, "認証方式", "Authentication"), cell(", ".join(_auth_methods(entry)))),
        _row(pick(lang, "利用回数の上限", "Rate limits"), production),
        _row(pick(lang, "利用規約", "Terms of use"), link(terms, terms) if terms else "-"),
        _row(pick(lang, "ライセンス", "Licence"), license_text),
        _row(pick(lang, "問い合わせ先", "Contact"), cell(contact_text)),
        _row(
            pick(lang, "開発者向け資料", "Developer documents"),
            link(str(docs.get("description") or docs["url"]), str(docs["url"]))
            if docs.get("url")
            else "-",
        ),
        _row(
            pick(lang, "データ更新日", "Data last updated"),
            cell(str(listing.get("data_updated") or "-")),
        ),
        _row(
            pick(lang, "更新頻度", "Update frequency"),
            cell(frequency_label(str(listing.get("update_frequency") or "-"), lang)),
        ),
        _row(pick(lang, "キーワード", "Keywords"), cell("、".join(entry.keywords) or "-")),
        _row(pick(lang, "サンドボックスの上限", "Sandbox limit"), sandbox),
    ]
    if view.published_at:
        rows.append(_row(pick(lang, "公開日", "Published"), japan_date(view.published_at, lang)))
    return "\n".join(rows)


def _formats(entry: ApiEntry) -> str:
    media: set[str] = set()
    for op in operations(entry.view.document):
        media.update(r.media_type for r in op.responses if r.media_type)
        if op.request_media_type:
            media.add(op.request_media_type)
    return ", ".join(code(m) for m in sorted(media)) or code("application/json")


def _auth_methods(entry: ApiEntry) -> list[str]:
    methods = ["OAuth 2.0 (client credentials)"]
    if entry.view.open_data:
        methods.append("API key (X-API-Key header)")
    return methods


def _auth(entry: ApiEntry, public_url: str, lang: Lang) -> str:
    token = urls.token_url(public_url)
    scopes = oauth_scopes(entry) or {entry.slug: ""}
    lines = [
        pick(
            lang,
            f"アクセストークンは `{token}` から OAuth 2.0 のクライアントクレデンシャル方式で"
            " 取得し、`Authorization: Bearer <トークン>` ヘッダーで送ります。"
            " 手順は [はじめに](../../../getting-started.md) と"
            " [アクセストークン](../../../tokens.md) をご覧ください。",
            f"Get an access token from `{token}` with the OAuth 2.0 client-credentials grant and"
            " send it as `Authorization: Bearer <token>`. See [Getting started]"
            "(../../../getting-started.md) and [Access tokens](../../../tokens.md).",
        ),
        "",
        pick(lang, "| スコープ | 意味 |", "| Scope | Meaning |"),
        "|---|---|",
    ]
    lines += [f"| {code(name)} | {cell(text) or '-'} |" for name, text in sorted(scopes.items())]
    if entry.view.write_scope:
        lines.append(
            pick(
                lang,
                f"| `{entry.slug}:write` | 更新系の操作 (GET 以外) |",
                f"| `{entry.slug}:write` | Changing operations (other than GET) |",
            )
        )
    if entry.view.open_data:
        lines += [
            "",
            pick(
                lang,
                "オープンデータの API なので、本番では API キーも使えます。キーは必ず `X-API-Key`"
                " ヘッダーで送ってください (URL に含めると 400 になります)。サンドボックスでは"
                " サンドボックス用アプリのトークンを使います。",
                "This is an open-data API, so production also accepts API keys. Send the key in"
                " the `X-API-Key` header only (in the URL it is refused with 400). The sandbox"
                " takes a sandbox app's token.",
            ),
        ]
    return "\n".join(lines)


def _limits(entry: ApiEntry, lang: Lang) -> str:
    production, sandbox = plan_in_words(entry.view.plan, lang)
    return pick(
        lang,
        f"本番: **{production}** (アプリごと)。サンドボックス: **{sandbox}**。"
        " 上限を超えると 429 が返り、`Retry-After` ヘッダーに待つ秒数が入ります。"
        " 詳しくは [利用回数の上限](../../../rate-limits.md) をご覧ください。",
        f"Production: **{production}** (per app). Sandbox: **{sandbox}**."
        " Over the limit you get 429 with the seconds to wait in `Retry-After`."
        " See [Rate limits](../../../rate-limits.md).",
    )


TRY_IT_PAGE = "try-it.md"


def _try_it(entry: ApiEntry, lang: Lang) -> str:
    intro = pick(
        lang,
        "サンドボックス用アプリの資格情報があれば、ブラウザからサンドボックスにリクエストを送り、"
        " 実際の応答を確かめられます。",
        "With a sandbox app's credentials you can send requests to the sandbox from your browser"
        " and see the real answers.",
    )
    label = pick(lang, "この API をサンドボックスで試す", "Try this API in the sandbox")
    return f"{intro}\n\n[{label}]({TRY_IT_PAGE}){{ .md-button .md-button--primary }}"


def render_try_it(entry: ApiEntry, lang: Lang) -> str:
    """The try-it page of a version: Swagger UI on the sandbox copy of its document. A page of
    its own keeps the (large) API page out of the Swagger UI plugin's HTML rewriting."""
    title = pick(
        lang, f"{entry.title} {entry.version} を試す", f"Try {entry.title} {entry.version}"
    )
    steps = pick(
        lang,
        "1. **Authorize** を押し、サンドボックス用アプリの `client_id` と `client_secret` を"
        "入力して **Authorize**、**Close** を押します。\n"
        "2. 操作を開いて **Try it out** を押します。パラメーターには例が入っています。\n"
        "3. **Execute** を押すと、サンドボックスの応答が表示されます。",
        "1. Press **Authorize**, enter your sandbox app's `client_id` and `client_secret`, press"
        " **Authorize**, then **Close**.\n"
        "2. Open an operation and press **Try it out**; the parameters hold examples.\n"
        "3. Press **Execute** to see the sandbox's answer.",
    )
    note = pick(
        lang,
        "サンドボックスは本番のシステムにはつながらず、API 仕様書の例をもとに応答します。"
        " 資格情報の入手方法は [はじめに](../../../getting-started.md) をご覧ください。"
        " [API の説明に戻る](index.md)",
        "The sandbox never reaches the real systems; it answers from the examples in the API"
        " description. [Getting started](../../../getting-started.md) explains how to get"
        " credentials. [Back to the API](index.md)",
    )
    tag = f'<swagger-ui src="{urls.SANDBOX_OPENAPI_FILE}"/>'
    frame = f'<div class="tsunagu-try-it" markdown>\n{tag}\n</div>'
    front = "---\nhide:\n  - toc\n---"  # Swagger UI gets the width of the table of contents
    return f"{front}\n\n# {escape(title)}\n\n{steps}\n\n{note}\n\n{frame}\n"


def _operation_index(ops: list[Operation], lang: Lang) -> str:
    rows = [
        pick(lang, "| メソッド | パス | 内容 |", "| Method | Path | What it does |"),
        "|---|---|---|",
    ]
    for op in ops:
        rows.append(f"| `{op.method}` | [{cell(op.path)}](#{op.anchor}) | {cell(op.summary)} |")
    return "\n".join(rows)


def _operation(
    doc: Mapping[str, Any], op: Operation, base: str, lang: Lang, *, try_it: bool
) -> str:
    heading = f"### `{op.method}` {escape(op.path)} {{#{op.anchor}}}"
    parts = [heading]
    if op.summary:
        parts.append(f"**{escape(op.summary)}**")
    if op.description:
        parts.append(paragraph(op.description))
    if op.deprecated:
        parts.append(
            pick(
                lang,
                '!!! warning "この操作は非推奨です"',
                '!!! warning "This operation is deprecated"',
            )
        )
    if op.parameters:
        parts += [pick(lang, "#### パラメーター", "#### Parameters"), _parameters(doc, op, lang)]
    if op.request_schema is not None:
        parts += [
            pick(lang, "#### リクエスト本文", "#### Request body"),
            code(str(op.request_media_type)),
            schema_block(doc, op.request_schema, lang),
        ]
    parts += [pick(lang, "#### レスポンス", "#### Responses")]
    parts += [_response(doc, r, lang) for r in op.responses]
    parts += [pick(lang, "#### コード例", "#### Code samples"), _samples(op, base, lang)]
    if try_it:
        parts.append(
            link(pick(lang, "この操作をサンドボックスで試す", "Try it in the sandbox"), TRY_IT_PAGE)
        )
    return "\n\n".join(parts)


def _parameters(doc: Mapping[str, Any], op: Operation, lang: Lang) -> str:
    rows = [
        pick(lang, "| 名前 | 型 | 説明 | 例 |", "| Name | Type | Description | Example |"),
        "|---|---|---|---|",
    ]
    where = {"query": "クエリ", "path": "パス", "header": "ヘッダー", "cookie": "Cookie"}
    for p in op.parameters:
        example = code(json.dumps(p.example, ensure_ascii=False)) if p.has_example else ""
        place = where.get(p.location, p.location) if lang == "ja" else p.location
        required = pick(lang, "・**必須**", ", **required**") if p.required else ""
        rows.append(
            f"| {code(p.name)}<br>{place}{required} | {cell(type_of(doc, p.schema))} |"
            f" {cell(p.description)} | {example} |"
        )
    return "\n".join(rows)


def _response(doc: Mapping[str, Any], response: Response, lang: Lang) -> str:
    parts = [f"**{escape(response.status)}** — {escape(response.description)}"]
    if response.media_type:
        parts.append(code(response.media_type))
    if response.schema is not None:
        parts.append(schema_block(doc, response.schema, lang))
    for example in response.examples:
        label = pick(lang, "例", "Example") + f": {example.summary or example.name}"
        body = json.dumps(example.value, ensure_ascii=False, indent=2)
        parts.append(f'??? example "{escape(label)}"\n\n' + fenced(body, "json", "    "))
    return "\n\n".join(parts)


def _samples(op: Operation, base: str, lang: Lang) -> str:
    note = pick(
        lang,
        f"サンドボックスのアクセストークンを環境変数 `{TOKEN_VARIABLE}` に入れてから実行します。",
        f"Put a sandbox access token in the `{TOKEN_VARIABLE}` environment variable first.",
    )
    tabs = []
    for label, language, make in SAMPLES:
        tabs.append(f'=== "{label}"\n\n' + fenced(make(base, op), language, "    "))
    return note + "\n\n" + "\n\n".join(tabs)


def _conformance(entry: ApiEntry, lang: Lang) -> str:
    lint = entry.view.lint
    lines = [
        pick(
            lang,
            f"[API 設計標準](../../../standards.md) への適合度: **{lint.score} / 100**"
            f" (エラー {lint.errors} 件、警告 {lint.warnings} 件)",
            f"Score against the [API standards](../../../standards.md): **{lint.score} / 100**"
            f" ({lint.errors} errors, {lint.warnings} warnings)",
        )
    ]
    if entry.view.waivers:
        lines += [
            "",
            pick(lang, "運用者が免除したルール:", "Rules waived by the operator:"),
            "",
            pick(lang, "| ルール | 理由 | 承認者 | 日付 |", "| Rule | Reason | By | Date |"),
            "|---|---|---|---|",
        ]
        for w in entry.view.waivers:
            lines.append(
                f"| [{w.rule}](../../../standards.md#{w.rule.lower()}) | {cell(w.reason)} |"
                f" {cell(w.granted_by)} | {japan_date(w.granted_at, lang)} |"
            )
    active = entry.view.lint.active()
    if active:
        lines += [
            "",
            pick(
                lang, f'??? info "指摘 ({len(active)} 件)"', f'??? info "Findings ({len(active)})"'
            ),
            "",
            "    "
            + pick(lang, "| ルール | 重要度 | 場所 | 内容 |", "| Rule | Severity | Where | What |"),
            "    |---|---|---|---|",
        ]
        for f in active:
            message = pick(lang, f.message_ja, f.message_en)
            lines.append(
                f"    | {f.rule} | {f.severity.value} | {code(f.path or '/')} | {cell(message)} |"
            )
    return "\n".join(lines)


def _history(entry: ApiEntry, lang: Lang) -> str:
    feed = urls.api_feed_path(entry.slug)
    subscribe = pick(
        lang,
        f"この API の変更は [Atom フィード]({feed}) で購読できます。",
        f"Follow this API's changes with its [Atom feed]({feed}).",
    )
    if not entry.history:
        return pick(lang, "記録はありません。", "Nothing recorded.") + "\n\n" + subscribe
    return _history_table(entry, lang) + "\n\n" + subscribe


def _history_table(entry: ApiEntry, lang: Lang) -> str:
    rows = [pick(lang, "| 日時 | 変更 | 内容 |", "| When | Change | Details |"), "|---|---|---|"]
    for change in entry.history:
        ja, en = ACTIONS.get(change.action, (change.action, change.action))
        detail = _detail(change.detail, lang)
        rows.append(
            f"| {japan_datetime(change.at, lang)} | {pick(lang, ja, en)} | {cell(detail)} |"
        )
    return "\n".join(rows)


def _detail(detail: Mapping[str, Any], lang: Lang) -> str:
    shown = []
    if detail.get("sunset"):
        shown.append(pick(lang, f"提供終了日 {detail['sunset']}", f"sunset {detail['sunset']}"))
    if detail.get("successor"):
        shown.append(pick(lang, f"後継 {detail['successor']}", f"successor {detail['successor']}"))
    if detail.get("note"):
        shown.append(str(detail["note"]))
    if detail.get("rule"):
        shown.append(f"{detail['rule']}: {detail.get('reason', '')}")
    if "score" in detail:
        shown.append(pick(lang, f"適合度 {detail['score']}", f"score {detail['score']}"))
    return "、".join(shown) if lang == "ja" else "; ".join(shown)
