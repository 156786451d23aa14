"""The portal in a real browser: Debian's Chromium driven by Playwright for Python.

One server and one built site for the whole package (tests/portal/conftest.py), one browser per
module. Screenshots go to test-artefacts/portal/ (git-ignored) for people to look at.
Skipped when Chromium or Playwright is absent, unless TSUNAGU_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.portal.conftest import PortalServer
from tests.services import unavailable

pytestmark = [pytest.mark.xdist_group("portal"), pytest.mark.browser]

CHROMIUM = Path(os.environ.get("TSUNAGU_CHROMIUM", "/usr/bin/chromium"))
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "portal"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        unavailable("Chromium", f"{CHROMIUM} is missing; apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        unavailable("Playwright", str(exc))
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any, portal_server: PortalServer) -> Iterator[Any]:
    """A Japanese-locale page that records every request to another origin."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.foreign_requests = []

    def watch(request: Any) -> None:
        if not request.url.startswith((portal_server.base_url, "data:", "blob:", "about:")):
            page.foreign_requests.append(request.url)

    page.on("request", watch)
    try:
        yield page
        assert page.foreign_requests == [], "the browser was sent to another origin"
    finally:
        context.close()


def shot(page: Any, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=full_page)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in SERIOUS]


def test_catalogue_lists_the_demo_apis(page: Any, portal_server: PortalServer) -> None:
    page.goto(portal_server.base_url + "/portal/")
    assert page.locator("h1").inner_text().startswith("行政 API カタログ")
    for provider in ("国税庁", "デジタル庁", "国土交通省"):
        assert page.locator("h3", has_text=provider).count() == 1
    assert page.locator(".tsunagu-badge--deprecated").count() >= 1
    shot(page, "catalogue", full_page=True)


def test_japanese_search_finds_the_api(page: Any, portal_server: PortalServer) -> None:
    page.goto(portal_server.base_url + "/portal/")
    query = page.locator("input.md-search__input")
    query.click()
    query.fill("避難所")
    hits = page.locator(".md-search-result__item a")
    hits.first.wait_for(timeout=20_000)
    targets = [hits.nth(i).get_attribute("href") or "" for i in range(hits.count())]
    assert any("apis/facilities/v1/" in href for href in targets), targets
    shot(page, "search-hinanjo")


def test_api_page_shows_overview_operations_and_samples(
    page: Any, portal_server: PortalServer
) -> None:
    page.goto(portal_server.base_url + "/portal/apis/facilities/v1/")
    assert "公共施設API" in page.locator("h1").inner_text()
    overview = page.locator("table").first.inner_text()
    assert "1 分あたり 60 回" in overview and "/sandbox/facilities/v1" in overview
    assert page.locator("#op-list_facilities").count() == 1
    assert page.locator(".tabbed-labels label", has_text="Python").count() >= 1
    shot(page, "api-page")


def test_deprecated_version_shows_the_banner(page: Any, portal_server: PortalServer) -> None:
    page.goto(portal_server.base_url + "/portal/apis/houjin/v1/")
    banner = page.locator(".admonition.danger")
    assert banner.is_visible()
    text = banner.inner_text()
    assert "年" in text and "月" in text and "日" in text and "に提供を終了します" in text
    assert banner.locator("a", has_text="houjin v2").count() == 1
    shot(page, "deprecated-banner")


def test_a_problem_type_uri_lands_on_its_anchor(page: Any, portal_server: PortalServer) -> None:
    response = page.request.get(portal_server.base_url + "/api/no-such-api/v1/thing")
    assert response.status == 404
    problem_type = json.loads(response.text())["type"]
    page.goto(problem_type)
    target = page.locator("#not-found")
    assert target.count() == 1
    assert target.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top < innerHeight }"
    )
    shot(page, "errors-anchor")


def _authorize(frame: Any, app: dict[str, str]) -> None:
    frame.locator("button.authorize").first.click()
    frame.locator("#client_id_clientCredentials").fill(app["client_id"])
    frame.locator("#client_secret_clientCredentials").fill(app["client_secret"])
    # the dialog follows the page's scrolling (the plugin re-centres it), so its buttons are
    # pressed from the keyboard, as a keyboard user would, instead of clicked at coordinates
    frame.locator(".modal-ux button.authorize").press("Enter")
    frame.locator(".modal-ux button", has_text="Logout").wait_for(timeout=20_000)
    frame.locator(".modal-ux button.btn-done").press("Enter")


def test_try_it_calls_the_sandbox_with_the_sandbox_app(
    page: Any, portal_server: PortalServer
) -> None:
    page.goto(portal_server.base_url + "/portal/apis/houjin/v2/")
    page.locator("a.md-button", has_text="サンドボックスで試す").click()
    page.wait_for_url("**/apis/houjin/v2/try-it/")
    frame = page.frame_locator("iframe.swagger-ui-iframe")
    _authorize(frame, portal_server.credentials["sandbox_app"])
    operation = frame.locator(".opblock-summary", has_text="/corporations/{corporate_number}")
    operation.click()
    frame.locator("button.try-out__btn").click()
    frame.locator("button.execute").click()
    status = frame.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=20_000)
    assert status.inner_text().strip() == "200"
    url = frame.locator(".request-url pre").inner_text()
    assert url.startswith(portal_server.base_url + "/sandbox/houjin/v2/corporations/")
    assert "7000012050002" in frame.locator(".live-responses-table .microlight").first.inner_text()
    page.locator("iframe.swagger-ui-iframe").scroll_into_view_if_needed()
    shot(page, "try-it-200")


@pytest.mark.parametrize(
    "path",
    [
        "/portal/",
        "/portal/apis/facilities/v1/",
        "/portal/getting-started/",
        "/portal/apis/facilities/v1/try-it/",
    ],
)
def test_no_serious_accessibility_violations(
    page: Any, portal_server: PortalServer, path: str
) -> None:
    page.goto(portal_server.base_url + path)
    violations = axe_violations(page)
    summary = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]
    assert violations == [], summary


def test_keyboard_alone_reaches_try_it(page: Any, portal_server: PortalServer) -> None:
    page.goto(portal_server.base_url + "/portal/apis/postal/v1/")
    for _ in range(400):  # bounded: Tab through the page to the try-it button
        page.keyboard.press("Tab")
        if "サンドボックスで試す" in page.evaluate("document.activeElement.textContent || ''"):
            break
    else:
        pytest.fail("Tab never reached the try-it button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/apis/postal/v1/try-it/")
    frame = page.locator("iframe.swagger-ui-iframe")
    frame.wait_for()
    reached = False
    for _ in range(400):  # bounded: the page's links, then the frame
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.tagName") == "IFRAME":
            reached = True
            break
    assert reached, "Tab never reached the try-it frame"
    inner = page.frame_locator("iframe.swagger-ui-iframe")
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = inner.locator(":focus")
        if focused.count() and "authorize" in (focused.get_attribute("class") or ""):
            break
    else:
        pytest.fail("Tab never reached the Authorize button inside try-it")
    page.keyboard.press("Enter")
    inner.locator(".modal-ux").wait_for(timeout=10_000)
    shot(page, "keyboard-authorize")
