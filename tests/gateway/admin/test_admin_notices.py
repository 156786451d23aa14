"""The admin API's notice routes: who may list, retry, register webhooks and subscribe."""

from __future__ import annotations

from httpx import AsyncClient

from tests.gateway.admin.helpers import (
    BASE,
    OPERATOR,
    add_provider,
    assert_problem,
    provider,
    register,
)

OWNER = {"X-Test-As": "developer:dev@example.jp"}  # subject "test:dev@example.jp": the owner
STRANGER = {"X-Test-As": "developer:other"}
HOOK = {"url": "https://hooks.example.jp/tsunagu"}


async def published_api_and_app(client: AsyncClient) -> str:
    await add_provider(client, "prov-a")
    await register(client, "prov-a", "a-api")
    publish = await client.post(f"{BASE}/apis/a-api/v1/publish", headers=OPERATOR)
    assert publish.status_code == 200, publish.text
    body = {"name": "App", "owner": "test:dev@example.jp", "scopes": ["a-api"], "sandbox": False}
    created = await client.post(f"{BASE}/apps", json=body, headers=OPERATOR)
    assert created.status_code == 201, created.text
    return str(created.json()["client_id"])


async def test_the_owner_registers_a_webhook_and_sees_its_secret_once(
    client: AsyncClient,
) -> None:
    client_id = await published_api_and_app(client)
    answer = await client.put(f"{BASE}/apps/{client_id}/webhook", json=HOOK, headers=OWNER)
    assert answer.status_code == 200, answer.text
    assert answer.json()["secret"].startswith("whsec_")
    for who in (STRANGER, provider("prov-a")):
        refused = await client.put(f"{BASE}/apps/{client_id}/webhook", json=HOOK, headers=who)
        assert assert_problem(refused, 403)["type"].endswith("#webhook-forbidden")
    internal = {"url": "https://169.254.169.254/latest"}
    bad = await client.put(f"{BASE}/apps/{client_id}/webhook", json=internal, headers=OWNER)
    assert assert_problem(bad, 400)["type"].endswith("#webhook-not-allowed")


async def test_subscribing_needs_a_public_api(client: AsyncClient) -> None:
    client_id = await published_api_and_app(client)
    url = f"{BASE}/apps/{client_id}/subscriptions/a-api"
    first = await client.put(url, headers=OWNER)
    again = await client.put(url, headers=OPERATOR)
    assert (first.json()["new"], again.json()["new"]) == (True, False)
    missing = await client.put(f"{BASE}/apps/{client_id}/subscriptions/nothing", headers=OWNER)
    assert_problem(missing, 404)


async def test_the_outbox_is_for_operators(client: AsyncClient) -> None:
    client_id = await published_api_and_app(client)
    await client.put(f"{BASE}/apps/{client_id}/subscriptions/a-api", headers=OWNER)
    deprecate = await client.post(
        f"{BASE}/apis/a-api/v1/deprecate", json={"sunset": "2099-01-01"}, headers=OPERATOR
    )
    assert deprecate.status_code == 200, deprecate.text
    listed = await client.get(f"{BASE}/notices", params={"state": "pending"}, headers=OPERATOR)
    [notice] = listed.json()
    assert (notice["recipient"], notice["kind"]) == (
        "test:dev@example.jp",
        "api.version.deprecated",
    )
    assert notice["created_at"].endswith("+09:00")
    retried = await client.post(f"{BASE}/notices/{notice['id']}/retry", headers=OPERATOR)
    assert retried.status_code == 200 and retried.json()["state"] == "pending"
    for who in (OWNER, provider("prov-a")):
        assert_problem(await client.get(f"{BASE}/notices", headers=who), 403)
    assert_problem(await client.post(f"{BASE}/notices/ntc_x/retry", headers=OPERATOR), 404)
