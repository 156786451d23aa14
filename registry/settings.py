"""Settings shared by every part of Tsunagu, read from TSUNAGU_* variables or tsunagu.toml.

Settings live in the bottom layer so that the registry, the gateway and the portal read one
object; nothing builds them at import time (callers call `load_settings()`).

Each concern is one group (`StoreSettings`, `ProxySettings`, …, listed in `GROUPS`); `Settings`
inherits them all, so every attribute stays flat (`settings.connect_timeout_seconds`) and so
does every variable (`TSUNAGU_CONNECT_TIMEOUT_SECONDS`). `tsunagu.toml` takes the same keys
flat or in a table named after their group (`[proxy] connect_timeout_seconds = 2`). A key or a
`TSUNAGU_*` variable that names no setting is an error naming it (`unknown-setting`, ADR 0019):
a typo must not leave a default silently in force. A new setting goes into the group of its
concern (a test fails for a field declared on `Settings` itself).
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from registry.errors import InvalidInput
from registry.problems import Text

ENV_PREFIX = "TSUNAGU_"
TOML_FILE = Path("tsunagu.toml")
NON_SETTING_VARIABLES = frozenset(
    {
        "TSUNAGU_REQUIRE_SERVICES",  # tests: fail instead of skip when a service is missing
        "TSUNAGU_TEST_PG_URL",  # tests: the PostgreSQL to create schemas in
        "TSUNAGU_TEST_REDIS_URL",  # tests: the Redis to use
        "TSUNAGU_CHROMIUM",  # tests: the browser for the portal's browser tests
        "TSUNAGU_TOKEN",  # the developer guides' sandbox token for curl and code samples
        "TSUNAGU_CLIENT_ID",  # load tests: the app to take tokens for
        "TSUNAGU_CLIENT_SECRET",  # load tests: its secret
        "TSUNAGU_DEMO_CREDENTIALS",  # load tests: where `tsunagu demo` wrote its credentials
    }
)
"""`TSUNAGU_*` variables that tools and guides use and that are not settings: never refused."""


class StoreSettings(BaseModel):
    """The registry store and the files a process keeps."""

    database_url: str = "sqlite:///./var/tsunagu.db"
    var_dir: Path = Path("var")
    snapshot_poll_seconds: float = 1.0  # the safety net behind the push paths


class RedisSettings(BaseModel):
    """Redis: shared counters and the instances' pub/sub; every key and channel is namespaced."""

    redis_url: str | None = None
    redis_prefix: str = Field(default="tsunagu", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
    # Wall-clock budget of one Redis call, event-loop lag included: under a burst the loop can be
    # busy for tens of milliseconds, and a tight budget would fall back (and lose exactness).
    redis_timeout_seconds: float = Field(default=1.0, gt=0)

    def redis_key(self, *parts: str) -> str:
        """The Redis key or channel `<redis_prefix>:<part>:…`: every user of Redis names its keys
        through this, so two deployments sharing one Redis never count into each other."""
        return ":".join((self.redis_prefix, *parts))


class RegistrySettings(BaseModel):
    """The platform's public face and the lifecycle rules."""

    public_url: str = "http://127.0.0.1:8000"
    notice_days: int = Field(default=180, ge=0, le=3650)


class OAuthSettings(BaseModel):
    """The OAuth 2.0 server."""

    token_lifetime_seconds: int = Field(default=600, gt=0)
    signing_key_rotation_days: int = Field(default=30, gt=0)
    jwt_leeway_seconds: int = Field(default=30, ge=0)


class RateLimitSettings(BaseModel):
    """Rate limits (defaults; a version's plan in the registry overrides them)."""

    default_per_minute: int = 60
    default_per_day: int = 10_000
    sandbox_per_minute: int = 30
    ip_per_minute: int = Field(default=120, ge=1)  # unauthenticated or failed, per address
    ip_unknown_api_per_minute: int = Field(default=1200, ge=1)  # 404s to unknown APIs
    token_per_minute: int = Field(default=60, ge=1)  # per peer, on /oauth/token, introspect, revoke
    redis_fallback_per_minute: int = 60
    ratelimit_header_draft: int = Field(default=9, ge=6)


class ProxySettings(BaseModel):
    """The upstream hop."""

    upstream_allow: str | None = None
    max_body_bytes: int = 10 * 1024 * 1024
    connect_timeout_seconds: float = 2.0
    read_timeout_seconds: float = 10.0
    trusted_proxies: str | None = None

    def upstream_allow_list(self) -> tuple[str, ...]:
        """The TSUNAGU_UPSTREAM_ALLOW entries (hosts or CIDRs), trimmed."""
        if not self.upstream_allow:
            return ()
        return tuple(p.strip() for p in self.upstream_allow.split(",") if p.strip())


class EdgeSettings(BaseModel):
    """Limits the HTTP server enforces while parsing, before the application runs."""

    max_header_bytes: int = Field(default=32 * 1024, ge=1024)  # request line + headers → 431
    max_header_count: int = Field(default=100, ge=8)  # header fields → 431
    max_url_bytes: int = Field(default=8 * 1024, ge=256)  # request target → 414
    header_timeout_seconds: float = Field(default=10.0, gt=0)  # to receive a head → 408/close
    max_connections: int = Field(default=1024, ge=1)  # open connections per process → 503
    platform_max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)  # admin API → 413


