"""The system under test: a real `tsunagu serve` over a seeded SQLite registry, and its tokens.

`seed()` registers two published APIs whose upstream is the benchmark's nginx: `bench` with a
plan that never rejects and `benchlimit` with one request per minute (the 429 path), plus one
app allowed both. `serve()` starts the gateway; `fetch_token()` gets an ES256 access token from
its /oauth/token (RFC 6749 §4.4) and `public_pem()` turns its JWKS (RFC 7517) into the PEM
HAProxy's `jwt_verify` needs.
"""

from __future__ import annotations

import base64
import json
import shutil
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwt
from joserfc.jwk import OctKey

from load_tests import procs
from registry.demo_apis import DEMO_DOCUMENTS
from registry.intake.yaml_safe import load_yaml
from registry.models import RatePlan
from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.settings import load_settings
from registry.store import open_store

OPERATOR = Principal(role=Role.OPERATOR, subject="bench:seed")
OPEN = "bench"
LIMITED = "benchlimit"
POST = "benchpost"
NEVER = 10**12
PLAN_MAX_PER_MINUTE = 1_000_000  # RatePlan bounds; far above what one box can send
PLAN_MAX_PER_DAY = 100_000_000


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str


def environment(run_dir: Path, port: int) -> dict[str, str]:
    """TSUNAGU_* settings of the gateway: in-memory limits, an IP guard wrk never meets."""
    return {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{run_dir / 'tsunagu.db'}",
        "TSUNAGU_VAR_DIR": str(run_dir / "var"),
        "TSUNAGU_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_IP_PER_MINUTE": str(NEVER),
        "TSUNAGU_TOKEN_LIFETIME_SECONDS": "3600",
        # A portal build is a child process whose CPU would count in the measured tree (and
        # vanish from it when it exits); only the extras' portal row turns it back on.
        "TSUNAGU_PORTAL_AUTOBUILD": "false",
    }


def seed(run_dir: Path, upstream_url: str) -> Credentials:
    """Register and publish the two benchmark APIs, set their plans, create the app."""
    settings = load_settings(**_settings_overrides(run_dir))
    store = open_store(settings)
    try:
        svc = RegistryService(store, settings)
        svc.add_provider(OPERATOR, "bench", "ベンチマーク", "Benchmark", "bench@example.go.jp")
        document = next(p for p in DEMO_DOCUMENTS if p.stem == "facilities").read_bytes()
        plans = {
            OPEN: RatePlan(per_minute=PLAN_MAX_PER_MINUTE, per_day=PLAN_MAX_PER_DAY),
            LIMITED: RatePlan(per_minute=1),
        }
        for slug, plan in plans.items():
            svc.register(OPERATOR, "bench", document, upstream_url, slug=slug)
            svc.publish(OPERATOR, slug, "v1")
            svc.set_plan(OPERATOR, slug, "v1", plan)
        app = svc.create_app(OPERATOR, "bench", "bench@example.jp", [OPEN, LIMITED], False)
    finally:
        store.dispose()
    return Credentials(app.client_id, app.client_secret)


def seed_extras(run_dir: Path, upstream_url: str) -> tuple[Credentials, Credentials]:
    """What the extras measure (load_tests.extras): the `benchpost` API (facilities plus a POST
    operation) and the sandbox opened wide on `bench`; returns the credentials of an app for
    `bench` and `benchpost` and of a sandbox app for `bench`."""
    settings = load_settings(**_settings_overrides(run_dir))
    store = open_store(settings)
    try:
        svc = RegistryService(store, settings)
        document = next(p for p in DEMO_DOCUMENTS if p.stem == "facilities").read_text("utf-8")
        svc.register(OPERATOR, "bench", with_post(document), upstream_url, slug=POST)
        svc.publish(OPERATOR, POST, "v1")
        wide = RatePlan(
            per_minute=PLAN_MAX_PER_MINUTE,
            per_day=PLAN_MAX_PER_DAY,
            sandbox_per_minute=PLAN_MAX_PER_MINUTE,
        )
        for slug in (OPEN, POST):
            svc.set_plan(OPERATOR, slug, "v1", wide)
        both = svc.create_app(
            OPERATOR, "bench-post", "bench@example.jp", [OPEN, POST, f"{POST}:write"], False
        )
        sandbox = svc.create_app(OPERATOR, "bench-sandbox", "bench@example.jp", [OPEN], True)
    finally:
        store.dispose()
    return (
        Credentials(both.client_id, both.client_secret),
        Credentials(sandbox.client_id, sandbox.client_secret),
    )


