"""The public URL layout, with one owner: every link the platform hands out is built here.

The gateway's headers (`Link: rel="deprecation"` and `rel="successor-version"`), problem
`type` URIs and `successor` members, the feeds and the portal's own pages all use these
functions, so a page can move in one place. `*_path` functions give the path (for links
relative to the gateway), `*_url` ones prefix `TSUNAGU_PUBLIC_URL`.
"""

from __future__ import annotations

PORTAL_PREFIX = "/portal/"
FEEDS_PREFIX = "/feeds/"
API_PREFIX = "/api/"


def _join(public_url: str, path: str) -> str:
    return public_url.rstrip("/") + path


def portal_path() -> str:
    """The catalogue (the portal's home page)."""
    return PORTAL_PREFIX


def api_path(slug: str, version: str) -> str:
    """The base path of a published API version on the data plane."""
    return f"{API_PREFIX}{slug}/{version}/"


def api_page_path(slug: str, version: str) -> str:
    return f"{PORTAL_PREFIX}apis/{slug}/{version}/"


def errors_page_path() -> str:
    return f"{PORTAL_PREFIX}errors/"


def error_anchor_path(code: str) -> str:
    return f"{errors_page_path()}#{code}"


def changes_feed_path() -> str:
    return f"{FEEDS_PREFIX}changes.atom"


def api_feed_path(slug: str) -> str:
    return f"{FEEDS_PREFIX}{slug}.atom"


def api_url(public_url: str, slug: str, version: str) -> str:
    return _join(public_url, api_path(slug, version))


def api_page_url(public_url: str, slug: str, version: str) -> str:
    return _join(public_url, api_page_path(slug, version))


def error_page_url(public_url: str, code: str) -> str:
    return _join(public_url, error_anchor_path(code))


def changes_feed_url(public_url: str) -> str:
    return _join(public_url, changes_feed_path())


def api_feed_url(public_url: str, slug: str) -> str:
    return _join(public_url, api_feed_path(slug))


# the gateway's own doors, as the portal and the machine-readable catalogue name them ---------
API_PREFIX = "/api/"
SANDBOX_PREFIX = "/sandbox/"
TOKEN_PATH = "/oauth/token"  # noqa: S105 - a path, not a secret
API_CATALOG_PATH = "/.well-known/api-catalog"
OPENAPI_FILE = "openapi.json"
SANDBOX_OPENAPI_FILE = "openapi-sandbox.json"
DCAT_FILE = "catalog.jsonld"


def api_base_url(public_url: str, slug: str, version: str) -> str:
    """Production calls: `{public}/api/{slug}/{version}` (no trailing slash, like `servers`)."""
    return _join(public_url, f"{API_PREFIX}{slug}/{version}")


def sandbox_base_url(public_url: str, slug: str, version: str) -> str:
    return _join(public_url, f"{SANDBOX_PREFIX}{slug}/{version}")


def token_url(public_url: str) -> str:
    return _join(public_url, TOKEN_PATH)


def api_catalog_url(public_url: str) -> str:
    return _join(public_url, API_CATALOG_PATH)


def openapi_path(slug: str, version: str, *, sandbox: bool = False) -> str:
    """The OpenAPI document of a version, downloadable beside its page."""
    name = SANDBOX_OPENAPI_FILE if sandbox else OPENAPI_FILE
    return api_page_path(slug, version) + name


def openapi_url(public_url: str, slug: str, version: str) -> str:
    return _join(public_url, openapi_path(slug, version))


def dcat_path() -> str:
    return f"{PORTAL_PREFIX}{DCAT_FILE}"


def dcat_url(public_url: str) -> str:
    return _join(public_url, dcat_path())


def portal_url(public_url: str) -> str:
    return _join(public_url, PORTAL_PREFIX)


ACCOUNT_PREFIX = f"{PORTAL_PREFIX}account/"


def account_path(page: str = "", language: str = "ja") -> str:
    """A developer self-service page (`apps/`, `verify` …): `/portal/account/…`, the English
    ones under `/portal/en/account/…` like the portal's static English pages."""
    prefix = f"{PORTAL_PREFIX}en/account/" if language == "en" else ACCOUNT_PREFIX
    return prefix + page


def account_url(public_url: str, page: str = "", language: str = "ja") -> str:
    return _join(public_url, account_path(page, language))
