"""The change log is complete and append-only; the generation rises with every change."""

from __future__ import annotations

from datetime import date

import pytest

from registry.errors import InvalidInput, Refused
from registry.service import RegistryService
from registry.snapshot import RegistryReader
from registry.store import Store, Unit
from tests.registry.store.conftest import OPERATOR, PROVIDER_A, PROVIDER_B
from tests.registry.store.documents import as_yaml, openapi, without_license

UP = "https://upstream.example.go.jp/x"


@pytest.mark.usefixtures("providers")
def test_every_write_is_logged_and_bumps_the_generation(svc: RegistryService, store: Store) -> None:
    reader = RegistryReader(store)
    steps = [
        lambda: svc.register(PROVIDER_A, "digital", as_yaml(without_license(openapi())), UP),
        lambda: svc.waive(OPERATOR, "libraries", "v1", "ATG-DOC-06", "紙で公開"),
        lambda: svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP),
        lambda: svc.publish(PROVIDER_A, "libraries", "v1"),
        lambda: svc.deprecate(PROVIDER_A, "libraries", "v1", date(2026, 1, 1)),
        lambda: svc.retire(PROVIDER_A, "libraries", "v1"),
        lambda: svc.create_app(OPERATOR, "図書館アプリ", "dev@example.com", ["libraries"], True),
    ]
    generations = [reader.generation()]
    for step in steps:
        step()
        generations.append(reader.generation())
    assert generations == list(range(generations[0], generations[0] + len(steps) + 1))
    log = list(reversed(svc.change_log(OPERATOR)))
    assert [e.action for e in log] == [
        "provider.add",
        "provider.add",
        "api.register",
        "api.waive",
        "api.register",
        "api.publish",
        "api.deprecate",
        "api.retire",
        "app.create",
    ]
    assert [e.target for e in log[2:8]] == ["libraries/v1"] * 6
    assert log[3].actor == OPERATOR.subject and log[3].detail["reason"] == "紙で公開"
    assert log[5].actor == PROVIDER_A.subject and log[6].detail["sunset"] == "2026-01-01"
    assert [e.id for e in log] == sorted(e.id for e in log)
    assert "client_secret" not in str(log[-1].detail)


@pytest.mark.usefixtures("providers")
def test_refused_writes_log_nothing_and_keep_the_generation(
    svc: RegistryService, store: Store
) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(without_license(openapi())), UP)
    before = (RegistryReader(store).generation(), svc.change_log(OPERATOR))
    with pytest.raises(Refused):
        svc.publish(PROVIDER_A, "libraries", "v1")
    with pytest.raises(InvalidInput):
        svc.create_app(OPERATOR, "x", "o@example.com", ["nonexistent"], False)
    assert (RegistryReader(store).generation(), svc.change_log(OPERATOR)) == before


@pytest.mark.usefixtures("providers")
def test_providers_read_only_their_own_log(svc: RegistryService) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug="libraries")), UP)
    svc.register(PROVIDER_B, "mlit", as_yaml(openapi(slug="roads")), UP)
    svc.register(PROVIDER_B, "mlit", as_yaml(openapi(slug="libraries-x")), UP)
    assert [e.target for e in svc.change_log(PROVIDER_A)] == ["libraries/v1"]
    assert [e.target for e in svc.change_log(PROVIDER_B)] == ["libraries-x/v1", "roads/v1"]
    assert len(svc.change_log(OPERATOR, limit=2)) == 2


@pytest.mark.usefixtures("providers")
def test_a_failed_register_stores_nothing(
    svc: RegistryService, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database failing on the last statement (a fault we cannot cause for real) rolls
    back the API row, the version and the generation bump written before it."""
    generation = RegistryReader(store).generation()

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Unit, "record_change", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP)
    monkeypatch.undo()
    assert svc.list_apis(OPERATOR) == []
    assert RegistryReader(store).generation() == generation
    with store.read() as unit:
        assert unit.api_owner("libraries") is None
    assert svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP).slug == "libraries"
