"""A provider sees its own APIs' upstream addresses only (a ministry's internal address is not
another ministry's business), against a real `tsunagu serve` with two providers."""

from __future__ import annotations

from tests.security.checks import bearer
from tests.security.conftest import Gateway


def test_another_providers_version_reads_without_its_upstream(gateway: Gateway) -> None:
    upstream = gateway.seeded.upstream.base_url
    response = gateway.http.get(
        "/admin/v1/apis/secb/v1", headers=bearer(gateway.token("provider_a"))
    )
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["upstream_url"] is None
    # the document's servers are aimed at the gateway (TSUNAGU_PUBLIC_URL, the default here)
    assert view["document"]["servers"] == [{"url": "http://127.0.0.1:8000/api/secb/v1"}]
    assert upstream not in response.text


def test_a_provider_and_the_operator_see_the_upstream(gateway: Gateway) -> None:
    upstream = gateway.seeded.upstream.base_url
    for app, path, expected in (
        ("provider_b", "/admin/v1/apis/secb/v1", f"{upstream}/secb/v1"),
        ("provider_a", "/admin/v1/apis/secapi/v3", f"{upstream}/secapi/v3"),
        ("operator", "/admin/v1/apis/secb/v1", f"{upstream}/secb/v1"),
    ):
        view = gateway.http.get(path, headers=bearer(gateway.token(app))).json()
        assert view["upstream_url"] == expected, (app, path)


def test_listing_names_no_upstream(gateway: Gateway) -> None:
    listing = gateway.http.get("/admin/v1/apis", headers=bearer(gateway.token("provider_a")))
    assert listing.status_code == 200
    assert {"secb", "secapi"} <= {row["slug"] for row in listing.json()}
    assert gateway.seeded.upstream.base_url not in listing.text
