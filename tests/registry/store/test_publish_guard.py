"""Errors hidden with x-lint-ignore still block publishing; only an operator waiver clears one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from registry.demo_apis import DEMO_DOCUMENTS
from registry.errors import Refused
from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.settings import Settings
from registry.store import open_store

OPERATOR = Principal(role=Role.OPERATOR, subject="test")


def test_suppressed_errors_block_until_an_operator_waives_them(tmp_path: Path) -> None:
    doc = yaml.safe_load(next(p for p in DEMO_DOCUMENTS if p.stem == "postal").read_text())
    doc["servers"] = [{"url": "http://api.example.go.jp/postal/v1"}]  # ATG-SEC-01: not https
    doc["x-lint-ignore"] = ["ATG-SEC-01"]
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}")
    svc = RegistryService(open_store(settings), settings)
    svc.add_provider(OPERATOR, "digital", "デジタル庁", "Digital Agency", "a@example.go.jp")
    result = svc.register(OPERATOR, "digital", yaml.safe_dump(doc).encode(), "https://u.example.jp")
    assert result.lint.errors == 0  # suppressed: it does not count in the score
    assert any(f.rule == "ATG-SEC-01" and f.suppressed for f in result.lint.findings)
    with pytest.raises(Refused, match="ATG-SEC-01"):
        svc.publish(OPERATOR, "postal", "v1")
    svc.waive(OPERATOR, "postal", "v1", "ATG-SEC-01", "TLS terminates at the ministry's edge")
    assert svc.publish(OPERATOR, "postal", "v1").state.value == "published"
