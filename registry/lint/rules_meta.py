"""Checks for the registry listing (REG-META-01, REG-META-02; TG §4.3 表4-2 API概要 ◎)."""

from __future__ import annotations

from collections.abc import Iterator

from registry.lint.context import LintContext, as_dict
from registry.lint.listing import missing_catalogue_fields, missing_listing_fields
from registry.lint.model import Hit
from registry.slo import slo_problems

_LISTING = {
    "title": ("/info/title", "タイトル (info.title)", "the title (info.title)"),
    "description": ("/info/description", "説明 (info.description)", "the description"),
    "servers": ("/servers", "エンドポイント (servers)", "the endpoint (servers)"),
    "terms_of_service": ("/info/termsOfService", "利用規約", "the terms of use"),
    "license": ("/info/license", "ライセンス", "the licence"),
    "contact": ("/info/contact", "問い合わせ先", "the contact"),
    "auth_methods": (
        "/components/securitySchemes",
        "認証方式 (oauth2 の clientCredentials。オープンデータなら x-open-data: true)",
        "the authentication method (oauth2 with clientCredentials, or x-open-data: true for "
        "open data)",
    ),
}
_CATALOGUE = {
    "update_frequency": (
        "/x-update-frequency",
        "更新頻度 x-update-frequency (daily, weekly, monthly, irregular, realtime)",
        "x-update-frequency (daily, weekly, monthly, irregular, realtime)",
    ),
    "data_updated": (
        "/x-data-updated",
        "データ更新日 x-data-updated (YYYY-MM-DD)",
        "x-data-updated (YYYY-MM-DD)",
    ),
    "keywords": (
        "/x-keywords",
        "キーワード (x-keywords または tags)",
        "keywords (x-keywords or tags)",
    ),
    "external_docs": (
        "/externalDocs",
        "開発者向け資料 (externalDocs)",
        "developer documentation (externalDocs)",
    ),
}


# Rules whose error means a listing field is missing (REG-META-01 and the rules it leaves the
# description, terms and licence to): publishing needs the field itself, so no operator
# waiver clears them (`registry.lifecycle.publish_blockers`).
LISTING_RULES = frozenset({"REG-META-01", "ATG-DOC-02", "ATG-DOC-05", "ATG-DOC-06"})

# Listing fields another rule already reports when missing: one defect, one finding.
# (description: ATG-DOC-02, terms: ATG-DOC-05, licence: ATG-DOC-06; an absent title is an
# ATG-DOC-01 structural error, a blank one is reported here.)
_REPORTED_ELSEWHERE = frozenset({"description", "terms_of_service", "license"})


def listing_required(ctx: LintContext) -> Iterator[Hit]:
    """REG-META-01: the API概要 fields no other rule checks are present (title, servers,
    contact, authentication); publish is refused without them."""
    info = as_dict(ctx.doc.get("info"))
    for name in missing_listing_fields(ctx.doc):
        if name in _REPORTED_ELSEWHERE or (name == "title" and "title" not in info):
            continue
        pointer, ja, en = _LISTING[name]
        yield Hit(
            pointer,
            f"掲載に必要な{ja}がありません。追加してください。",
            f"The listing needs {en}: add it.",
        )


def catalogue_metadata(ctx: LintContext) -> Iterator[Hit]:
    """REG-META-02: update frequency, data date, keywords and external docs are present."""
    for name in missing_catalogue_fields(ctx.doc):
        pointer, ja, en = _CATALOGUE[name]
        yield Hit(
            pointer,
            f"カタログ情報の{ja}がないか、形式が違います。",
            f"Catalogue metadata {en} is missing or malformed.",
        )


def service_objectives(ctx: LintContext) -> Iterator[Hit]:
    """REG-META-03: a declared `x-slo` is well formed (alerts and reports read it)."""
    for problem in slo_problems(ctx.doc):
        yield Hit(problem.pointer, problem.ja, problem.en)