class MonitoringSettings(BaseModel):
    """Objectives, launch watch, traffic roll-ups and where `/metrics` is served."""

    slo_availability_percent: float = Field(default=99.5, ge=50, lt=100)
    slo_latency_p95_ms: int = Field(default=1000, ge=1, le=600_000)
    launch_watch_days: int = Field(default=30, ge=0, le=365)
    traffic_hourly_retention_days: int = Field(default=35, ge=2, le=400)  # then daily rows
    traffic_flush_seconds: float = Field(default=5.0, gt=0, le=300)
    # `host:port` of a listener of its own for /metrics (the main address then answers 404)
    metrics_address: str | None = Field(default=None, pattern=r"^(\[[0-9A-Fa-f:.]+\]|[^:]+):\d+$")
    metrics_token: SecretStr | None = None  # when set, /metrics wants `Authorization: Bearer`


class LogSettings(BaseModel):
    """The process log and the access log (ADR 0018)."""

    log_level: Literal["debug", "info", "warning", "error", "critical"] = "info"
    log_format: Literal["text", "json"] = "text"
    access_log: str | None = None  # a file path, or `-` for standard output; unset: off

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value


class PortalSettings(BaseModel):
    """Developer portal: `serve` and `demo` build it at start and after registry changes."""

    portal_autobuild: bool = True
    portal_debounce_seconds: float = Field(default=2.0, ge=0)


GROUPS: Mapping[str, type[BaseModel]] = {
    "store": StoreSettings,
    "redis": RedisSettings,
    "registry": RegistrySettings,
    "oauth": OAuthSettings,
    "rate_limits": RateLimitSettings,
    "proxy": ProxySettings,
    "edge": EdgeSettings,
    "monitoring": MonitoringSettings,
    "logs": LogSettings,
    "portal": PortalSettings,
}
"""`tsunagu.toml` table name → the group of settings it may hold."""


class Settings(
    BaseSettings,
    StoreSettings,
    RedisSettings,
    RegistrySettings,
    OAuthSettings,
    RateLimitSettings,
    ProxySettings,
    EdgeSettings,
    MonitoringSettings,
    LogSettings,
    PortalSettings,
):
    """Every knob of the platform, flat; CONTRACT.md names the public ones."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = InitSettingsSource(settings_cls, init_kwargs=read_toml(TOML_FILE))
        return (init_settings, env_settings, toml)


def group_of(name: str) -> str | None:
    """The table a setting belongs to in tsunagu.toml."""
    for group, model in GROUPS.items():
        if name in model.model_fields:
            return group
    return None


def read_toml(path: Path) -> dict[str, Any]:
    """tsunagu.toml as flat keys: a table's keys must belong to its group; an unknown key or
    table, or a key set both flat and in its table, is refused naming it."""
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput("invalid-setting", name=str(path), reason=str(exc)) from exc
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in GROUPS and isinstance(value, dict):
            for inner, inner_value in value.items():
                if inner not in GROUPS[key].model_fields:
                    raise _unknown(f"[{key}] {inner}", inner, path)
                _put(flat, inner, inner_value, path)
        elif key in Settings.model_fields:
            _put(flat, key, value, path)
        else:
            raise _unknown(key, key, path)
    return flat


def _put(flat: dict[str, Any], key: str, value: Any, path: Path) -> None:
    if key in flat:
        raise InvalidInput(
            "invalid-setting",
            name=f"{path}: {key}",
            reason=Text("2回設定されています", "it is set twice"),
        )
    flat[key] = value


def check_environment(environ: Mapping[str, str]) -> None:
    """Refuse a `TSUNAGU_*` variable that names no setting (and is not a known tool's)."""
    for variable in sorted(environ):
        name = variable.upper()
        if not name.startswith(ENV_PREFIX) or name in NON_SETTING_VARIABLES:
            continue
        key = name.removeprefix(ENV_PREFIX).lower()
        if key not in Settings.model_fields:
            raise _unknown(variable, key, None)


def _unknown(shown: str, key: str, path: Path | None) -> InvalidInput:
    """`unknown-setting` naming the key, with the nearest real one when there is one."""
    where = f"{path}: {shown}" if path else shown
    group = group_of(key)
    if group is not None:  # a real setting in the wrong table
        return InvalidInput("unknown-setting", name=where, hint=_hint(f"[{group}] {key}"))
    close = difflib.get_close_matches(key, Settings.model_fields, n=1, cutoff=0.75)
    if not close:
        return InvalidInput("unknown-setting", name=where, hint="")
    suggestion = (ENV_PREFIX + close[0].upper()) if path is None else close[0]
    return InvalidInput("unknown-setting", name=where, hint=_hint(suggestion))


def _hint(suggestion: str) -> Text:
    return Text(f"（{suggestion} ではありませんか）", f" (did you mean {suggestion}?)")


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment (and tsunagu.toml), with explicit overrides;
    an unknown `TSUNAGU_*` variable or tsunagu.toml key raises `unknown-setting`."""
    check_environment(os.environ)
    return Settings(**overrides)  # type: ignore[arg-type]
