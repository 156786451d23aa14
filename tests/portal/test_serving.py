"""The portal as a real `tsunagu serve` builds and serves it: pages, headers, errors, the
machine-readable catalogue, and a rebuild after a registry change made with the CLI."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from registry.demo_apis import DEMO_DOCUMENTS
from registry.problems import CATALOGUE
from tests.e2e.harness import cli
from tests.portal.conftest import PortalServer, metric

pytestmark = pytest.mark.xdist_group("portal")


def test_pages_are_served_with_caching_and_security_headers(portal_server: PortalServer) -> None:
    status, headers, body = portal_server.get("/portal/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert headers["cache-control"] == "no-cache"
    assert headers["etag"]
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    html = body.decode()
    assert "行政 API カタログ" in html and 'lang="ja"' in html
    bundle = re.search(r'src="(assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"', html)
    assert bundle is not None
    status, headers, _ = portal_server.get("/portal/" + bundle.group(1))
    assert status == 200 and "immutable" in headers["cache-control"]
    status, _, body = portal_server.get("/portal/en/apis/houjin/v1/")
    assert status == 200 and "This version is retired on" in body.decode()


def test_no_page_loads_anything_from_another_origin(portal_server: PortalServer) -> None:
    for path in ("/portal/", "/portal/apis/facilities/v1/", "/portal/getting-started/"):
        _, _, body = portal_server.get(path)
        html = body.decode()
        found = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        foreign = [u for u in found if not u.startswith(portal_server.base_url)]
        # links a visitor may follow are fine; nothing the browser loads by itself
        loaded = [u for u in foreign if re.search(r"\.(js|css|woff2?|png|svg)(\?|$)", u)]
        assert loaded == [], loaded
        assert "fonts.googleapis" not in html and "googletagmanager" not in html


def test_a_missing_page_is_problem_json_or_the_html_404_page(portal_server: PortalServer) -> None:
    status, headers, body = portal_server.get("/portal/no/such/page/")
    assert status == 404
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["type"].endswith("/portal/errors/#page-not-found") and problem["request_id"]
    status, headers, body = portal_server.get("/portal/nope/", {"Accept": "text/html"})
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert "ページが見つかりません" in body.decode()
    status, headers, body = portal_server.get("/portal/nope", {"Accept-Language": "en"})
    assert json.loads(body)["detail"] == "There is no page /portal/nope."


@pytest.mark.parametrize(
    "path",
    [
        "/portal/../../../../etc/passwd",
        "/portal/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/portal/..%2f..%2f..%2fetc%2fpasswd",
        "/portal/%252e%252e/etc/passwd",
    ],
)
def test_paths_cannot_leave_the_site(portal_server: PortalServer, path: str) -> None:
    status, _, body = portal_server.get(path)
    assert status in (404, 400)
    assert b"root:" not in body


def test_problem_type_uris_resolve_to_anchors_on_the_errors_page(
    portal_server: PortalServer,
) -> None:
    status, _, body = portal_server.get("/api/no-such-api/v1/x")
    problem = json.loads(body)
    assert status == 404
    path = problem["type"].removeprefix(portal_server.base_url)
    page, _, anchor = path.partition("#")
    status, _, html = portal_server.get(page)
    assert status == 200
    for code in CATALOGUE:
        assert f'id="{code}"' in html.decode(), code
    assert anchor == "not-found"


def test_api_catalog_is_an_rfc9727_linkset(portal_server: PortalServer) -> None:
    status, headers, body = portal_server.get("/.well-known/api-catalog")
    assert status == 200
    assert headers["content-type"].startswith("application/linkset+json")
    assert 'rel="api-catalog"' in headers["link"]
    linkset = json.loads(body)["linkset"]
    doc_link = next(e for e in linkset if e["anchor"].endswith("/api/houjin/v2"))
    href = doc_link["service-desc"][0]["href"].removeprefix(portal_server.base_url)
    status, _, document = portal_server.get(href)
    assert status == 200
    servers = [s["url"] for s in json.loads(document)["servers"]]
    assert servers == [
        f"{portal_server.base_url}/api/houjin/v2",
        f"{portal_server.base_url}/sandbox/houjin/v2",
    ]
    status, _, dcat = portal_server.get("/portal/catalog.jsonld")
    assert status == 200 and json.loads(dcat)["@type"] == "dcat:Catalog"


def test_the_deprecation_link_header_points_at_the_page_with_the_banner(
    portal_server: PortalServer,
) -> None:
    credentials = portal_server.credentials["developer_app"]
    token = token_for(portal_server, credentials["client_id"], credentials["client_secret"])
    status, headers, _ = portal_server.get(
        "/api/houjin/v1/corporations/7000012050002", {"Authorization": f"Bearer {token}"}
    )
    links = headers.get_all("link") or []
    target = next(link for link in links if 'rel="deprecation"' in link)
    url = target.split(">")[0].lstrip("<").removeprefix(portal_server.base_url)
    status, _, html = portal_server.get(url)
    assert status == 200
    assert "このバージョンは" in html.decode() and "に提供を終了します" in html.decode()


def token_for(server: PortalServer, client_id: str, secret: str) -> str:
    request = urllib.request.Request(  # noqa: S310 - loopback
        server.base_url + "/oauth/token",
        data=b"grant_type=client_credentials",
        headers={
            "Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return str(json.load(response)["access_token"])


def test_a_registry_change_is_rebuilt_in_the_background(portal_server: PortalServer) -> None:
    builds = metric(portal_server, "tsunagu_portal_builds_total", 'outcome="success"')
    assert builds >= 1
    env = portal_server.env
    cli(
        env,
        "provider",
        "add",
        "testprov",
        "--name-ja",
        "試験庁",
        "--name-en",
        "Test Agency",
        "--contact",
        "api@test.example.go.jp",
    )
    postal = next(p for p in DEMO_DOCUMENTS if p.stem == "postal")
    cli(
        env,
        "api",
        "register",
        str(postal),
        "--provider",
        "testprov",
        "--upstream",
        "http://127.0.0.1:9/postal2",
        "--slug",
        "postal-copy",
    )
    cli(env, "api", "publish", "postal-copy", "v1")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status, _, _ = portal_server.get("/portal/apis/postal-copy/v1/")
        if status == 200:
            break
        time.sleep(0.5)
    assert status == 200, "the new API's page did not appear"
    _, _, home = portal_server.get("/portal/")
    assert "試験庁" in home.decode()
    assert metric(portal_server, "tsunagu_portal_builds_total", 'outcome="success"') > builds
    assert metric(portal_server, "tsunagu_portal_builds_total", 'outcome="failure"') == 0


def test_code_samples_on_the_page_run_as_pasted(portal_server: PortalServer) -> None:
    """The curl and Python samples of an API page, taken from the built page itself, answer 200
    from the sandbox with a sandbox app's token in TSUNAGU_TOKEN."""
    app = portal_server.credentials["sandbox_app"]
    token = token_for(portal_server, app["client_id"], app["client_secret"])
    _, _, body = portal_server.get("/portal/apis/houjin/v2/")
    blocks = [
        html.unescape(re.sub(r"<[^>]+>", "", b))
        for b in re.findall(r"<code>(.*?)</code>", body.decode(), re.S)
    ]
    python = next(b for b in blocks if "urllib.request.urlopen" in b and "/corporations/" in b)
    env = {**os.environ, "TSUNAGU_TOKEN": token}
    ran = subprocess.run(
        [sys.executable, "-c", python],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[0] == "200" and "7000012050002" in ran.stdout
    curl = next(b for b in blocks if b.startswith("curl -sS") and "/corporations/" in b)
    if shutil.which("curl"):
        ran = subprocess.run(
            ["bash", "-c", curl.strip() + ' -w "\\n%{http_code}"'],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert ran.stdout.splitlines()[-1] == "200", ran.stdout + ran.stderr
