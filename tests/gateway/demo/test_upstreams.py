"""The demo's upstream servers answer what their OpenAPI documents promise (real HTTP)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import yaml

from gateway.demo.seed import _houjin_v2
from gateway.demo.upstreams import facilities_app, houjin_app, postal_app
from gateway.sandbox.index import Match, SandboxIndex
from registry.demo_apis import DEMO_DOCUMENTS, corporate_number_check_digit
from tests.e2e.upstream import upstream_server

APPS = {"houjin": houjin_app, "postal": postal_app, "facilities": facilities_app}
ITEMS = {
    "houjin": ("corporations", "corporate_number"),
    "facilities": ("facilities", "facility_id"),
}
CALLS = {
    "houjin": ["/corporations?limit=5", "/corporations/7000012050002", "/corporations?name=国税庁"],
    "postal": ["/addresses?prefecture_code=13&limit=3", "/addresses?city=那覇"],
    "facilities": ["/facilities?limit=4", "/facilities?category=library,gym&sort=-name"],
}


def document(slug: str) -> dict[str, Any]:
    path = next(p for p in DEMO_DOCUMENTS if p.stem == slug)
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def assert_matches_document(index: SandboxIndex, path: str, body: Any) -> None:
    match = index.match("GET", path.split("?", maxsplit=1)[0])
    assert isinstance(match, Match), path
    pointer = match.operation.pointer + "/responses/200/content/application~1json/schema"
    issues = index.compiler.checker(pointer).issues(body)
    assert issues == [], (path, issues[:3])


@pytest.mark.parametrize("slug", sorted(APPS))
def test_every_answer_is_valid_against_the_document(slug: str) -> None:
    index = SandboxIndex.for_document(document(slug))
    with upstream_server(APPS[slug]) as base:
        for path in CALLS[slug]:
            response = requests.get(f"{base}/v1{path}", timeout=10)
            assert response.status_code == 200, (path, response.text)
            assert_matches_document(index, path, response.json())
            if "results" in response.json():
                assert response.json()["results"], path  # the filters find synthetic records
        if slug in ITEMS:
            collection, key = ITEMS[slug]
            first = requests.get(f"{base}/v1/{collection}?limit=1", timeout=10).json()
            one = requests.get(f"{base}/v1/{collection}/{first['results'][0][key]}", timeout=10)
            assert one.status_code == 200
            assert_matches_document(index, f"/{collection}/x", one.json())


def test_houjin_v2_answers_its_own_document_and_check_digits_hold() -> None:
    index = SandboxIndex.for_document(yaml.safe_load(_houjin_v2(document("houjin"))))
    with upstream_server(houjin_app) as base:
        rows = requests.get(f"{base}/v2/corporations?limit=100", timeout=10).json()["results"]
        assert all("closed_date" in r for r in rows)
        assert_matches_document(
            index,
            "/corporations",
            {
                "metadata": {"resultset": {"count": len(rows), "offset": 0, "limit": 100}},
                "results": rows,
            },
        )
        for row in rows:
            number = row["corporate_number"]
            assert corporate_number_check_digit(number[1:]) == int(number[0])
        wrong = requests.get(f"{base}/v1/corporations/1000012050002", timeout=10)
        assert wrong.status_code == 400
        assert wrong.headers["content-type"].startswith("application/problem+json")
        missing = requests.get(
            f"{base}/v1/corporations/{rows[1]['corporate_number'][:-1]}9", timeout=10
        )
        assert missing.status_code in (400, 404)


def test_postal_lookup_and_its_problems() -> None:
    with upstream_server(postal_app) as base:
        code = requests.get(f"{base}/v1/addresses?limit=1", timeout=10).json()["results"][0]
        found = requests.get(f"{base}/v1/postal_codes/{code['postal_code']}", timeout=10)
        assert found.status_code == 200 and found.json()["prefecture"] == code["prefecture"]
        assert requests.get(f"{base}/v1/postal_codes/100-0013", timeout=10).status_code == 400
        assert requests.get(f"{base}/v1/postal_codes/0000000", timeout=10).status_code == 404
