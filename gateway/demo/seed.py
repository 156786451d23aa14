"""Seeds the demo registry: three providers, the three demo APIs, houjin v1 deprecated for v2,
an operator app, a developer app, a sandbox app and an open-data API key.

Seeding is idempotent: a second `tsunagu demo` on the same database finds everything in place
and changes nothing (it reuses the credentials file while its apps still exist).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from registry.demo_apis import DEMO_DOCUMENTS
from registry.errors import NotFound
from registry.intake.yaml_safe import load_yaml
from registry.models import VersionState
from registry.principal import Principal, Role
from registry.service import RegistryService

OPERATOR = Principal(role=Role.OPERATOR, subject="demo:seed")
PROVIDERS = (
    ("digital", "デジタル庁", "Digital Agency", "api@digital.example.go.jp"),
    ("nta", "国税庁", "National Tax Agency", "houjin-api@nta.example.go.jp"),
    (
        "mlit",
        "国土交通省",
        "Ministry of Land, Infrastructure, Transport and Tourism",
        "api@mlit.example.go.jp",
    ),
)
API_PROVIDERS = {"houjin": "nta", "postal": "digital", "facilities": "mlit"}
DEVELOPER_SCOPES = ("houjin", "postal", "facilities")


@dataclass(frozen=True)
class DemoApi:
    slug: str
    version: str
    provider: str
    document: bytes
    upstream_url: str


def demo_apis(upstream_base: dict[str, str]) -> list[DemoApi]:
    """The documents to register; houjin also gets a v2 (adds `closed_date`) to deprecate v1."""
    apis = []
    for path in DEMO_DOCUMENTS:
        slug = path.stem
        raw = path.read_bytes()
        apis.append(DemoApi(slug, "v1", API_PROVIDERS[slug], raw, upstream_base[slug] + "/v1"))
        if slug == "houjin":
            v2 = _houjin_v2(load_yaml(raw.decode("utf-8")))
            apis.append(DemoApi(slug, "v2", "nta", v2, upstream_base[slug] + "/v2"))
    return apis


def _houjin_v2(doc: dict[str, Any]) -> bytes:
    doc["info"]["version"] = "2.0.0"
    doc["info"]["description"] += "\nv2: 閉鎖した法人の閉鎖日 (closed_date) を返します。\n"
    for server in doc.get("servers", []):
        server["url"] = server["url"].replace("/v1", "/v2")
    corporation = doc["components"]["schemas"]["corporation"]
    corporation["properties"]["closed_date"] = {
        "type": "string",
        "format": "date",
        "nullable": True,
        "description": "閉鎖日 (閉鎖していなければ null)",
    }
    return json.dumps(doc, ensure_ascii=False).encode()


class DemoError(Exception):
    """A one-line reason the demo cannot start."""


class AddressInUse(Exception):
    """The gateway's address cannot be listened on (the CLI says `address-in-use`)."""

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"{address}: {reason}")
        self.address = address
        self.reason = reason


def seed_registry(service: RegistryService, apis: list[DemoApi], today: date) -> None:
    for provider_id, name_ja, name_en, contact in PROVIDERS:
        try:
            service.get_provider(OPERATOR, provider_id)
        except NotFound:
            service.add_provider(OPERATOR, provider_id, name_ja, name_en, contact)
    for api in apis:
        _check_upstream(service, api)
        state = _state(service, api.slug, api.version)
        if state is None or state is VersionState.DRAFT:
            service.register(OPERATOR, api.provider, api.document, api.upstream_url, api.slug)
            service.publish(OPERATOR, api.slug, api.version)
    if _state(service, "houjin", "v1") is VersionState.PUBLISHED:
        sunset = today + timedelta(days=service.settings.notice_days + 30)
        service.deprecate(
            OPERATOR,
            "houjin",
            "v1",
            sunset,
            successor="v2",
            note="v2 では閉鎖した法人の閉鎖日 (closed_date) を返します。v2 へ移行してください。",
        )


def _check_upstream(service: RegistryService, api: DemoApi) -> None:
    """A published demo API keeps its upstream: a re-run must use the same --port."""
    try:
        stored = service.get_version(OPERATOR, api.slug, api.version).upstream_url
    except NotFound:
        return
    if stored != api.upstream_url:
        raise DemoError(
            f"this database's demo APIs call {stored}, not {api.upstream_url}: run the demo with "
            "the --port it was seeded with, or remove the database (TSUNAGU_DATABASE_URL)"
        )


def _state(service: RegistryService, slug: str, version: str) -> VersionState | None:
    try:
        return service.get_version(OPERATOR, slug, version).state
    except NotFound:
        return None


def ensure_credentials(service: RegistryService, path: Path) -> dict[str, Any]:
    """Reuse `var/demo-credentials.json` while its apps exist; otherwise create new apps."""
    if path.exists():
        saved: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        ids = [
            saved.get(k, {}).get("client_id") for k in ("operator", "developer_app", "sandbox_app")
        ]
        if all(i and service.get_app(i) is not None for i in ids):
            return saved
    operator = service.create_app(
        OPERATOR, "デモ運用者", "operator@example.go.jp", ["tsunagu:admin"], False
    )
    developer = service.create_app(
        OPERATOR, "デモ開発者アプリ", "developer@example.jp", list(DEVELOPER_SCOPES), False
    )
    sandbox = service.create_app(
        OPERATOR, "デモ・サンドボックスアプリ", "developer@example.jp", list(DEVELOPER_SCOPES), True
    )
    api_key = service.create_api_key(OPERATOR, developer.client_id, ["postal"])
    credentials = {
        "operator": {"client_id": operator.client_id, "client_secret": operator.client_secret},
        "developer_app": {
            "client_id": developer.client_id,
            "client_secret": developer.client_secret,
            "scopes": list(developer.scopes),
        },
        "sandbox_app": {
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
            "scopes": list(sandbox.scopes),
        },
        "open_data_api_key": {"api_key": api_key, "apis": ["postal"]},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(credentials, ensure_ascii=False, indent=2), encoding="utf-8")
    path.chmod(0o600)
    return credentials
