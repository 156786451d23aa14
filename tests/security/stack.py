"""Seeding the registry for the security tests through the real CLI, and fetching tokens.

Layout (every version proxies to the recording upstream):

- provider `sec-a`: `secapi` v1 retired (successor v2), v2 deprecated (successor v3), v3
  published; `seclim` v1 published (the rate-limit tests give it a tiny plan).
- provider `sec-b`: `secb` v1 published, `secb` v2 a draft.
- apps: `consumer` (scopes secapi secb seclim), `narrow` (secb only), `sandbox` (secapi,
  sandbox), `operator` (tsunagu:admin), `provider_a` / `provider_b` (tsunagu:provider:…).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import yaml

from registry.demo_apis import DEMO_DOCUMENTS
from tests.e2e.harness import cli

ALLOWED_ORIGIN = "https://app.example.jp"
APPS = {
    "consumer": "secapi secb seclim",
    "narrow": "secb",
    "operator": "tsunagu:admin",
    "provider_a": "tsunagu:provider:sec-a",
    "provider_b": "tsunagu:provider:sec-b",
}
VERSIONS: tuple[tuple[str, int, str], ...] = (
    ("secapi", 1, "sec-a"),
    ("secapi", 2, "sec-a"),
    ("secapi", 3, "sec-a"),
    ("seclim", 1, "sec-a"),
    ("secb", 1, "sec-b"),
)
DRAFTS = (("secb", 2, "sec-b"),)


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str


def write_document(tmp: Path, slug: str, major: int) -> Path:
    """The demo houjin document under another slug and major version, with a CORS origin."""
    source = next(p for p in DEMO_DOCUMENTS if p.stem == "houjin")
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    doc["x-slug"] = slug
    doc["x-cors-origins"] = [ALLOWED_ORIGIN]
    doc["info"]["version"] = f"{major}.0.0"
    for server in doc.get("servers", []):
        server["url"] = server["url"].replace("/v1", f"/v{major}")
    path = tmp / f"{slug}-v{major}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def sunset() -> date:
    """A sunset past the default 180-day notice period."""
    return datetime.now(UTC).date() + timedelta(days=400)


def _parallel(env: Mapping[str, str], commands: Sequence[tuple[str, ...]]) -> list[str]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return [r.stdout for r in pool.map(lambda c: cli(env, *c), commands)]


def seed(env: Mapping[str, str], tmp: Path, upstream_url: str, until: date) -> dict[str, Client]:
    """Register, publish and deprecate through the CLI; returns the apps' credentials."""
    _parallel(
        env,
        [
            ("provider", "add", p, "--name-ja", "試験", "--name-en", p, "--contact", f"{p}@ex.jp")
            for p in ("sec-a", "sec-b")
        ],
    )
    register = [
        (
            "api",
            "register",
            str(write_document(tmp, slug, major)),
            "--provider",
            provider,
            "--upstream",
            f"{upstream_url}/{slug}/v{major}",
            "--slug",
            slug,
        )
        for slug, major, provider in (*VERSIONS, *DRAFTS)
    ]
    _parallel(env, register)
    _parallel(env, [("api", "publish", slug, f"v{major}") for slug, major, _ in VERSIONS])
    for version, successor in (("v1", "v2"), ("v2", "v3")):
        cli(
            env,
            "api",
            "deprecate",
            "secapi",
            version,
            "--sunset",
            until.isoformat(),
            "--successor",
            successor,
        )
    cli(env, "api", "retire", "secapi", "v1")
    apps: list[tuple[str, ...]] = [
        ("app", "create", "--name", n, "--owner", f"{n}@ex.jp", "--scopes", s, "--format", "json")
        for n, s in APPS.items()
    ]
    apps.append(("app", "create", "--name", "sandbox", "--owner", "sb@ex.jp", "--scopes"))
    apps[-1] += ("secapi", "--sandbox", "--format", "json")
    names = [*APPS, "sandbox"]
    created = [json.loads(out) for out in _parallel(env, apps)]
    return {
        n: Client(c["client_id"], c["client_secret"]) for n, c in zip(names, created, strict=True)
    }


def token(base_url: str, client: Client, scope: str | None = None) -> str:
    """A client-credentials access token from the real token endpoint (HTTP Basic)."""
    form = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    response = httpx.post(
        base_url + "/oauth/token", data=form, auth=(client.client_id, client.client_secret)
    )
    assert response.status_code == 200, response.text
    value: str = response.json()["access_token"]
    return value
