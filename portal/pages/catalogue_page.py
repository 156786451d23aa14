"""The portal's home page: the API catalogue by provider, by category (`x-keywords`) and by
state, with deprecated and retired versions marked."""

from __future__ import annotations

from collections import defaultdict

from portal.catalogue import ApiEntry, Catalogue
from portal.markdown import cell, escape, link
from portal.wording import Lang, japan_date, pick, state_label
from registry import urls
from registry.models import VersionState

STATE_CLASS = {
    VersionState.PUBLISHED: "published",
    VersionState.DEPRECATED: "deprecated",
    VersionState.RETIRED: "retired",
}


def page_link(entry: ApiEntry) -> str:
    return f"apis/{entry.slug}/{entry.version}/index.md"


def badge(entry: ApiEntry, lang: Lang) -> str:
    label = state_label(entry.view.state, lang)
    if entry.view.state is VersionState.DEPRECATED and entry.view.sunset is not None:
        day = japan_date(entry.view.sunset, lang)
        label += pick(lang, f" — {day} 終了", f" — ends {day}")
    css = STATE_CLASS.get(entry.view.state, "published")
    return f'<span class="tsunagu-badge tsunagu-badge--{css}">{escape(label)}</span>'


def _summary(entry: ApiEntry) -> str:
    text = str(entry.listing.get("description") or "").strip().splitlines()
    return text[0] if text else ""


def render(catalogue: Catalogue, lang: Lang) -> str:
    parts = [
        "---\nhide:\n  - navigation\n---",
        pick(lang, "# 行政 API カタログ", "# Government API catalogue"),
        pick(
            lang,
            "各府省庁が提供する API を探して、仕様を読み、サンドボックスですぐに試せます。"
            " 初めての方は [はじめに](getting-started.md) から、アクセストークンの取得と最初の"
            " 呼び出しまでを 5 分で体験できます。",
            "Find the APIs the ministries provide, read how they work and try them in the"
            " sandbox right away. New here? [Getting started](getting-started.md) takes you from"
            " credentials to a first call in five minutes.",
        ),
        _cards(lang),
        pick(lang, "## 提供者別", "## By provider"),
        _by_provider(catalogue, lang),
        pick(lang, "## 分類別", "## By category"),
        _by_keyword(catalogue, lang),
        pick(lang, "## 状態別", "## By status"),
        _by_state(catalogue, lang),
        pick(lang, "## 機械可読なカタログ", "## Machine-readable catalogue"),
        pick(
            lang,
            "API カタログは [RFC 9727 の api-catalog](/.well-known/api-catalog) (linkset+json) と"
            " [DCAT (JSON-LD)](catalog.jsonld) でも提供しています。各 API の OpenAPI 仕様書は"
            " API のページからダウンロードできます。公開・非推奨化・提供終了などの変更は"
            f" [Atom フィード]({urls.changes_feed_path()}) で購読できます。",
            "The catalogue is also published as an [RFC 9727 api-catalog]"
            "(/.well-known/api-catalog) (linkset+json) and as [DCAT (JSON-LD)](catalog.jsonld)."
            " Each API's OpenAPI description can be downloaded from its page. Follow"
            f" publications, deprecations and retirements with the [Atom feed]"
            f"({urls.changes_feed_path()}).",
        ),
    ]
    return "\n\n".join(parts) + "\n"


def _cards(lang: Lang) -> str:
    items = [
        (
            "getting-started.md",
            "はじめに",
            "Getting started",
            "最初の呼び出しまで",
            "To a first call",
        ),
        (
            "account/index.md",
            "開発者登録・アプリ",
            "Sign up and apps",
            "認証情報をその場で発行",
            "Get credentials at once",
        ),
        (
            "tokens.md",
            "アクセストークン",
            "Access tokens",
            "認証のしくみ",
            "How authentication works",
        ),
        ("errors.md", "エラー一覧", "Errors", "エラーコードと対処", "Codes and what to do"),
        ("rate-limits.md", "利用回数の上限", "Rate limits", "429 と待ち時間", "429 and waiting"),
    ]
    lines = ['<div class="grid cards" markdown>', ""]
    for href, ja, en, note_ja, note_en in items:
        lines.append(
            f"-   **[{pick(lang, ja, en)}]({href})**  \n    {pick(lang, note_ja, note_en)}"
        )
        lines.append("")
    lines.append("</div>")
    return "\n".join(lines)


def _table(entries: list[ApiEntry], lang: Lang) -> str:
    rows = [
        pick(lang, "| API | バージョン | 状態 | 概要 |", "| API | Version | Status | Summary |"),
        "|---|---|---|---|",
    ]
    for e in entries:
        rows.append(
            f"| {link(e.title, page_link(e))} | {e.version} | {badge(e, lang)} |"
            f" {cell(_summary(e))} |"
        )
    return "\n".join(rows)


def _by_provider(catalogue: Catalogue, lang: Lang) -> str:
    parts = []
    for provider in catalogue.providers:
        entries = [e for e in catalogue.entries if e.provider.id == provider.id]
        if entries:
            name = pick(lang, provider.name_ja, provider.name_en)
            parts += [f"### {escape(name)}", _table(entries, lang)]
    return "\n\n".join(parts) or pick(lang, "公開中の API はまだありません。", "No API yet.")


def _by_keyword(catalogue: Catalogue, lang: Lang) -> str:
    groups: dict[str, list[ApiEntry]] = defaultdict(list)
    for entry in catalogue.entries:
        for word in entry.keywords:
            groups[word].append(entry)
    lines = []
    for word in sorted(groups):
        links = "、".join(link(f"{e.title} {e.version}", page_link(e)) for e in groups[word])
        lines.append(f"- **{escape(word)}**: {links}")
    return "\n".join(lines) or "-"


def _by_state(catalogue: Catalogue, lang: Lang) -> str:
    parts = []
    for state in (VersionState.PUBLISHED, VersionState.DEPRECATED, VersionState.RETIRED):
        entries = [e for e in catalogue.entries if e.view.state is state]
        if entries:
            parts += [f"### {state_label(state, lang)}", _table(entries, lang)]
    return "\n\n".join(parts) or "-"
