"""A provider's lifecycle through HTTP: register, publish, deprecate, retire; the read models."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from httpx import AsyncClient

from registry.models import UsageRow, sunset_instant
from registry.service import RegistryService
from tests.gateway.admin.helpers import (
    BASE,
    OPERATOR,
    add_provider,
    assert_problem,
    provider,
    register,
)
from tests.gateway.cli.documents import BAD, GOOD, TITLE_JA

V2 = GOOD.replace("version: 1.2.0", "version: 2.0.0").replace("/v1", "/v2")

AS_A = provider("prov-a")
V1 = f"{BASE}/apis/maps/v1"


def in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


async def test_register_publish_deprecate_retire(client: AsyncClient) -> None:
    await add_provider(client, "prov-a")
    draft = await register(client, "prov-a", "maps", document=BAD)
    assert (draft["slug"], draft["version"], draft["state"]) == ("maps", "v1", "draft")
    assert draft["lint"]["errors"] >= 1
    problem = assert_problem(await client.post(f"{V1}/publish", headers=AS_A), 409)
    assert problem["type"].endswith("#lint-errors")

    await register(client, "prov-a", "maps")  # the conformant document replaces the draft
    view = (await client.get(V1, headers=AS_A)).json()
    assert view["title"] == TITLE_JA
    assert view["document"]["info"]["title"] == TITLE_JA
    assert view["lint"]["errors"] == 0

    published = await client.post(f"{V1}/publish", headers=AS_A)
    assert published.status_code == 200, published.text
    assert published.json()["state"] == "published"
    assert_problem(
        await client.post(f"{V1}/deprecate", json={"sunset": in_days(5)}, headers=AS_A), 409
    )
    v2 = await register(client, "prov-a", "maps", document=V2)
    assert v2["version"] == "v2"
    assert (await client.post(f"{BASE}/apis/maps/v2/publish", headers=AS_A)).status_code == 200
    body = {"sunset": in_days(190), "successor": "v2", "note": "v2へ"}
    deprecated = (await client.post(f"{V1}/deprecate", json=body, headers=AS_A)).json()
    assert (deprecated["state"], deprecated["successor"]) == ("deprecated", "v2")
    sunset = datetime.fromisoformat(deprecated["sunset"].replace("Z", "+00:00"))
    assert sunset == sunset_instant(date.fromisoformat(in_days(190)))
    retired = await client.post(f"{V1}/retire", headers=AS_A)
    assert retired.json()["state"] == "retired"

    rows = [
        r for r in (await client.get(f"{BASE}/apis", headers=AS_A)).json() if r["version"] == "v1"
    ]
    assert rows == [
        {
            "slug": "maps",
            "version": "v1",
            "state": "retired",
            "provider": "prov-a",
            "published_at": published.json()["published_at"],
            "sunset": deprecated["sunset"],
            "brownouts": [],
        }
    ]
    assert deprecated["sunset"] == f"{in_days(190)}T00:00:00+09:00"  # Japan time, as read
    log = (await client.get(f"{BASE}/changes", headers=OPERATOR)).json()
    assert {"api.publish", "api.deprecate", "api.retire"} <= {e["action"] for e in log}


async def test_provider_and_app_routes(client: AsyncClient, service: RegistryService) -> None:
    await add_provider(client, "prov-a")
    fetched = (await client.get(f"{BASE}/providers/prov-a", headers=AS_A)).json()
    assert fetched["name_ja"] == "デジタル庁"
    assert_problem(await client.get(f"{BASE}/providers/nobody", headers=OPERATOR), 404)
    await register(client, "prov-a", "maps")
    await client.post(f"{V1}/publish", headers=AS_A)
    created = await client.post(
        f"{BASE}/apps",
        headers=OPERATOR,
        json={"name": "地図", "owner": "dev@example.jp", "scopes": ["maps"]},
    )
    assert created.status_code == 201, created.text
    app = created.json()
    assert app.keys() == {"client_id", "client_secret", "scopes", "sandbox"}
    assert (await client.get(f"{V1}/consumers", headers=AS_A)).json() == []
    when = datetime.now(UTC).replace(microsecond=0)
    service.record_usage(
        [UsageRow(client_id=app["client_id"], slug="maps", version="v1", count=7, last_call=when)]
    )
    consumers = (await client.get(f"{V1}/consumers", headers=AS_A)).json()
    assert [(c["client_id"], c["app"], c["owner"], c["count"]) for c in consumers] == [
        (app["client_id"], "地図", "dev@example.jp", 7)
    ]
    assert datetime.fromisoformat(consumers[0]["last_call"].replace("Z", "+00:00")) == when
