"""The machine-readable catalogue: an RFC 9727 api-catalog linkset and a DCAT 3 export.

Both list the published and deprecated versions (what can be called today), with links built
by `registry.urls`, so the gateway's headers, the pages and these files agree.
"""

from __future__ import annotations

from typing import Any

from portal.catalogue import ApiEntry, Catalogue
from registry import urls
from registry.models import VersionState

CALLABLE = (VersionState.PUBLISHED, VersionState.DEPRECATED)
OPENAPI_JSON = "application/vnd.oai.openapi+json"
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def _callable(catalogue: Catalogue) -> list[ApiEntry]:
    return [e for e in catalogue.entries if e.view.state in CALLABLE]


def api_catalog(catalogue: Catalogue) -> dict[str, Any]:
    """RFC 9727 §4.2 linkset (RFC 9264 JSON): the catalogue's `item`s, then per API its
    `service-desc` (OpenAPI) and `service-doc` (portal page)."""
    public = catalogue.public_url
    entries = _callable(catalogue)
    linkset: list[dict[str, Any]] = [
        {
            "anchor": urls.api_catalog_url(public),
            "item": [
                {"href": urls.api_base_url(public, e.slug, e.version), "title": e.title}
                for e in entries
            ],
        }
    ]
    for e in entries:
        links: dict[str, Any] = {
            "anchor": urls.api_base_url(public, e.slug, e.version),
            "service-desc": [
                {"href": urls.openapi_url(public, e.slug, e.version), "type": OPENAPI_JSON}
            ],
            "service-doc": [
                {"href": urls.api_page_url(public, e.slug, e.version), "type": "text/html"}
            ],
        }
        if e.view.state is VersionState.DEPRECATED:
            links["deprecation"] = links["service-doc"]
        linkset.append(links)
    return {"linkset": linkset}


def _texts(ja: str, en: str) -> list[dict[str, str]]:
    return [{"@value": ja, "@language": "ja"}, {"@value": en, "@language": "en"}]


def _service(entry: ApiEntry, public: str) -> dict[str, Any]:
    listing = entry.listing
    service: dict[str, Any] = {
        "@id": urls.api_base_url(public, entry.slug, entry.version),
        "@type": "dcat:DataService",
        "dct:identifier": f"{entry.slug}/{entry.version}",
        "dct:title": {"@value": entry.title, "@language": "ja"},
        "dct:description": {"@value": str(listing.get("description") or ""), "@language": "ja"},
        "dcat:endpointURL": {"@id": urls.api_base_url(public, entry.slug, entry.version)},
        "dcat:endpointDescription": {"@id": urls.openapi_url(public, entry.slug, entry.version)},
        "dcat:landingPage": {"@id": urls.api_page_url(public, entry.slug, entry.version)},
        "dcat:keyword": list(entry.keywords),
        "owl:versionInfo": entry.version,
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": _texts(entry.provider.name_ja, entry.provider.name_en),
        },
    }
    license_url = (listing.get("license") or {}).get("url")
    if license_url:
        service["dct:license"] = {"@id": str(license_url)}
    email = (listing.get("contact") or {}).get("email") or entry.provider.contact
    if email:
        service["dcat:contactPoint"] = {"@type": "vcard:Kind", "vcard:hasEmail": f"mailto:{email}"}
    if listing.get("data_updated"):
        service["dct:modified"] = str(listing["data_updated"])
    return service


def dcat_catalogue(catalogue: Catalogue) -> dict[str, Any]:
    """A `dcat:Catalog` of `dcat:DataService`s, as JSON-LD, for open-data catalogue sites."""
    public = catalogue.public_url
    return {
        "@context": DCAT_CONTEXT,
        "@id": urls.dcat_url(public),
        "@type": "dcat:Catalog",
        "dct:title": _texts("行政 API カタログ", "Government API catalogue"),
        "foaf:homepage": {"@id": urls.portal_url(public)},
        "dcat:service": [_service(e, public) for e in _callable(catalogue)],
    }
