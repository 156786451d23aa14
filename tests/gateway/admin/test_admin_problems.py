"""Errors are RFC 9457 problem details; the OpenAPI document is served and lists the routes."""

from __future__ import annotations

from httpx import AsyncClient

from tests.gateway.admin.helpers import BASE, OPERATOR, UPSTREAM, add_provider, assert_problem


async def test_registry_errors_are_problems_with_the_callers_request_id(
    client: AsyncClient,
) -> None:
    headers = {**OPERATOR, "X-Request-ID": "req-42"}
    problem = assert_problem(await client.get(f"{BASE}/apis/nosuch/v1", headers=headers), 404)
    assert problem["request_id"] == "req-42"
    assert problem["type"] == "https://gw.example.jp/portal/errors/#not-found"
    insane = {**OPERATOR, "X-Request-ID": "x" * 300}
    fresh = assert_problem(await client.get(f"{BASE}/apis/nosuch/v1", headers=insane), 404)
    assert fresh["request_id"] != "x" * 300
    assert fresh["request_id"]


async def test_validation_errors_are_400_problems(client: AsyncClient) -> None:
    await add_provider(client, "prov-a")
    missing = await client.post(f"{BASE}/apis", json={"upstream_url": UPSTREAM}, headers=OPERATOR)
    assert "document" in assert_problem(missing, 400)["detail"]
    body = {
        "document": "x",
        "upstream_url": UPSTREAM,
        "provider_id": "prov-a",
        "state": "published",
    }
    assert (
        "state"
        in assert_problem(await client.post(f"{BASE}/apis", json=body, headers=OPERATOR), 400)[
            "detail"
        ]
    )
    mass = {
        "id": "p2",
        "name_ja": "乙",
        "name_en": "B",
        "contact": "b@example.jp",
        "created_at": "2020-01-01T00:00:00Z",
    }
    assert_problem(await client.post(f"{BASE}/providers", json=mass, headers=OPERATOR), 400)
    bad_date = await client.post(
        f"{BASE}/apis/x/v1/deprecate", json={"sunset": "soon"}, headers=OPERATOR
    )
    assert_problem(bad_date, 400)
    unsafe = {"document": "a: &a [*a]\n", "upstream_url": UPSTREAM, "provider_id": "prov-a"}
    assert_problem(await client.post(f"{BASE}/apis", json=unsafe, headers=OPERATOR), 400)


async def test_http_errors_are_problems_too(client: AsyncClient) -> None:
    unauthenticated = await client.get(f"{BASE}/apis")
    assert_problem(unauthenticated, 401)
    assert unauthenticated.headers["www-authenticate"] == "Bearer"
    assert_problem(await client.get(f"{BASE}/nowhere", headers=OPERATOR), 404)
    assert_problem(await client.delete(f"{BASE}/apis", headers=OPERATOR), 405)


async def test_openapi_document_lists_the_routes(client: AsyncClient) -> None:
    response = await client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/providers",
        "/providers/{provider_id}",
        "/apps",
        "/apps/{client_id}/api-keys",
        "/changes",
        "/apis",
        "/apis/{slug}/{version}",
        "/apis/{slug}/{version}/publish",
        "/apis/{slug}/{version}/deprecate",
        "/apis/{slug}/{version}/retire",
        "/apis/{slug}/{version}/waive",
        "/apis/{slug}/{version}/plan",
        "/apis/{slug}/{version}/consumers",
        "/apis/{slug}/{version}/stats",
        "/notices",
        "/notices/{notice_id}/retry",
        "/apps/{client_id}/webhook",
        "/apps/{client_id}/subscriptions/{slug}",
    }
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    operation_ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


async def test_values_the_store_cannot_hold_are_400_problems(client: AsyncClient) -> None:
    """A 20-digit notice period, a NUL in a name or a NaN in a document were 500s."""
    base = {"name_ja": "甲", "name_en": "A", "contact": "a@example.jp"}
    huge = {**base, "id": "p-huge", "notice_days": 10**20}
    assert_problem(await client.post(f"{BASE}/providers", json=huge, headers=OPERATOR), 400)
    nul = {**base, "id": "p-nul", "name_ja": "甲\x00"}
    response = await client.post(f"{BASE}/providers", json=nul, headers=OPERATOR)
    assert response.status_code in (201, 400)  # SQLite keeps NUL; PostgreSQL refuses it
    if response.status_code == 400:
        assert "NUL" in assert_problem(response, 400)["detail"]
    await add_provider(client, "prov-a")
    for value in (".nan", "9" * 5000):
        document = (
            f"openapi: 3.0.3\ninfo: {{title: T, version: 1.0.0, x-v: {value}}}\npaths: {{}}\n"
        )
        body = {"document": document, "upstream_url": UPSTREAM, "provider_id": "prov-a"}
        assert_problem(await client.post(f"{BASE}/apis", json=body, headers=OPERATOR), 400)
