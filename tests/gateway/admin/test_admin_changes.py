"""Compatible change and brownouts over the admin API: the problem's `changes` member, the
register answer's `changes`, and the brownout route's refusals."""

from __future__ import annotations

from datetime import datetime, timedelta

from httpx import AsyncClient

from registry.clock import JAPAN
from tests.gateway.admin.helpers import BASE, add_provider, assert_problem, provider, register
from tests.gateway.cli.documents import GOOD

AS_A = provider("prov-a")
V1 = f"{BASE}/apis/maps/v1"
V2 = GOOD.replace("version: 1.2.0", "version: 2.0.0").replace("/v1", "/v2")
NARROWER = GOOD.replace("maximum: 100}", "maximum: 50}")


async def published(client: AsyncClient) -> None:
    await add_provider(client, "prov-a")
    await register(client, "prov-a", "maps")
    assert (await client.post(f"{V1}/publish", headers=AS_A)).status_code == 200


async def test_a_breaking_document_is_a_409_listing_each_change(client: AsyncClient) -> None:
    await published(client)
    body = {
        "document": NARROWER,
        "upstream_url": "https://upstream.example.go.jp/data",
        "provider_id": "prov-a",
        "slug": "maps",
    }
    response = await client.post(
        f"{BASE}/apis", json=body, headers={**AS_A, "Accept-Language": "en"}
    )
    problem = assert_problem(response, 409)
    assert problem["type"].endswith("#breaking-change")
    assert "register it as v2" in problem["detail"]
    (change,) = problem["changes"]
    assert change["kind"] == "request-constraint-narrowed"
    assert change["pointer"] == "/paths/~1libraries/get/parameters/0/schema/maximum"
    assert change["breaking"] is True and change["message_ja"]


async def test_a_compatible_document_answers_with_its_changes(client: AsyncClient) -> None:
    await published(client)
    wider = GOOD.replace("maximum: 100}", "maximum: 500}")
    result = await register(client, "prov-a", "maps", document=wider)
    assert result["state"] == "published"
    assert [c["kind"] for c in result["changes"]] == ["request-constraint-relaxed"]
    log = (await client.get(f"{BASE}/changes", headers=AS_A)).json()
    assert log[0]["action"] == "api.change"
    assert log[0]["at"].endswith("+09:00")


async def test_brownouts_over_http(client: AsyncClient) -> None:
    await published(client)
    await register(client, "prov-a", "maps", document=V2)
    assert (await client.post(f"{BASE}/apis/maps/v2/publish", headers=AS_A)).status_code == 200
    start = (datetime.now(JAPAN) + timedelta(days=8)).replace(hour=9, minute=0)
    body = {"start": start.strftime("%Y-%m-%d %H:%M"), "minutes": 15}
    assert_problem(await client.post(f"{V1}/brownouts", json=body, headers=AS_A), 409)
    sunset = (datetime.now(JAPAN) + timedelta(days=200)).date().isoformat()
    deprecate = {"sunset": sunset, "successor": "v2"}
    assert (await client.post(f"{V1}/deprecate", json=deprecate, headers=AS_A)).status_code == 200
    created = await client.post(f"{V1}/brownouts", json=body, headers=AS_A)
    assert created.status_code == 201, created.text
    day = start.date().isoformat()
    assert created.json()["brownouts"] == [
        {"start": f"{day}T09:00:00+09:00", "end": f"{day}T09:15:00+09:00"}
    ]
    bad = {"start": "2030-01-01T09:00", "minutes": 15}
    assert_problem(await client.post(f"{V1}/brownouts", json=bad, headers=AS_A), 400)