def with_post(document: str) -> bytes:
    """The facilities document with `POST /facilities/{facility_id}/reports` (a JSON body)."""
    doc = load_yaml(document)
    doc["paths"]["/facilities/{facility_id}/reports"] = {
        "post": {
            "tags": ["facilities"],
            "operationId": "report_facility",
            "summary": "施設の情報の誤りを報告する",
            "description": "施設の情報の誤りを報告します (ベンチマーク用)。",
            "parameters": doc["paths"]["/facilities/{facility_id}"]["get"]["parameters"][:1],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "200": {
                    "description": "受け付けました",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object"},
                            "example": {"accepted": True},
                        }
                    },
                },
                "401": {"$ref": "#/components/responses/unauthorized"},
            },
        }
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def _settings_overrides(run_dir: Path) -> dict[str, object]:
    return {
        "database_url": f"sqlite:///{run_dir / 'tsunagu.db'}",
        "var_dir": run_dir / "var",
        "upstream_allow": "127.0.0.1",
        "redis_url": None,
    }


def tsunagu_command() -> list[str]:
    script = Path(sys.executable).with_name("tsunagu")
    if script.exists():
        return [str(script)]
    found = shutil.which("tsunagu")
    if found:
        return [found]
    return [sys.executable, "-c", "from gateway.cli import main; main()"]


def serve(
    run_dir: Path,
    port: int,
    workers: int,
    cpus: Sequence[int] | None,
    name: str,
    *,
    command: Sequence[str] | None = None,
    env: dict[str, str] | None = None,
) -> procs.Started:
    """Start `tsunagu serve` (this venv's unless `command`) and wait for /healthz."""
    argv = [*(command or tsunagu_command()), "serve", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(workers)]
    started = procs.start(
        name, argv, run_dir, cpus=cpus, env={**environment(run_dir, port), **(env or {})}
    )
    try:
        procs.wait_ready(started, f"http://127.0.0.1:{port}/healthz", deadline_seconds=60)
    except RuntimeError:
        started.stop()
        raise
    return started


def fetch_token(base_url: str, credentials: Credentials, scope: str = f"{OPEN} {LIMITED}") -> str:
    """A client-credentials access token (by default for both main benchmark APIs)."""
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "scope": scope}).encode()
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode())
    request = urllib.request.Request(  # noqa: S310 - loopback only
        base_url + "/oauth/token",
        data=form,
        headers={
            "Authorization": "Basic " + basic.decode(),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        token: str = json.loads(response.read())["access_token"]
    return token


def public_pem(base_url: str) -> bytes:
    """The gateway's first ES256 verification key (from /oauth/jwks) as a PEM public key."""
    with urllib.request.urlopen(base_url + "/oauth/jwks", timeout=10) as response:  # noqa: S310
        keys = json.loads(response.read())["keys"]
    jwk = next(k for k in keys if k.get("kty") == "EC" and k.get("crv") == "P-256")
    numbers = ec.EllipticCurvePublicNumbers(_b64int(jwk["x"]), _b64int(jwk["y"]), ec.SECP256R1())
    return numbers.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _b64int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def hs256_token(secret: str, subject: str, lifetime_seconds: int = 3600) -> str:
    """An HS256 token with the probe's claims, for HAProxy's HS256 reference frontend only."""
    now = int(time.time())
    claims = {"sub": subject, "aud": "bench", "iat": now, "exp": now + lifetime_seconds}
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(secret))
