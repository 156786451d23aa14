"""Object- and function-level authorization: provider A never reads or changes B's APIs."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.gateway.admin.helpers import (
    BASE,
    OPERATOR,
    UPSTREAM,
    add_provider,
    assert_problem,
    provider,
    register,
)
from tests.gateway.cli.documents import GOOD

SUNSET = "2099-01-01"

Case = tuple[str, str, dict[str, Any] | None]

# What A tries on B's objects, by OpenAPI path template. A published version is public (the
# portal shows it), so reading one is only refused while it is a draft. The meta-test checks
# that every operation of the admin OpenAPI document is listed in one of these.
DRAFT_READS: list[Case] = [("GET", "/apis/{slug}/{version}", None)]
FOREIGN: list[Case] = [
    ("GET", "/providers/{provider_id}", None),
    ("POST", "/apis/{slug}/{version}/publish", None),
    ("POST", "/apis/{slug}/{version}/deprecate", {"sunset": SUNSET}),
    ("POST", "/apis/{slug}/{version}/retire", None),
    ("POST", "/apis/{slug}/{version}/waive", {"rule": "ATG-SEC-01", "reason": "x"}),
    ("PUT", "/apis/{slug}/{version}/plan", {"per_minute": 1, "per_day": 1}),
    ("GET", "/apis/{slug}/{version}/consumers", None),
    ("GET", "/apis/{slug}/{version}/stats", None),
    ("POST", "/apis", {"document": GOOD, "upstream_url": UPSTREAM, "provider_id": "prov-b"}),
    (
        "POST",
        "/providers",
        {"id": "prov-c", "name_ja": "甲", "name_en": "C", "contact": "c@example.jp"},
    ),
]
SEPARATELY = {
    ("GET", "/apis"),
    ("GET", "/changes"),
    ("POST", "/apps"),
    ("POST", "/apps/{client_id}/api-keys"),
    # notices: operators only, webhooks and subscriptions for an app's owner (test_admin_notices)
    ("GET", "/notices"),
    ("POST", "/notices/{notice_id}/retry"),
    ("PUT", "/apps/{client_id}/webhook"),
    ("PUT", "/apps/{client_id}/subscriptions/{slug}"),
}


def fill(template: str) -> str:
    filled = template.replace("{slug}", "b-api").replace("{version}", "v1")
    return BASE + filled.replace("{provider_id}", "prov-b")


async def b_state(client: AsyncClient) -> dict[str, Any]:
    response = await client.get(f"{BASE}/apis/b-api/v1", headers=OPERATOR)
    assert response.status_code == 200, response.text
    view: dict[str, Any] = response.json()
    return view


async def setup_two_providers(client: AsyncClient) -> None:
    await add_provider(client, "prov-a")
    await add_provider(client, "prov-b")
    await register(client, "prov-a", "a-api")
    await register(client, "prov-b", "b-api")


async def try_as_a(client: AsyncClient, cases: list[Case]) -> None:
    for method, template, body in cases:
        response = await client.request(
            method, fill(template), json=body, headers=provider("prov-a")
        )
        assert response.status_code in (403, 404), (method, template, response.text)
        assert_problem(response, response.status_code)


async def test_matrix_covers_every_admin_operation(client: AsyncClient) -> None:
    spec = (await client.get(f"{BASE}/openapi.json")).json()
    operations = {(m.upper(), path) for path, item in spec["paths"].items() for m in item}
    covered = {(m, t) for m, t, _ in DRAFT_READS + FOREIGN} | SEPARATELY
    assert operations == covered


async def test_provider_a_cannot_touch_b_drafts(client: AsyncClient) -> None:
    await setup_two_providers(client)
    before = await b_state(client)
    await try_as_a(client, DRAFT_READS + FOREIGN)
    after = await b_state(client)
    assert after == before
    assert after["state"] == "draft"
    assert after["provider_id"] == "prov-b"


async def test_provider_a_cannot_change_b_published_versions(client: AsyncClient) -> None:
    await setup_two_providers(client)
    assert (
        await client.post(fill("/apis/{slug}/{version}/publish"), headers=OPERATOR)
    ).status_code == 200
    before = await b_state(client)
    await try_as_a(client, FOREIGN)
    assert await b_state(client) == before


async def test_provider_a_cannot_squat_b_slug(client: AsyncClient) -> None:
    await setup_two_providers(client)
    before = await b_state(client)
    body = {
        "document": GOOD,
        "upstream_url": "https://evil.example.jp",
        "provider_id": "prov-a",
        "slug": "b-api",
    }
    response = await client.post(f"{BASE}/apis", json=body, headers=provider("prov-a"))
    assert response.status_code in (403, 404, 409)
    assert await b_state(client) == before


async def test_lists_and_change_log_hide_other_providers_drafts(client: AsyncClient) -> None:
    await setup_two_providers(client)
    listed = await client.get(f"{BASE}/apis", headers=provider("prov-a"))
    assert listed.status_code == 200
    assert {r["slug"] for r in listed.json()} == {"a-api"}
    everything = (await client.get(f"{BASE}/apis", headers=OPERATOR)).json()
    assert {r["slug"] for r in everything} == {"a-api", "b-api"}
    changes = await client.get(f"{BASE}/changes", headers=provider("prov-a"))
    if changes.status_code == 200:
        assert all("b-api" not in str(entry) for entry in changes.json())
    else:
        assert_problem(changes, 403)


async def test_operator_only_functions_and_developers(client: AsyncClient) -> None:
    await setup_two_providers(client)
    own = "/apis/a-api/v1"
    as_a = provider("prov-a")
    plan = await client.put(f"{BASE}{own}/plan", json={"per_minute": 5}, headers=as_a)
    assert_problem(plan, 403)
    waive = await client.post(
        f"{BASE}{own}/waive", json={"rule": "ATG-SEC-01", "reason": "x"}, headers=as_a
    )
    assert_problem(waive, 403)
    developer = {"X-Test-As": "developer:someone"}
    body = {"document": GOOD, "upstream_url": UPSTREAM, "provider_id": "prov-a"}
    assert (await client.post(f"{BASE}/apis", json=body, headers=developer)).status_code in (
        403,
        404,
    )
    assert (await client.get(f"{BASE}/apis/a-api/v1", headers=developer)).status_code in (403, 404)
    operator_plan = await client.put(f"{BASE}{own}/plan", json={"per_minute": 5}, headers=OPERATOR)
    assert operator_plan.status_code == 200, operator_plan.text
    assert operator_plan.json()["plan"]["per_minute"] == 5


async def test_api_keys_need_the_operator_or_the_owner_and_an_open_data_api(
    client: AsyncClient,
) -> None:
    await setup_two_providers(client)
    app = await client.post(
        f"{BASE}/apps",
        json={"name": "k", "owner": "dev@example.jp", "scopes": ["a-api"]},
        headers=OPERATOR,
    )
    assert app.status_code == 201, app.text
    url = f"{BASE}/apps/{app.json()['client_id']}/api-keys"
    assert_problem(
        await client.post(url, json={"apis": ["a-api"]}, headers=provider("prov-a")), 403
    )
    refused = await client.post(url, json={"apis": ["a-api"]}, headers=OPERATOR)
    assert refused.status_code in (400, 409), refused.text  # a-api is not open data
    assert_problem(await client.post(url, json={"apis": []}, headers=OPERATOR), 400)
