"""Settings shared by every part of Tsunagu, read from TSUNAGU_* variables or tsunagu.toml.

Settings live in the bottom layer so that the registry, the gateway and the portal read one
object; nothing builds them at import time (callers call `load_settings()`).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    """Every knob of the platform; CONTRACT.md names the public ones."""

    model_config = SettingsConfigDict(
        env_prefix="TSUNAGU_", toml_file="tsunagu.toml", extra="ignore", frozen=True
    )

    database_url: str = "sqlite:///./var/tsunagu.db"
    redis_url: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    notice_days: int = Field(default=180, ge=0, le=3650)
    upstream_allow: str | None = None
    var_dir: Path = Path("var")

    # OAuth 2.0
    token_lifetime_seconds: int = Field(default=600, gt=0)
    signing_key_rotation_days: int = Field(default=30, gt=0)
    jwt_leeway_seconds: int = Field(default=30, ge=0)

    # Rate limits (defaults; a version's plan in the registry overrides them)
    default_per_minute: int = 60
    default_per_day: int = 10_000
    sandbox_per_minute: int = 30
    ip_per_minute: int = Field(default=120, ge=1)  # unauthenticated or failed, per address
    token_per_minute: int = Field(default=60, ge=1)  # per peer, on /oauth/token, introspect, revoke
    redis_fallback_per_minute: int = 60
    # Wall-clock budget of one Redis call, event-loop lag included: under a burst the loop can be
    # busy for tens of milliseconds, and a tight budget would fall back (and lose exactness).
    redis_timeout_seconds: float = Field(default=1.0, gt=0)
    ratelimit_header_draft: int = Field(default=9, ge=6)

    # Proxy
    max_body_bytes: int = 10 * 1024 * 1024
    connect_timeout_seconds: float = 2.0
    read_timeout_seconds: float = 10.0
    trusted_proxies: str | None = None

    # The edge: limits the HTTP server enforces while parsing, before the application runs
    max_header_bytes: int = Field(default=32 * 1024, ge=1024)  # request line + headers → 431
    max_header_count: int = Field(default=100, ge=8)  # header fields → 431
    max_url_bytes: int = Field(default=8 * 1024, ge=256)  # request target → 414
    header_timeout_seconds: float = Field(default=10.0, gt=0)  # to receive a head → 408/close
    max_connections: int = Field(default=1024, ge=1)  # open connections per process → 503
    platform_max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)  # admin API → 413
    ip_unknown_api_per_minute: int = Field(default=1200, ge=1)  # 404s to unknown APIs, per address

    # Snapshot refresh
    snapshot_poll_seconds: float = 1.0

    # Monitoring: default objectives (a document's x-slo overrides them) and the launch watch
    slo_availability_percent: float = Field(default=99.5, ge=50, lt=100)
    slo_latency_p95_ms: int = Field(default=1000, ge=1, le=600_000)
    launch_watch_days: int = Field(default=30, ge=0, le=365)
    traffic_hourly_retention_days: int = Field(default=35, ge=2, le=400)  # then daily rows
    traffic_flush_seconds: float = Field(default=5.0, gt=0, le=300)

    # Developer self-service (accounts, sessions, secret rotation)
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    secret_overlap_hours: int = Field(default=24, ge=0, le=24 * 30)
    # Optional log-in through an external OpenID Connect provider (issuer URL, client)
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_name: str = "OpenID Connect"  # the provider's name on the log-in button
    # Notices (ADR 0021): e-mail through SMTP when a URL is set, webhooks always; retried with
    # exponential backoff and jitter for `notice_retry_hours`, then failed
    smtp_url: str | None = None  # smtp://, smtp+starttls://, smtps:// [user:password@]host[:port]
    mail_from: str | None = None  # default: noreply@<host of TSUNAGU_PUBLIC_URL>
    notice_poll_seconds: float = Field(default=5.0, gt=0, le=300)
    notice_retry_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    notice_backoff_seconds: float = Field(default=30.0, gt=0, le=3600)  # the first retry's delay
    notice_claim_seconds: float = Field(default=300.0, gt=0, le=86400)  # then a claim is retaken
    notice_send_timeout_seconds: float = Field(default=30.0, gt=0, le=300)

    # Developer portal: `serve` and `demo` build it at start and after registry changes
    portal_autobuild: bool = True
    portal_debounce_seconds: float = Field(default=2.0, ge=0)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    def upstream_allow_list(self) -> tuple[str, ...]:
        """The TSUNAGU_UPSTREAM_ALLOW entries (hosts or CIDRs), trimmed."""
        if not self.upstream_allow:
            return ()
        return tuple(p.strip() for p in self.upstream_allow.split(",") if p.strip())


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment (and tsunagu.toml), with explicit overrides."""
    return Settings(**overrides)  # type: ignore[arg-type]
