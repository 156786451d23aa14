"""Small OpenAPI documents for end-to-end tests (conforming, so they can be published)."""

from __future__ import annotations

from pathlib import Path

import yaml

from registry.demo_apis import DEMO_DOCUMENTS


def demo_document(slug: str) -> Path:
    return next(p for p in DEMO_DOCUMENTS if p.stem == slug)


def write_variant(tmp: Path, slug: str, new_slug: str, major: int = 1) -> Path:
    """A copy of a demo document under another slug (and major version)."""
    doc = yaml.safe_load(demo_document(slug).read_text(encoding="utf-8"))
    doc["x-slug"] = new_slug
    doc["info"]["version"] = f"{major}.0.0"
    for server in doc.get("servers", []):
        server["url"] = server["url"].replace("/v1", f"/v{major}")
    path = tmp / f"{new_slug}-v{major}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
