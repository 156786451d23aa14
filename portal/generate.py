"""Writes the portal's sources: Markdown pages in both languages and the machine-readable files.

Japanese pages are `name.md`, English ones `name.en.md` (mkdocs-static-i18n's suffix layout);
the English site lives under `/portal/en/`. Nothing here runs MkDocs (see `portal.build`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from portal.catalogue import ApiEntry, Catalogue
from portal.content.guides import GUIDES, render_guide
from portal.machine import api_catalog, dcat_catalogue
from portal.openapi_export import public_document
from portal.pages import account_page, api_page, catalogue_page, errors_page, standards_page
from portal.wording import LANGS, Lang
from registry import urls
from registry.models import VersionState

API_CATALOG_FILE = "api-catalog.linkset.json"
SHORT_STATES: dict[VersionState, dict[Lang, str]] = {
    VersionState.DRAFT: {"ja": "下書き", "en": "draft"},
    VersionState.PUBLISHED: {"ja": "公開中", "en": "published"},
    VersionState.DEPRECATED: {"ja": "非推奨", "en": "deprecated"},
    VersionState.RETIRED: {"ja": "提供終了", "en": "retired"},
}


def _name(stem: str, lang: Lang) -> str:
    return f"{stem}.md" if lang == "ja" else f"{stem}.{lang}.md"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_json(path: Path, data: Any) -> None:
    _write(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_sources(catalogue: Catalogue, docs: Path) -> None:
    """Every page and file of the site, under `docs`."""
    public = catalogue.public_url
    errors_url = urls.error_page_url(public, "x").removesuffix("#x")
    for lang in LANGS:
        _write(docs / _name("index", lang), catalogue_page.render(catalogue, lang))
        _write(docs / _name("errors", lang), errors_page.render(errors_url, lang))
        _write(docs / _name("standards", lang), standards_page.render(lang))
        _write(docs / "account" / _name("index", lang), account_page.render(lang))
        for guide in GUIDES:
            _write(docs / _name(guide.stem, lang), render_guide(guide, catalogue, lang))
        for entry in catalogue.entries:
            folder = docs / "apis" / entry.slug / entry.version
            _write(folder / _name("index", lang), api_page.render(entry, catalogue, lang))
            if entry.view.state is not VersionState.RETIRED:
                _write(folder / _name("try-it", lang), api_page.render_try_it(entry, lang))
    for entry in catalogue.entries:
        folder = docs / "apis" / entry.slug / entry.version
        _write_json(folder / urls.OPENAPI_FILE, public_document(entry, public))
        _write_json(
            folder / urls.SANDBOX_OPENAPI_FILE, public_document(entry, public, sandbox_only=True)
        )
    _write_json(docs / urls.DCAT_FILE, dcat_catalogue(catalogue))
    _write_json(docs / API_CATALOG_FILE, api_catalog(catalogue))


def try_it_pages(catalogue: Catalogue) -> list[str]:
    """The pages with a Swagger UI (the only ones its plugin needs to rewrite)."""
    return [
        f"apis/{e.slug}/{e.version}/{_name('try-it', lang)}"
        for e in catalogue.entries
        if e.view.state is not VersionState.RETIRED
        for lang in LANGS
    ]


def nav(catalogue: Catalogue) -> list[Any]:
    """The navigation, in Japanese (English titles come from `nav_translations`)."""
    apis: list[Any] = []
    for slug in dict.fromkeys(e.slug for e in catalogue.entries):
        versions = catalogue.versions_of(slug)
        title = versions[-1].title
        apis.append(
            {
                title: [
                    {version_label(e, "ja"): f"apis/{slug}/{e.version}/index.md"} for e in versions
                ]
            }
        )
    return [
        {"API カタログ": "index.md"},
        {"はじめに": "getting-started.md"},
        {"API": apis} if apis else {"API": "index.md"},
        {
            "ガイド": [
                {guide.title_ja: f"{guide.stem}.md"}
                for guide in GUIDES
                if guide.stem != "getting-started"
            ]
            + [{"エラー一覧": "errors.md"}, {"API 設計標準": "standards.md"}]
        },
        {account_page.TITLE["ja"]: "account/index.md"},
    ]


def version_label(entry: ApiEntry, lang: Lang) -> str:
    """`v1 (非推奨)` in the navigation (and in the header while reading the page)."""
    return f"{entry.version} ({SHORT_STATES[entry.view.state][lang]})"


def nav_translations(catalogue: Catalogue) -> dict[str, str]:
    names = {"API カタログ": "API catalogue", "ガイド": "Guides", "エラー一覧": "Errors"}
    names["API 設計標準"] = "API standards"
    names[account_page.TITLE["ja"]] = account_page.TITLE["en"]
    names.update({g.title_ja: g.title_en for g in GUIDES})
    names.update({version_label(e, "ja"): version_label(e, "en") for e in catalogue.entries})
    return names
