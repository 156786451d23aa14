"""`api list` orders versions as numbers: v2 before v10."""

from __future__ import annotations

from pathlib import Path

import yaml

from registry.demo_apis import DEMO_DOCUMENTS
from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.settings import Settings
from registry.store import open_store

OPERATOR = Principal(role=Role.OPERATOR, subject="test")


def test_versions_sort_numerically(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}")
    svc = RegistryService(open_store(settings), settings)
    svc.add_provider(OPERATOR, "digital", "デジタル庁", "Digital Agency", "a@example.go.jp")
    doc = yaml.safe_load(next(p for p in DEMO_DOCUMENTS if p.stem == "postal").read_text())
    for major in (10, 2, 1):
        doc["info"]["version"] = f"{major}.0.0"
        doc["servers"] = [{"url": f"https://api.example.go.jp/postal/v{major}"}]
        svc.register(OPERATOR, "digital", yaml.safe_dump(doc).encode(), "https://u.example.jp/")
    assert [a.version for a in svc.list_apis(OPERATOR)] == ["v1", "v2", "v10"]
