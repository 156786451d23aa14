"""The registry listing fields that come from the document (RULES.md, API概要 ◎)."""

from __future__ import annotations

import re
from typing import Any

from registry.lint.context import as_dict, as_list, text
from registry.lint.rules_security import is_open_data, security_schemes

UPDATE_FREQUENCIES = ("daily", "weekly", "monthly", "irregular", "realtime")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


GATEWAY_AUTH = "oauth2 (clientCredentials)"
GATEWAY_OPEN_DATA_AUTH = "apiKey (header: X-API-Key)"


def _auth_methods(doc: dict[str, Any]) -> list[str]:
    """What the gateway enforces, whatever the document declares (`gateway/policies/auth.py`):
    a client-credentials bearer token on every API, and an X-API-Key header on open data."""
    return [GATEWAY_AUTH, GATEWAY_OPEN_DATA_AUTH] if is_open_data(doc) else [GATEWAY_AUTH]


def listing_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """Title, description, servers, terms, licence, contact, auth, docs, tags and metadata."""
    info = as_dict(doc.get("info"))
    keywords = [k for k in as_list(doc.get("x-keywords")) if isinstance(k, str)]
    tags = [text(as_dict(t).get("name")) for t in as_list(doc.get("tags"))]
    return {
        "title": text(info.get("title")),
        "description": text(info.get("description")),
        "servers": [text(as_dict(s).get("url")) for s in as_list(doc.get("servers"))],
        "terms_of_service": text(info.get("termsOfService")),
        "license": dict(as_dict(info.get("license"))),
        "contact": dict(as_dict(info.get("contact"))),
        "security_schemes": sorted(str(name) for name in security_schemes(doc)),
        "auth_methods": _auth_methods(doc),
        "external_docs": dict(as_dict(doc.get("externalDocs"))),
        "tags": [t for t in tags if t],
        "update_frequency": text(doc.get("x-update-frequency")),
        "data_updated": text(doc.get("x-data-updated")),
        "keywords": keywords,
        "open_data": is_open_data(doc),
        "personal_data": doc.get("x-personal-data") is True,
    }


def _present(value: Any) -> bool:
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def missing_listing_fields(doc: dict[str, Any]) -> list[str]:
    """The REG-META-01 fields absent from the document (publish is refused without them)."""
    fields = listing_fields(doc)
    required = ["title", "description", "servers", "terms_of_service", "license", "contact"]
    missing = [name for name in required if not _present(fields[name])]
    if fields["license"] and not text(fields["license"].get("name")):
        missing.append("license")
    if not fields["open_data"] and not fields["security_schemes"]:
        missing.append("auth_methods")
    return sorted(set(missing), key=[*required, "auth_methods"].index)


def missing_catalogue_fields(doc: dict[str, Any]) -> list[str]:
    """The REG-META-02 fields absent or malformed in the document."""
    fields = listing_fields(doc)
    missing = []
    if fields["update_frequency"] not in UPDATE_FREQUENCIES:
        missing.append("update_frequency")
    if not _DATE.match(fields["data_updated"]):
        missing.append("data_updated")
    if not (fields["keywords"] or fields["tags"]):
        missing.append("keywords")
    if not fields["external_docs"].get("url"):
        missing.append("external_docs")
    return missing
