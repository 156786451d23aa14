"""Rendering the nginx and HAProxy configurations and the upstream's JSON file into a run dir.

The templates live next to this module (`templates/`); placeholders are `{{name}}`, chosen so
that nginx's own `$variables` need no escaping. An unknown or missing placeholder is an error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

TEMPLATES = Path(__file__).with_name("templates")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")

# About 400 bytes of JSON, like the probe's upstream file (§4.1).
ITEM = {
    "id": "F-000123",
    "name": "霞が関合同庁舎 (Kasumigaseki joint government building)",
    "kind": "office",
    "prefecture": "東京都",
    "city": "千代田区",
    "address": "霞が関1-1-1",
    "location": {"lat": 35.6749, "lon": 139.7503},
    "open": True,
    "capacity": 1200,
    "tags": ["accessible", "parking", "wifi"],
    "phone": "03-0000-0000",
    "updated": "2024-03-29",
    "note": "benchmark fixture served by the upstream nginx",
}


def render(template: str, **values: object) -> str:
    """The template's text with every `{{name}}` replaced; refuses unknown names."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"{template}: no value for placeholder {{{{{name}}}}}")
        return str(values[name])

    return _PLACEHOLDER.sub(value, text)


def write_config(run_dir: Path, name: str, template: str, **values: object) -> Path:
    path = run_dir / name
    path.write_text(render(template, dir=run_dir, **values), encoding="utf-8")
    return path


def write_item(run_dir: Path) -> tuple[Path, bytes]:
    """The upstream's document root with item.json; returns (root, the exact body bytes)."""
    www = run_dir / "www"
    www.mkdir(mode=0o755, exist_ok=True)
    body = json.dumps(ITEM, ensure_ascii=False, separators=(",", ":")).encode()
    (www / "item.json").write_bytes(body)
    (www / "item.json").chmod(0o644)
    return www, body


def lua_script() -> Path:
    return TEMPLATES / "bench.lua"
