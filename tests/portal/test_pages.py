"""The generated Markdown and files, from a real seeded registry (no MkDocs run here)."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

from portal.catalogue import Catalogue, load_catalogue
from portal.generate import API_CATALOG_FILE, write_sources
from portal.pages import api_page
from portal.wording import JST
from registry import urls
from registry.lint.table import RULES
from registry.problems import CATALOGUE
from registry.settings import load_settings
from registry.store import open_store
from tests.portal.conftest import seed_demo

pytestmark = pytest.mark.xdist_group("portal")
PUBLIC = "https://api.example.go.jp"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """A registry of its own: the serving tests add APIs to the shared one."""
    seeded = seed_demo(tmp_path_factory.mktemp("pages-registry"))
    store = open_store(load_settings(database_url=seeded.database_url))
    try:
        return load_catalogue(store, PUBLIC)
    finally:
        store.dispose()


@pytest.fixture(scope="module")
def docs(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs")
    write_sources(catalogue, root)
    return root


def read(docs: Path, name: str) -> str:
    return (docs / name).read_text(encoding="utf-8")


def test_catalogue_lists_every_version_by_provider_keyword_and_state(docs: Path) -> None:
    page = read(docs, "index.md")
    for provider in ("国税庁", "デジタル庁", "国土交通省"):
        assert f"### {provider}" in page
    assert "**避難所**" in page  # facilities' x-keywords
    assert "### 非推奨 (提供終了予定)" in page
    assert "apis/houjin/v1/index.md" in page and "apis/houjin/v2/index.md" in page
    assert "tsunagu-badge--deprecated" in page
    english = read(docs, "index.en.md")
    assert "### National Tax Agency" in english and "## By category" in english


def test_deprecated_page_has_the_banner_with_a_japanese_sunset_successor_and_note(
    docs: Path, catalogue: Catalogue
) -> None:
    entry = catalogue.find("houjin", "v1")
    assert entry is not None and entry.view.sunset is not None
    page = read(docs, "apis/houjin/v1/index.md")
    day = entry.view.sunset.astimezone(JST)
    assert f'!!! danger "このバージョンは {day.year}年{day.month}月{day.day}日(' in page
    assert "後継バージョン: [houjin v2](../v2/index.md)" in page
    assert "移行のご案内" in page
    assert "!!! danger" not in read(docs, "apis/houjin/v2/index.md")


def test_api_page_overview_limits_urls_operations_samples_and_conformance(docs: Path) -> None:
    page = read(docs, "apis/facilities/v1/index.md")
    assert "1 分あたり 60 回、1 日あたり 10,000 回" in page
    assert f"`{PUBLIC}/api/facilities/v1`" in page
    assert f"`{PUBLIC}/sandbox/facilities/v1`" in page
    assert "| 利用規約 | [https://www.example.go.jp/facilities/terms]" in page
    assert "### `GET` /facilities {#op-list_facilities}" in page
    assert "<code>prefecture_code</code><br>クエリ" in page and "#### レスポンス" in page
    assert '=== "curl"' in page and '=== "Python"' in page and '=== "JavaScript"' in page
    assert f"'{PUBLIC}/sandbox/facilities/v1/facilities?prefecture_code=13" in page
    assert "category=library%2Cgym" in page  # style form, explode false: comma-separated
    assert "適合度: **" in page and "## 変更履歴" in page and "| 公開 |" in page
    assert "[この API をサンドボックスで試す](try-it.md)" in page
    try_it = read(docs, "apis/facilities/v1/try-it.md")
    assert '<swagger-ui src="openapi-sandbox.json"/>' in try_it
    english = read(docs, "apis/facilities/v1/index.en.md")
    assert "60 calls per minute, 10,000 calls per day" in english


def test_errors_page_has_an_anchor_for_every_problem_code(docs: Path) -> None:
    for name in ("errors.md", "errors.en.md"):
        page = read(docs, name)
        for code in CATALOGUE:
            assert f"## {code} {{#{code}}}" in page, code
    assert urls.error_page_url(PUBLIC, "rate-limited") in read(docs, "errors.md")


def test_standards_page_lists_every_rule_with_an_anchor(docs: Path) -> None:
    page = read(docs, "standards.md")
    for rule in RULES:
        assert f'<span id="{rule.id.lower()}"></span>`{rule.id}`' in page


def test_guides_exist_in_both_languages_with_working_urls(docs: Path) -> None:
    for stem in ("getting-started", "tokens", "rate-limits", "deprecation", "faq", "terms"):
        assert read(docs, f"{stem}.md").startswith("# ")
        assert read(docs, f"{stem}.en.md").startswith("# ")
    started = read(docs, "getting-started.md")
    assert f"{PUBLIC}/oauth/token" in started
    assert f"{PUBLIC}/sandbox/facilities/v1/facilities/13101-library-0001" in started
    assert "$token_url" not in started and "$public_url" not in started


def test_openapi_documents_point_at_the_gateway(docs: Path) -> None:
    document = json.loads(read(docs, "apis/houjin/v2/openapi.json"))
    assert [s["url"] for s in document["servers"]] == [
        f"{PUBLIC}/api/houjin/v2",
        f"{PUBLIC}/sandbox/houjin/v2",
    ]
    flow = document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == f"{PUBLIC}/oauth/token"
    sandbox = json.loads(read(docs, "apis/houjin/v2/openapi-sandbox.json"))
    assert [s["url"] for s in sandbox["servers"]] == [f"{PUBLIC}/sandbox/houjin/v2"]
    # the try-it copy offers only what the sandbox takes: a sandbox app's OAuth token
    postal = json.loads(read(docs, "apis/postal/v1/openapi-sandbox.json"))
    schemes = postal["components"]["securitySchemes"]
    assert list(schemes) == ["sandbox_app"]
    assert (
        schemes["sandbox_app"]["flows"]["clientCredentials"]["tokenUrl"] == f"{PUBLIC}/oauth/token"
    )
    assert all("security" not in op for item in postal["paths"].values() for op in item.values())


def test_api_catalog_and_dcat_list_callable_versions(docs: Path) -> None:
    linkset = json.loads(read(docs, API_CATALOG_FILE))["linkset"]
    assert linkset[0]["anchor"] == f"{PUBLIC}/.well-known/api-catalog"
    items = {i["href"] for i in linkset[0]["item"]}
    assert f"{PUBLIC}/api/houjin/v1" in items and f"{PUBLIC}/api/postal/v1" in items
    houjin = next(e for e in linkset if e["anchor"] == f"{PUBLIC}/api/houjin/v2")
    assert houjin["service-desc"][0]["href"] == f"{PUBLIC}/portal/apis/houjin/v2/openapi.json"
    assert houjin["service-doc"][0]["href"] == f"{PUBLIC}/portal/apis/houjin/v2/"
    dcat = json.loads(read(docs, "catalog.jsonld"))
    assert dcat["@type"] == "dcat:Catalog"
    services = {s["dct:identifier"]: s for s in dcat["dcat:service"]}
    assert set(services) == {"facilities/v1", "houjin/v1", "houjin/v2", "postal/v1"}
    assert services["facilities/v1"]["dcat:keyword"][:3] == ["公共施設", "図書館", "避難所"]


def test_provider_text_cannot_inject_markup_or_script_links(catalogue: Catalogue) -> None:
    """A hostile or careless document: a backtick and HTML in a parameter name, HTML in the
    description, a `javascript:` terms URL. None of it may reach the page as markup."""
    entry = catalogue.find("facilities", "v1")
    assert entry is not None
    document = copy.deepcopy(dict(entry.view.document))
    operation = document["paths"]["/facilities"]["get"]
    operation["parameters"].append(
        {"name": "x`<img src=x onerror=alert(1)>`", "in": "query", "schema": {"type": "string"}}
    )
    operation["description"] = "<script>alert(2)</script> **not bold**"
    listing = {**entry.listing, "terms_of_service": "javascript:alert(3)"}
    view = entry.view.model_copy(update={"document": document, "listing": listing})
    page = api_page.render(replace(entry, view=view), catalogue, "ja")
    assert "<img" not in page and "<script>" not in page
    assert "](javascript:" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
