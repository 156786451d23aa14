"""The OpenAPI documents the portal hands out: the provider's document, aimed at this gateway.

The provider's `servers` name their upstream; a developer calls the gateway instead, so the
downloadable document lists the gateway's production and sandbox base URLs, and every OAuth
flow's `tokenUrl` is the gateway's own token endpoint. The try-it copy lists the sandbox only,
and its one security scheme is what the sandbox accepts: a sandbox app's token from the
client-credentials grant (API keys are production credentials and refused there).
"""

from __future__ import annotations

import copy
from typing import Any

from portal.catalogue import ApiEntry
from registry import urls


def public_document(
    entry: ApiEntry, public_url: str, *, sandbox_only: bool = False
) -> dict[str, Any]:
    """A deep copy of the version's document with gateway `servers` and token URLs."""
    doc: dict[str, Any] = copy.deepcopy(dict(entry.view.document))
    sandbox = {
        "url": urls.sandbox_base_url(public_url, entry.slug, entry.version),
        "description": "サンドボックス (Sandbox)",
    }
    production = {
        "url": urls.api_base_url(public_url, entry.slug, entry.version),
        "description": "本番 (Production)",
    }
    doc["servers"] = [sandbox] if sandbox_only else [production, sandbox]
    token = urls.token_url(public_url)
    if sandbox_only:
        return _sandbox_security(doc, entry, token)
    schemes = doc.get("components", {}).get("securitySchemes", {})
    if isinstance(schemes, dict):
        for scheme in schemes.values():
            flows = scheme.get("flows") if isinstance(scheme, dict) else None
            if not isinstance(flows, dict):
                continue
            for name, flow in flows.items():
                if isinstance(flow, dict) and name in ("clientCredentials", "password"):
                    flow["tokenUrl"] = token
    return doc


SANDBOX_SCHEME = "sandbox_app"


def _sandbox_security(doc: dict[str, Any], entry: ApiEntry, token: str) -> dict[str, Any]:
    scopes = oauth_scopes(entry) or {entry.slug: entry.title}
    flow = {"tokenUrl": token, "scopes": scopes}
    scheme = {
        "type": "oauth2",
        "description": "サンドボックス用アプリの client_id と client_secret (sandbox app)",
        "flows": {"clientCredentials": flow},
    }
    doc.setdefault("components", {})["securitySchemes"] = {SANDBOX_SCHEME: scheme}
    doc["security"] = [{SANDBOX_SCHEME: sorted(scopes)}]
    for item in (doc.get("paths") or {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            if isinstance(operation, dict):
                operation.pop("security", None)
    return doc


def oauth_scopes(entry: ApiEntry) -> dict[str, str]:
    """The scopes the document's OAuth flows declare, with their descriptions."""
    found: dict[str, str] = {}
    schemes = entry.view.document.get("components", {}).get("securitySchemes", {})
    for scheme in schemes.values() if isinstance(schemes, dict) else ():
        flows = scheme.get("flows") if isinstance(scheme, dict) else None
        for flow in flows.values() if isinstance(flows, dict) else ():
            scopes = flow.get("scopes") if isinstance(flow, dict) else None
            if isinstance(scopes, dict):
                found.update({str(k): str(v) for k, v in scopes.items()})
    return found
