"""Apps, API keys, usage counts and the consumers report."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registry import secrets
from registry.errors import Forbidden, InvalidInput, NotFound
from registry.models import UsageRow
from registry.service import RegistryService
from tests.registry.store.conftest import DEVELOPER, OPERATOR, PROVIDER_A, PROVIDER_B, FakeClock
from tests.registry.store.documents import as_yaml, openapi

pytestmark = pytest.mark.usefixtures("providers")
UP = "https://upstream.example.go.jp/x"


@pytest.fixture
def apis(svc: RegistryService, providers: None) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug="libraries")), UP)
    svc.publish(PROVIDER_A, "libraries", "v1")
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug="opendata", open_data=True)), UP)
    svc.publish(PROVIDER_A, "opendata", "v1")


@pytest.mark.usefixtures("apis")
def test_create_app_hashes_the_secret(svc: RegistryService) -> None:
    created = svc.create_app(
        OPERATOR, "図書館アプリ", "dev@example.com", ["libraries libraries:write"], False
    )
    assert created.client_id.startswith("tsu_") and len(created.client_id) == 20
    assert len(created.client_secret) >= 43  # 32 random bytes, URL-safe base64
    app = svc.get_app(created.client_id)
    assert app is not None and app.scopes == ("libraries", "libraries:write")
    assert created.client_secret not in app.secret_hash
    assert secrets.verify_secret(created.client_secret, app.secret_hash)
    assert not secrets.verify_secret(created.client_secret + "x", app.secret_hash)
    assert svc.get_app("tsu_missing") is None


@pytest.mark.usefixtures("apis")
def test_scopes_must_name_apis_providers_or_admin(svc: RegistryService) -> None:
    empty = svc.create_app(OPERATOR, "空", "o@example.com", [""], True)
    assert empty.scopes == ()
    platform = ["tsunagu:admin", "tsunagu:provider:digital"]
    assert svc.create_app(OPERATOR, "admin", "o@example.com", platform, False).scopes == tuple(
        platform
    )
    for bad in ("nosuch", "nosuch:write", "tsunagu:provider:nobody", "tsunagu:root"):
        with pytest.raises(InvalidInput, match=bad):
            svc.create_app(OPERATOR, "x", "o@example.com", [bad], False)


@pytest.mark.usefixtures("apis")
def test_who_may_create_apps(svc: RegistryService) -> None:
    own = svc.create_app(DEVELOPER, "試す", DEVELOPER.subject, ["libraries"], True)
    assert own.sandbox
    with pytest.raises(Forbidden):
        svc.create_app(DEVELOPER, "本番", DEVELOPER.subject, ["libraries"], False)
    with pytest.raises(Forbidden):
        svc.create_app(DEVELOPER, "他人", "else@example.com", ["libraries"], True)
    with pytest.raises(Forbidden):
        svc.create_app(DEVELOPER, "管理", DEVELOPER.subject, ["tsunagu:admin"], True)
    with pytest.raises(Forbidden):
        svc.create_app(PROVIDER_A, "x", "o@example.com", [], True)


@pytest.mark.usefixtures("apis")
def test_api_keys_only_for_open_data_apis(svc: RegistryService) -> None:
    app = svc.create_app(OPERATOR, "オープン", DEVELOPER.subject, ["opendata"], False)
    key = svc.create_api_key(OPERATOR, app.client_id, ["opendata"])
    assert key.startswith("tsk_") and len(key) >= 47
    assert svc.create_api_key(DEVELOPER, app.client_id, ["opendata"]) != key
    with pytest.raises(InvalidInput, match="libraries"):
        svc.create_api_key(OPERATOR, app.client_id, ["libraries"])
    with pytest.raises(InvalidInput):
        svc.create_api_key(OPERATOR, app.client_id, [])
    with pytest.raises(NotFound):
        svc.create_api_key(OPERATOR, "tsu_missing", ["opendata"])
    with pytest.raises(Forbidden):
        svc.create_api_key(PROVIDER_A, app.client_id, ["opendata"])


@pytest.mark.usefixtures("apis")
def test_usage_upserts_and_consumers_report(svc: RegistryService, clock: FakeClock) -> None:
    busy = svc.create_app(OPERATOR, "忙しい", "busy@example.com", ["libraries"], False)
    quiet = svc.create_app(OPERATOR, "静か", "quiet@example.com", ["libraries"], False)
    first, later = clock(), clock.now + timedelta(hours=30)  # two Japan calendar days
    svc.record_usage(
        [
            UsageRow(
                client_id=busy.client_id, slug="libraries", version="v1", count=5, last_call=first
            ),
            UsageRow(
                client_id=quiet.client_id, slug="libraries", version="v1", count=2, last_call=first
            ),
        ]
    )
    svc.record_usage(
        [
            UsageRow(
                client_id=busy.client_id, slug="libraries", version="v1", count=3, last_call=first
            ),
            UsageRow(
                client_id=busy.client_id, slug="libraries", version="v1", count=4, last_call=later
            ),
            UsageRow(
                client_id=busy.client_id, slug="opendata", version="v1", count=9, last_call=later
            ),
            UsageRow(
                client_id=quiet.client_id,
                slug="libraries",
                version="v1",
                count=1,
                last_call=first - timedelta(minutes=1),  # same day, older: last_call keeps `first`
            ),
        ]
    )
    svc.record_usage([])
    rows = svc.consumers(PROVIDER_A, "libraries", "v1")
    assert [(r.client_id, r.app, r.owner, r.count) for r in rows] == [
        (busy.client_id, "忙しい", "busy@example.com", 12),
        (quiet.client_id, "静か", "quiet@example.com", 3),
    ]
    assert rows[0].last_call == later and rows[1].last_call == first
    assert svc.consumers(OPERATOR, "opendata", "v1")[0].count == 9
    with pytest.raises(Forbidden):
        svc.consumers(PROVIDER_B, "libraries", "v1")


@pytest.mark.usefixtures("apis")
def test_apps_that_called_a_version_since_a_time(svc: RegistryService, clock: FakeClock) -> None:
    """The change notices' question: which apps called this version since then (any answer)."""
    old = svc.create_app(OPERATOR, "昔", "old@example.com", ["libraries"], False)
    failing = svc.create_app(OPERATOR, "失敗", "fail@example.com", ["libraries"], False)
    other = svc.create_app(OPERATOR, "別", "other@example.com", ["opendata"], False)
    since = clock.now
    svc.record_usage(
        [
            UsageRow(
                client_id=old.client_id,
                slug="libraries",
                version="v1",
                count=1,
                last_call=since - timedelta(days=91),
                statuses={"2xx": 1},
            ),
            UsageRow(
                client_id=failing.client_id,
                slug="libraries",
                version="v1",
                count=3,
                last_call=since + timedelta(hours=1),
                statuses={"429": 1, "5xx": 2},
            ),
            UsageRow(
                client_id=other.client_id,
                slug="opendata",
                version="v1",
                count=1,
                last_call=since + timedelta(hours=1),
            ),
        ]
    )
    with svc.store.read() as unit:
        assert unit.apps_that_called("libraries", "v1", since) == [failing.client_id]
        earlier = unit.apps_that_called("libraries", "v1", since - timedelta(days=100))
        assert earlier == sorted([old.client_id, failing.client_id])
    rows = {r.client_id: r for r in svc.consumers(OPERATOR, "libraries", "v1")}
    assert rows[failing.client_id].statuses == {"2xx": 0, "3xx": 0, "4xx": 0, "429": 1, "5xx": 2}
    assert rows[old.client_id].statuses["2xx"] == 1
