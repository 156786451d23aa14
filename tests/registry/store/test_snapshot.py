"""The snapshot holds exactly what the gateway serves, at one generation, and cannot be changed."""

from __future__ import annotations

from datetime import date, timedelta

import pydantic
import pytest

from registry.models import SigningKeyView, VersionState
from registry.service import RegistryService
from registry.snapshot import RegistryReader
from registry.store import Store
from tests.registry.store.conftest import OPERATOR, PROVIDER_A, FakeClock
from tests.registry.store.documents import as_yaml, openapi

UP = "https://upstream.example.go.jp/x"


def signing_key(clock: FakeClock, kid: str) -> SigningKeyView:
    now = clock()
    return SigningKeyView(
        kid=kid,
        alg="ES256",
        public_jwk={"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "BBBB", "kid": kid},
        private_pem="-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n",
        created_at=now,
        activates_at=now,
    )


@pytest.mark.usefixtures("providers")
def test_snapshot_content(svc: RegistryService, store: Store, clock: FakeClock) -> None:
    for slug, version in (("drafty", "1.0.0"), ("libraries", "1.0.0"), ("libraries", "2.0.0")):
        svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug=slug, version=version)), UP)
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug="opendata", open_data=True)), UP)
    for slug, version in (("libraries", "v1"), ("libraries", "v2"), ("opendata", "v1")):
        svc.publish(PROVIDER_A, slug, version)
    svc.deprecate(PROVIDER_A, "libraries", "v1", date(2026, 1, 1), successor="v2")
    app = svc.create_app(OPERATOR, "オープン", "dev@example.com", ["opendata"], False)
    key = svc.create_api_key(OPERATOR, app.client_id, ["opendata"])
    store.add_signing_key(signing_key(clock, "k1"))
    store.revoke_jti("gone", clock.now - timedelta(seconds=1))  # already expired: not listed
    store.revoke_jti("jti-1", clock.now + timedelta(minutes=10))

    snapshot = RegistryReader(store, clock=clock).snapshot()

    assert snapshot.generation == RegistryReader(store).generation()
    assert set(snapshot.routes) == {("libraries", "v1"), ("libraries", "v2"), ("opendata", "v1")}
    old = snapshot.route("libraries", "v1")
    assert old is not None and old.state is VersionState.DEPRECATED
    assert old.successor == "v2" and old.sunset is not None and old.upstream_url == UP
    assert old.document["info"]["title"] == "図書館API" and not old.open_data
    opendata = snapshot.route("opendata", "v1")
    assert opendata is not None and opendata.open_data and opendata.plan.per_minute == 60
    assert [k.kid for k in snapshot.signing_keys] == ["k1"]
    assert snapshot.signing_keys[0].private_pem is None
    assert [v.slugs for v in snapshot.api_keys.values()] == [("opendata",)]
    assert key not in snapshot.api_keys and len(next(iter(snapshot.api_keys))) > 64
    assert snapshot.revoked_jtis == frozenset({"jti-1"})
    assert store.signing_keys(include_private=True)[0].private_pem is not None


@pytest.mark.usefixtures("providers")
def test_retired_versions_stay_in_the_snapshot(svc: RegistryService, store: Store) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP)
    svc.publish(PROVIDER_A, "libraries", "v1")
    svc.retire(PROVIDER_A, "libraries", "v1")
    route = RegistryReader(store).snapshot().route("libraries", "v1")
    assert route is not None and route.state is VersionState.RETIRED


def test_snapshot_is_frozen(store: Store) -> None:
    snapshot = RegistryReader(store).snapshot()
    assert snapshot.generation == 0 and snapshot.routes == {}
    with pytest.raises(pydantic.ValidationError):
        snapshot.generation = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        snapshot.revoked_jtis.add("x")  # type: ignore[attr-defined]


def test_key_and_revocation_changes_bump_the_generation(store: Store, clock: FakeClock) -> None:
    reader = RegistryReader(store, clock=clock)
    store.add_signing_key(signing_key(clock, "k1"))
    assert reader.generation() == 1
    store.set_key_times("k1", clock.now, clock.now + timedelta(minutes=11))
    assert reader.generation() == 2
    store.revoke_jti("jti", clock.now + timedelta(minutes=5))
    assert reader.generation() == 3
    (key,) = reader.snapshot().signing_keys
    assert key.retires_at is not None and key.expires_at == key.retires_at + timedelta(minutes=11)


@pytest.mark.usefixtures("providers")
def test_credential_changes_keep_the_routes_generation_and_the_routes(
    svc: RegistryService, store: Store, clock: FakeClock
) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug="opendata", open_data=True)), UP)
    svc.publish(PROVIDER_A, "opendata", "v1")
    reader = RegistryReader(store, clock=clock)
    first = reader.snapshot()
    assert first.routes_generation == first.generation > 0

    app = svc.create_app(OPERATOR, "アプリ", "dev@example.com", ["opendata"], False)
    svc.create_api_key(OPERATOR, app.client_id, ["opendata"])
    store.add_signing_key(signing_key(clock, "k1"))
    store.revoke_jti("jti-1", clock.now + timedelta(minutes=10))
    second = reader.snapshot(first)
    assert second.generation == first.generation + 4
    assert second.routes_generation == first.routes_generation
    assert second.routes == first.routes
    assert all(second.routes[key] is entry for key, entry in first.routes.items())  # kept
    assert second.revoked_jtis == frozenset({"jti-1"}) and len(second.api_keys) == 1
    assert [k.kid for k in second.signing_keys] == ["k1"]

    svc.deprecate(PROVIDER_A, "opendata", "v1", date(2026, 1, 1))
    third = reader.snapshot(second)
    assert third.generation == second.generation + 1
    assert third.routes_generation == second.routes_generation + 1
    route = third.route("opendata", "v1")
    assert route is not None and route.state is VersionState.DEPRECATED
    assert reader.snapshot().routes == third.routes  # without a previous snapshot: read anew
