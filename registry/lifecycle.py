"""The lifecycle state machine of an API version and the guards on each step.

draft → published → deprecated → retired (published → retired is allowed too). Pure functions:
the service reads the current state, asks these guards, and writes the result in one
transaction. Sunset dates follow CONTRACT.md: a date means 00:00 Japan time (+09:00).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from registry.address_policy import UpstreamGuard, UpstreamRefused
from registry.errors import InvalidInput, Refused
from registry.lint import LISTING_RULES, is_open_data, lint_document, listing_fields
from registry.models import (
    ApiVersionView,
    LintReport,
    RatePlan,
    Severity,
    VersionState,
    Waiver,
    sunset_instant,
)
from registry.openapi import OpenApiDocument
from registry.problems import Text
from registry.store import Draft

MAX_NOTICE_DAYS = 3650  # ten years; beyond it the sunset arithmetic leaves the calendar
JST = timezone(timedelta(hours=9))
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$")
UNSAFE_METHODS = ("post", "put", "patch", "delete")

ALLOWED_FROM: Mapping[str, frozenset[VersionState]] = {
    "publish": frozenset({VersionState.DRAFT}),
    "deprecate": frozenset({VersionState.PUBLISHED}),
    "retire": frozenset({VersionState.PUBLISHED, VersionState.DEPRECATED}),
    "waive": frozenset({VersionState.DRAFT, VersionState.PUBLISHED, VersionState.DEPRECATED}),
}
_HIDDEN = Text("（認証情報を含むため表示しません）", "(not shown: it carries credentials)")
ACTION_NAMES: Mapping[str, Text] = {
    "publish": Text("公開", "publish"),
    "deprecate": Text("非推奨化", "deprecate"),
    "retire": Text("提供終了", "retire"),
    "waive": Text("免除", "waive"),
}


def check_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise InvalidInput("invalid-slug", slug=repr(slug))
    return slug


def check_notice_days(days: int | None) -> int | None:
    if days is not None and not 0 <= days <= MAX_NOTICE_DAYS:
        raise InvalidInput("invalid-notice-days", max=MAX_NOTICE_DAYS, days=days)
    return days


def _bad_url(url: str | Text, reason: Text) -> InvalidInput:
    return InvalidInput(
        "invalid-upstream-url", url=repr(url) if isinstance(url, str) else url, reason=reason
    )


def check_upstream_url(url: str, guard: UpstreamGuard) -> str:
    """Syntax (http/https, a host, no credentials, no fragment) and the address policy for IP
    literals and local names; resolved names are checked by the gateway when it connects.
    Spaces and control characters are refused before parsing: `urlsplit` silently drops tabs,
    CR and LF, so the stored URL would not be the one the operator reviewed."""
    if any(ch <= " " or ch == "\x7f" for ch in url):
        raise _bad_url(
            url,
            Text(
                "空白や制御文字はパーセントエンコードしてください",
                "it contains a space or a control character; percent-encode it",
            ),
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _bad_url(url, Text(f"形式が不正です（{exc}）", f"malformed ({exc})")) from exc
    if parts.scheme not in ("http", "https"):
        raise _bad_url(url, Text("http か https を使ってください", "use http or https"))
    if not parts.hostname:
        raise _bad_url(url, Text("ホストがありません", "it has no host"))
    if parts.username is not None or parts.password is not None:
        raise _bad_url(
            _HIDDEN, Text("認証情報を含めないでください", "it must not contain credentials")
        )
    if parts.fragment or url.endswith("#"):
        raise _bad_url(
            url, Text("フラグメントを含めないでください", "it must not contain a fragment")
        )
    if port == 0:
        raise _bad_url(url, Text("ポート番号が不正です", "it has an invalid port"))
    try:
        guard.check_registration(parts.hostname)
    except UpstreamRefused as exc:
        raise InvalidInput("upstream-not-allowed", host=exc.host, reason=exc.why) from exc
    return url


def check_transition(action: str, slug: str, version: str, state: VersionState) -> None:
    """Refuse `action` unless the version's current state allows it."""
    allowed = ALLOWED_FROM[action]
    if state not in allowed:
        wanted = " or ".join(sorted(s.value for s in allowed))
        raise Refused(
            "wrong-state",
            action=ACTION_NAMES[action],
            api=f"{slug}/{version}",
            state=state.value,
            wanted=wanted,
        )


def publish_blockers(report: LintReport) -> list[str]:
    """Rule ids that block publishing: every error an operator has not waived, and a missing
    listing field (REG-META-01, ATG-DOC-02/05/06: `registry.lint.LISTING_RULES`) even when
    waived. A provider's own `x-lint-ignore` hides an error from the score but does
    not clear it for publication: RULES.md lets only an operator's recorded waiver do that."""
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    blocking = {f.rule for f in errors if not f.waived}
    blocking |= {f.rule for f in errors if f.rule in LISTING_RULES}
    return sorted(blocking)


def check_publishable(slug: str, version: str, report: LintReport) -> None:
    blockers = publish_blockers(report)
    if blockers:
        raise Refused("lint-errors", api=f"{slug}/{version}", rules=", ".join(blockers))


