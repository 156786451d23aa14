"""Frozen read models shared by the registry, the gateway and the portal.

SQL rows never leave the store: the store maps them to these models. The gateway serves from a
`Snapshot` (everything it needs on the request path) and never queries the database per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from registry.clock import JAPAN, japan_iso

JapanTime = Annotated[datetime, PlainSerializer(japan_iso, return_type=str, when_used="json")]
"""An instant kept in UTC and rendered in Japan time in JSON (admin API, CLI, change log)."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class VersionState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class Finding(Frozen):
    """One conformance finding; `path` is a JSON pointer (RFC 6901) into the document."""

    rule: str
    severity: Severity
    path: str
    message_ja: str
    message_en: str
    suppressed: bool = False
    waived: bool = False


class LintReport(Frozen):
    """The linter's verdict. `errors`/`warnings` count active (not suppressed/waived) findings."""

    score: int
    errors: int
    warnings: int
    findings: tuple[Finding, ...] = ()

    def active(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not (f.suppressed or f.waived))


class Provider(Frozen):
    id: str
    name_ja: str
    name_en: str
    contact: str
    notice_days: int | None = None
    created_at: JapanTime


class Waiver(Frozen):
    rule: str
    reason: str
    granted_by: str
    granted_at: JapanTime


class RatePlan(Frozen):
    per_minute: int = Field(default=60, ge=1, le=1_000_000)
    per_day: int = Field(default=10_000, ge=1, le=100_000_000)
    sandbox_per_minute: int = Field(default=30, ge=1, le=1_000_000)
    fail_closed: bool = False  # when the shared counter store is down: refuse instead of fallback


