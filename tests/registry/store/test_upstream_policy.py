"""Registration refuses upstreams that the address policy forbids, unless allow-listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.demo_apis import DEMO_DOCUMENTS
from registry.errors import InvalidInput
from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.settings import Settings
from registry.store import open_store

OPERATOR = Principal(role=Role.OPERATOR, subject="test")
POSTAL = next(p for p in DEMO_DOCUMENTS if p.stem == "postal").read_bytes()


def service(tmp_path: Path, allow: str | None = None) -> RegistryService:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", upstream_allow=allow)
    svc = RegistryService(open_store(settings), settings)
    svc.add_provider(OPERATOR, "digital", "デジタル庁", "Digital Agency", "a@example.go.jp")
    return svc


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/v1",
        "http://[::1]/v1",
        "http://169.254.169.254/latest",
        "http://10.0.0.8/v1",
        "http://[::ffff:192.168.0.1]/v1",
        "http://localhost:8080/v1",
        "http://metadata.internal/v1",
    ],
)
def test_internal_upstreams_are_refused_and_nothing_is_stored(tmp_path: Path, url: str) -> None:
    svc = service(tmp_path)
    with pytest.raises(InvalidInput, match="TSUNAGU_UPSTREAM_ALLOW") as refused:
        svc.register(OPERATOR, "digital", POSTAL, url)
    assert refused.value.code == "upstream-not-allowed"
    assert refused.value.message_in("ja").startswith("上流のホスト ")
    assert "TSUNAGU_UPSTREAM_ALLOW で許可できます" in refused.value.message_in("ja")
    assert svc.list_apis(OPERATOR) == []


def test_allow_list_admits_loopback_and_public_hosts_pass(tmp_path: Path) -> None:
    svc = service(tmp_path, allow="127.0.0.1/32")
    assert svc.register(OPERATOR, "digital", POSTAL, "http://127.0.0.1:9000/v1").slug == "postal"
    other = service(tmp_path / "x")
    assert (
        other.register(OPERATOR, "digital", POSTAL, "https://api.example.go.jp/v1").version == "v1"
    )


def test_per_api_upstream_timeouts_come_from_the_document(tmp_path: Path) -> None:
    import yaml

    doc = yaml.safe_load(POSTAL)
    doc["x-upstream-timeouts"] = {"connect": 0.5, "read": 30}
    svc = service(tmp_path)
    svc.register(OPERATOR, "digital", yaml.safe_dump(doc).encode(), "https://u.example.jp/v1")
    view = svc.get_version(OPERATOR, "postal", "v1")
    assert (view.connect_timeout, view.read_timeout) == (0.5, 30.0)
    doc["x-upstream-timeouts"] = {"read": 9000}
    with pytest.raises(InvalidInput, match="read must be"):
        svc.register(OPERATOR, "digital", yaml.safe_dump(doc).encode(), "https://u.example.jp/v1")
    assert svc.get_version(OPERATOR, "postal", "v1").read_timeout == 30.0  # the draft is intact


def test_api_keys_are_not_issued_to_sandbox_apps(tmp_path: Path) -> None:
    from registry.errors import Refused

    svc = service(tmp_path)
    svc.register(OPERATOR, "digital", POSTAL, "https://u.example.jp/v1")
    svc.publish(OPERATOR, "postal", "v1")
    sandbox = svc.create_app(OPERATOR, "試用", "dev@example.jp", ["postal"], True)
    with pytest.raises(Refused, match="sandbox app"):
        svc.create_api_key(OPERATOR, sandbox.client_id, ["postal"])
    production = svc.create_app(OPERATOR, "本番", "dev@example.jp", ["postal"], False)
    assert svc.create_api_key(OPERATOR, production.client_id, ["postal"]).startswith("tsk_")