def earliest_sunset(now: datetime, notice_days: int) -> date:
    """The first date whose 00:00 +09:00 lies at least `notice_days` after `now`."""
    limit = now + timedelta(days=notice_days)
    day = limit.astimezone(JST).date()
    return day if sunset_instant(day) >= limit else day + timedelta(days=1)


def check_sunset(now: datetime, sunset: date, notice_days: int) -> datetime:
    """The sunset instant, or Refused when it is closer than the notice period."""
    earliest = earliest_sunset(now, notice_days)
    if sunset < earliest:
        raise Refused(
            "sunset-too-soon",
            sunset=sunset.isoformat(),
            days=notice_days,
            earliest=earliest.isoformat(),
        )
    return sunset_instant(sunset)


def sunset_day(sunset_at: datetime) -> date:
    """The sunset date a provider gave, from the stored instant (00:00 Japan time)."""
    return sunset_at.astimezone(JST).date()


def declares_write_scope(doc: Mapping[str, Any]) -> bool:
    """Whether calls need `<slug>:write` for unsafe methods: `x-write-scope` when the document
    says so, else whether any operation (path items behind a `$ref` included) uses POST, PUT,
    PATCH or DELETE."""
    explicit = doc.get("x-write-scope")
    if isinstance(explicit, bool):
        return explicit
    return any(op.method in UNSAFE_METHODS for op in OpenApiDocument(doc).operations)


def cors_origins(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """Browser origins the provider allows (`x-cors-origins`: a list of origins)."""
    value = doc.get("x-cors-origins")
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str))


TIMEOUT_BOUNDS = {"connect": (0.1, 30.0), "read": (0.1, 300.0)}


def upstream_timeouts(doc: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """`x-upstream-timeouts: {connect: s, read: s}` (seconds) for this API's upstream hop;
    absent keys fall back to the gateway's defaults (2 s / 10 s)."""
    value = doc.get("x-upstream-timeouts")
    if value is None:
        return None, None
    if not isinstance(value, Mapping) or set(value) - set(TIMEOUT_BOUNDS):
        raise InvalidInput(
            "invalid-upstream-timeouts",
            reason=Text(
                "connect と read（どちらか一方でも可）のマッピングにしてください",
                "it must be a mapping with `connect` and/or `read`",
            ),
        )
    found: list[float | None] = []
    for key, (low, high) in TIMEOUT_BOUNDS.items():
        seconds = value.get(key)
        if seconds is not None and (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not low <= seconds <= high
        ):
            raise InvalidInput(
                "invalid-upstream-timeouts",
                reason=Text(
                    f"{key} は {low}〜{high} 秒にしてください", f"{key} must be {low}–{high} s"
                ),
            )
        found.append(None if seconds is None else float(seconds))
    return found[0], found[1]


def as_stored(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The document as the store hands it back (JSON types), so comparisons with it are exact."""
    stored: dict[str, Any] = json.loads(json.dumps(doc, ensure_ascii=False))
    return stored


def new_draft(
    *,
    slug: str,
    version: str,
    provider_id: str,
    doc: dict[str, Any],
    source: bytes,
    upstream_url: str,
    report: LintReport,
    plan: RatePlan,
    at: datetime,
) -> Draft:
    """What registering stores: the document, its source text, report and derived flags."""
    connect_timeout, read_timeout = upstream_timeouts(doc)
    return Draft(
        slug=slug,
        version=version,
        provider_id=provider_id,
        document=doc,
        source=source.decode("utf-8", errors="replace"),
        upstream_url=upstream_url,
        report=report,
        plan=plan,
        open_data=is_open_data(doc),
        write_scope=declares_write_scope(doc),
        cors_origins=cors_origins(doc),
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        at=at,
    )


def check_reregister(current: ApiVersionView, doc: Mapping[str, Any], upstream_url: str) -> None:
    """A published or deprecated version accepts only its identical registration (a no-op);
    a retired one accepts none."""
    name = f"{current.slug}/{current.version}"
    if current.state is VersionState.RETIRED:
        raise Refused("version-retired", api=name)
    if dict(current.document) != doc:
        raise Refused("document-frozen", api=name, state=current.state.value)
    if current.upstream_url != upstream_url:
        raise Refused("upstream-frozen", api=name, state=current.state.value)


def lint_version(doc: Mapping[str, Any], waivers: Sequence[Waiver]) -> LintReport:
    """The version's report with its waived rules marked (they stop counting as errors)."""
    return lint_document(dict(doc), waivers=tuple(w.rule for w in waivers))


def report_detail(report: LintReport) -> dict[str, int]:
    """The report's headline numbers, for the change log."""
    return {"score": report.score, "errors": report.errors, "warnings": report.warnings}


def with_listing(view: ApiVersionView) -> ApiVersionView:
    """Listing fields from the document, overridden by those stored for the API."""
    listing = {**listing_fields(dict(view.document)), **view.listing}
    return view.model_copy(update={"listing": listing})