class Brownout(Frozen):
    """A window in which the gateway answers a deprecated version with 410 `brownout`."""

    start: JapanTime
    end: JapanTime

    def covers(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


class ApiSummary(Frozen):
    """One row of `tsunagu api list`."""

    slug: str
    version: str
    state: VersionState
    provider: str
    published_at: JapanTime | None
    sunset: JapanTime | None
    brownouts: tuple[Brownout, ...] = ()


class ApiVersionView(Frozen):
    """Everything known about one API version (admin API / portal view)."""

    slug: str
    version: str
    provider_id: str
    state: VersionState
    title: str
    # None (and the document's `servers` aimed at the gateway) for anyone but an operator and
    # the version's own provider: a ministry's upstream address is not another's business.
    upstream_url: str | None
    document: Mapping[str, Any]
    lint: LintReport
    waivers: tuple[Waiver, ...] = ()
    listing: Mapping[str, Any] = Field(default_factory=dict)
    plan: RatePlan = RatePlan()
    open_data: bool = False
    write_scope: bool = False
    cors_origins: tuple[str, ...] = ()
    connect_timeout: float | None = None
    read_timeout: float | None = None
    created_at: JapanTime
    updated_at: JapanTime
    published_at: JapanTime | None = None
    deprecated_at: JapanTime | None = None
    sunset: JapanTime | None = None
    successor: str | None = None
    note: str | None = None
    retired_at: JapanTime | None = None
    brownouts: tuple[Brownout, ...] = ()


class RouteEntry(Frozen):
    """What the gateway needs to serve one published/deprecated/retired version."""

    slug: str
    version: str
    provider_id: str
    state: VersionState
    upstream_url: str
    document: Mapping[str, Any]  # for the sandbox (validation and examples)
    plan: RatePlan
    open_data: bool
    write_scope: bool
    cors_origins: tuple[str, ...]
    connect_timeout: float | None
    read_timeout: float | None
    published_at: datetime | None
    deprecated_at: datetime | None
    sunset: datetime | None
    successor: str | None
    brownouts: tuple[Brownout, ...] = ()


class AppView(Frozen):
    """An OAuth client (an app). The secret is only ever held as a hash."""

    client_id: str
    name: str
    owner: str
    scopes: tuple[str, ...]
    sandbox: bool
    secret_hash: str
    created_at: datetime
    disabled: bool = False
    developer_id: str | None = None  # the self-service account that owns it, if any
    previous_secret_hash: str | None = None  # still accepted until previous_secret_until
    previous_secret_until: datetime | None = None
    deleted_at: datetime | None = None

    def secret_hashes(self, now: datetime) -> tuple[str, ...]:
        """The hashes a presented secret may match now: the current one, and the one it
        replaced while the rotation's overlap lasts."""
        if (
            self.previous_secret_hash
            and self.previous_secret_until
            and now < (self.previous_secret_until)
        ):
            return (self.secret_hash, self.previous_secret_hash)
        return (self.secret_hash,)


class SigningKeyView(Frozen):
    """A token signing key. `private_pem` is present only on loads meant for the issuer."""

    kid: str
    alg: Literal["ES256", "RS256"]
    public_jwk: Mapping[str, Any]
    private_pem: str | None = None
    created_at: datetime
    activates_at: datetime
    retires_at: datetime | None = None  # no longer signs after this; verifies until expires_at
    expires_at: datetime | None = None  # removed from the JWKS after this


class ApiKeyView(Frozen):
    """An API key for open-data APIs (X-API-Key header); only the hash is kept."""

    key_hash: str
    client_id: str
    slugs: tuple[str, ...]


class Snapshot(Frozen):
    """Everything the gateway serves from, frozen at one registry generation. `routes` change
    only when `routes_generation` does; the credentials (keys, revocations) with any change."""

    generation: int
    routes_generation: int = 0
    routes: Mapping[tuple[str, str], RouteEntry]
    signing_keys: tuple[SigningKeyView, ...] = ()
    api_keys: Mapping[str, ApiKeyView] = Field(default_factory=dict)
    revoked_jtis: frozenset[str] = frozenset()
    disabled_clients: frozenset[str] = frozenset()  # their tokens stop at once (app disable)
    loaded_at: datetime

    def route(self, slug: str, version: str) -> RouteEntry | None:
        return self.routes.get((slug, version))


class ChangeLogEntry(Frozen):
    id: int
    at: JapanTime
    actor: str
    action: str
    target: str
    detail: Mapping[str, Any] = Field(default_factory=dict)


class RegisterResult(Frozen):
    """What registering did; `changes` lists a published version's compatible changes
    (`{kind, breaking, pointer, message_ja, message_en}`), empty for a draft."""

    slug: str
    version: str
    state: VersionState
    lint: LintReport
    changes: tuple[Mapping[str, Any], ...] = ()


class CreatedApp(Frozen):
    """The one moment a client secret exists in clear text."""

    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    sandbox: bool


# The status classes `api consumers` breaks calls down by: 429 on its own (the app hit its
# limit), so "4xx" is every other client error and the classes add up to the count.
STATUS_CLASSES: tuple[str, ...] = ("2xx", "3xx", "4xx", "429", "5xx")


def status_class(status: int) -> str | None:
    """The class a response status is counted in (None outside 200–599)."""
    if status == 429:
        return "429"
    name = f"{status // 100}xx"
    return name if name in STATUS_CLASSES else None


class UsageRow(Frozen):
    """Calls counted by the gateway for one app and version since its last flush: every
    authenticated call, whatever its answer; `statuses` breaks `count` down by class."""

    client_id: str
    slug: str
    version: str
    count: int
    last_call: datetime
    statuses: Mapping[str, int] = Field(default_factory=dict)  # STATUS_CLASSES -> count


class ConsumerRow(Frozen):
    client_id: str
    app: str
    owner: str
    last_call: JapanTime
    count: int
    statuses: Mapping[str, int]  # every one of STATUS_CLASSES, 0 when none


def sunset_instant(day: date) -> datetime:
    """A sunset date means 00:00 Japan time (+09:00) on that date (CONTRACT.md)."""
    return datetime.combine(day, time(0, 0), tzinfo=JAPAN)


class DeveloperView(Frozen):
    """A self-service developer account (no password hash: see `Unit.password_hash`)."""

    id: str
    email: str
    terms_version: str
    terms_accepted_at: datetime
    created_at: datetime
    verified_at: datetime | None = None


class AccessState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"


class AccessRequestView(Frozen):
    """A request for a production app to call one API, and the provider's decision."""

    id: int
    client_id: str
    app: str
    slug: str
    use_description: str
    state: AccessState
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    reason: str | None = None


class DailyUsage(Frozen):
    """One Japan calendar day of one app's calls: all of them and those answered 4xx/5xx."""

    day: date
    calls: int
    errors: int
