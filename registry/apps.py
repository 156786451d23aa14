"""Apps (OAuth clients) and API keys: scope validation, credential minting, who may do what.

Scopes name APIs (`<slug>` to read, `<slug>:write` to write) or the platform's own admin API
(`tsunagu:admin` for operators, `tsunagu:provider:<provider id>` for one provider).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from registry import secrets
from registry.clock import Clock
from registry.errors import Forbidden, InvalidInput, NotFound, Refused
from registry.models import ApiKeyView, AppView, CreatedApp, UsageRow
from registry.principal import Principal, Role
from registry.store import Store, Unit

ADMIN_SCOPE = "tsunagu:admin"
PROVIDER_SCOPE_PREFIX = "tsunagu:provider:"
WRITE_SUFFIX = ":write"


class AppOperations:
    """The app, API key and usage part of `RegistryService` (mixed into it)."""

    store: Store
    clock: Clock

    def create_app(
        self, principal: Principal, name: str, owner: str, scopes: Sequence[str], sandbox: bool
    ) -> CreatedApp:
        wanted = normalise_scopes(scopes)
        authorize_app_creation(principal, owner, wanted, sandbox)
        now = self.clock()
        stored, created = new_app(name, owner, wanted, sandbox, now)
        with self.store.write() as unit:
            check_scopes(unit, wanted)
            unit.add_app(stored)
            detail = {"name": name, "owner": owner, "scopes": list(wanted), "sandbox": sandbox}
            unit.record_change(
                now,
                principal.subject,
                "app.create",
                f"app:{stored.client_id}",
                detail,
                routes=False,
            )
        return created

    def get_app(self, client_id: str) -> AppView | None:
        with self.store.read() as unit:
            return unit.app(client_id)

    def create_api_key(self, principal: Principal, client_id: str, slugs: Sequence[str]) -> str:
        now = self.clock()
        with self.store.write() as unit:
            stored, key = new_api_key(unit, principal, client_id, slugs)
            unit.add_api_key(stored, now)
            detail = {"slugs": list(stored.slugs)}
            unit.record_change(
                now, principal.subject, "apikey.create", f"app:{client_id}", detail, routes=False
            )
        return key

    def record_usage(self, rows: list[UsageRow]) -> None:
        if rows:
            self.store.add_usage(rows)


def normalise_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """Split on whitespace, drop empties and duplicates, keep order (`--scopes ""` → ())."""
    seen: dict[str, None] = {}
    for item in scopes:
        for scope in item.split():
            seen.setdefault(scope, None)
    return tuple(seen)


def check_scopes(unit: Unit, scopes: tuple[str, ...]) -> None:
    """Every scope must name an existing API or provider, or the admin scope."""
    unknown: list[str] = []
    slugs = {s.removesuffix(WRITE_SUFFIX) for s in scopes if not s.startswith("tsunagu:")}
    known = unit.known_slugs(slugs) if slugs else set()
    for scope in scopes:
        if scope == ADMIN_SCOPE:
            continue
        if scope.startswith(PROVIDER_SCOPE_PREFIX):
            if unit.provider(scope.removeprefix(PROVIDER_SCOPE_PREFIX)) is None:
                unknown.append(scope)
        elif scope.removesuffix(WRITE_SUFFIX) not in known:
            unknown.append(scope)
    if unknown:
        raise InvalidInput("unknown-scopes", scopes=" ".join(unknown))


def authorize_app_creation(
    principal: Principal, owner: str, scopes: tuple[str, ...], sandbox: bool
) -> None:
    """Operators create any app; a developer creates sandbox apps for itself with API scopes."""
    if principal.role is Role.OPERATOR:
        return
    if principal.role is not Role.DEVELOPER:
        raise Forbidden("app-create-forbidden")
    if not sandbox or owner != principal.subject:
        raise Forbidden("production-app-forbidden")
    if any(s.startswith("tsunagu:") for s in scopes):
        raise Forbidden("platform-scope-forbidden")


def new_app(
    name: str, owner: str, scopes: tuple[str, ...], sandbox: bool, at: datetime
) -> tuple[AppView, CreatedApp]:
    """The stored app (secret hashed) and the one-time answer carrying the clear secret."""
    if not name.strip() or not owner.strip():
        raise InvalidInput("app-incomplete")
    client_id, secret = secrets.new_client_id(), secrets.new_client_secret()
    stored = AppView(
        client_id=client_id,
        name=name,
        owner=owner,
        scopes=scopes,
        sandbox=sandbox,
        secret_hash=secrets.hash_secret(secret),
        created_at=at,
    )
    created = CreatedApp(client_id=client_id, client_secret=secret, scopes=scopes, sandbox=sandbox)
    return stored, created


def new_api_key(
    unit: Unit, principal: Principal, client_id: str, slugs: Iterable[str]
) -> tuple[ApiKeyView, str]:
    """An API key for open-data APIs only: the stored view (hash) and the clear key."""
    app = unit.app(client_id)
    if app is None:
        raise NotFound("app-not-found", client_id=client_id)
    if principal.role is not Role.OPERATOR and not (
        principal.role is Role.DEVELOPER and app.owner == principal.subject
    ):
        raise Forbidden("api-key-forbidden")
    if app.disabled:
        raise Refused("app-disabled", client_id=client_id)
    if app.sandbox:
        raise Refused("sandbox-app-api-key", client_id=client_id)
    wanted = normalise_scopes(slugs)
    if not wanted:
        raise InvalidInput("api-key-needs-api")
    not_open = sorted(set(wanted) - unit.open_data_slugs(wanted))
    if not_open:
        raise InvalidInput("api-key-not-open-data", slugs=" ".join(not_open))
    key = secrets.new_api_key()
    return ApiKeyView(key_hash=secrets.hash_secret(key), client_id=client_id, slugs=wanted), key
