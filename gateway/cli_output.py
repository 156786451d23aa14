"""Renders the CLI's results: one JSON document (`--format json`) or readable text lines.

JSON keys follow CONTRACT.md exactly; datetimes are ISO 8601 in Japan time with their offset
(`2027-06-19T00:00:00+09:00`), in JSON and text alike. Text is for people: aligned tables and
`key: value` lines, Japanese printed as is.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import orjson

from registry.clock import japan_iso

if TYPE_CHECKING:  # imported when rendering, not when the CLI starts (gateway/cli.py)
    from registry.models import (
        ApiSummary,
        ApiVersionView,
        Brownout,
        ConsumerRow,
        CreatedApp,
        LintReport,
        Provider,
        RegisterResult,
    )
    from registry.problems import Language


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def emit_json(document: object) -> None:
    """Write one JSON document (UTF-8, non-ASCII kept as is) and a newline to stdout."""
    sys.stdout.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n")
    sys.stdout.flush()


def emit_lines(lines: Sequence[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()


def emit(fmt: OutputFormat, document: object, lines: Sequence[str]) -> None:
    if fmt is OutputFormat.JSON:
        emit_json(document)
    else:
        emit_lines(lines)


def iso(value: datetime | None) -> str | None:
    """An instant as a person reads it: Japan time with the offset."""
    return japan_iso(value) if value is not None else None


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A plain aligned table; `-` stands for an empty cell. East Asian text counts as wide."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [_width(h) for h in headers]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]
    out = [_line(headers, widths)]
    out.extend(_line(row, widths) for row in cells)
    return out


def _cell(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, datetime):
        return japan_iso(value)
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    padded = [v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)]
    return "  ".join(padded).rstrip()


def lint_counts(report: LintReport) -> dict[str, int]:
    return {"score": report.score, "errors": report.errors, "warnings": report.warnings}


def lint_lines(report: LintReport) -> list[str]:
    from registry.lint import report_lines

    return report_lines(report)


def register_json(result: RegisterResult) -> dict[str, Any]:
    """CONTRACT.md's shape; a compatible change of a published version adds `changes`."""
    document: dict[str, Any] = {
        "slug": result.slug,
        "version": result.version,
        "state": result.state.value,
        "lint": lint_counts(result.lint),
    }
    if result.changes:
        document["changes"] = [dict(c) for c in result.changes]
    return document


def register_lines(result: RegisterResult, language: Language) -> list[str]:
    head = f"registered {result.slug} {result.version} ({result.state.value})"
    changes = [f"  {c['pointer'] or '/'}: {c[f'message_{language}']}" for c in result.changes]
    return [head, *changes, *lint_lines(result.lint)]


def provider_json(provider: Provider) -> dict[str, Any]:
    return {
        "id": provider.id,
        "name_ja": provider.name_ja,
        "name_en": provider.name_en,
        "contact": provider.contact,
        "notice_days": provider.notice_days,
        "created_at": iso(provider.created_at),
    }


def mapping_lines(data: Mapping[str, object]) -> list[str]:
    return [f"{key}: {_cell(value)}" for key, value in data.items()]


def version_json(view: ApiVersionView) -> dict[str, Any]:
    """A version's lifecycle facts (the document itself stays out of the CLI's output)."""
    return {
        "slug": view.slug,
        "version": view.version,
        "state": view.state.value,
        "provider": view.provider_id,
        "title": view.title,
        "published_at": iso(view.published_at),
        "deprecated_at": iso(view.deprecated_at),
        "sunset": iso(view.sunset),
        "successor": view.successor,
        "note": view.note,
        "retired_at": iso(view.retired_at),
        "brownouts": brownouts_json(view.brownouts),
        "lint": lint_counts(view.lint),
        "waivers": [
            {"rule": w.rule, "reason": w.reason, "granted_by": w.granted_by} for w in view.waivers
        ],
    }


def version_lines(view: ApiVersionView) -> list[str]:
    data = version_json(view)
    data["lint"] = f"score {view.lint.score}, {view.lint.errors} errors"
    data["waivers"] = ", ".join(w.rule for w in view.waivers)
    data["brownouts"] = brownouts_text(view.brownouts)
    return mapping_lines(data)


def brownouts_json(windows: Sequence[Brownout]) -> list[dict[str, str | None]]:
    return [{"start": iso(w.start), "end": iso(w.end)} for w in windows]


def brownouts_text(windows: Sequence[Brownout]) -> str:
    """`2027-05-01 10:00–10:30, …` in Japan time: the windows in one table cell."""
    return ", ".join(_window(w) for w in windows)


def _window(window: Brownout) -> str:
    start, end = iso(window.start) or "", iso(window.end) or ""
    same_day = start[:10] == end[:10]
    return (
        f"{start[:16].replace('T', ' ')}–{end[11:16] if same_day else end[:16].replace('T', ' ')}"
    )


def summaries_json(rows: Sequence[ApiSummary]) -> list[dict[str, Any]]:
    return [
        {
            "slug": r.slug,
            "version": r.version,
            "state": r.state.value,
            "provider": r.provider,
            "published_at": iso(r.published_at),
            "sunset": iso(r.sunset),
            "brownouts": brownouts_json(r.brownouts),
        }
        for r in rows
    ]


def summaries_lines(rows: Sequence[ApiSummary]) -> list[str]:
    headers = ("SLUG", "VERSION", "STATE", "PROVIDER", "PUBLISHED", "SUNSET", "BROWNOUTS")
    return table(
        headers,
        [
            (
                r.slug,
                r.version,
                r.state.value,
                r.provider,
                r.published_at,
                r.sunset,
                brownouts_text(r.brownouts),
            )
            for r in rows
        ],
    )


def consumers_json(rows: Sequence[ConsumerRow]) -> list[dict[str, Any]]:
    return [
        {
            "client_id": r.client_id,
            "app": r.app,
            "owner": r.owner,
            "last_call": iso(r.last_call),
            "count": r.count,
            "statuses": dict(r.statuses),
        }
        for r in rows
    ]


def consumers_lines(rows: Sequence[ConsumerRow]) -> list[str]:
    """One row per app; the status columns (2xx, 3xx, 4xx, 429, 5xx) add up to COUNT (for
    calls counted since migration 0004: older ones have no breakdown)."""
    from registry.models import STATUS_CLASSES

    headers = ("CLIENT_ID", "APP", "OWNER", "LAST_CALL", "COUNT", *STATUS_CLASSES)
    classes = STATUS_CLASSES
    body = [
        [r.client_id, r.app, r.owner, r.last_call, r.count, *map(r.statuses.get, classes)]
        for r in rows
    ]
    return table(headers, body)


def created_app_json(app: CreatedApp) -> dict[str, Any]:
    return {
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "scopes": list(app.scopes),
        "sandbox": app.sandbox,
    }


def created_app_lines(app: CreatedApp) -> list[str]:
    return [
        f"client_id: {app.client_id}",
        f"client_secret: {app.client_secret}",
        f"scopes: {' '.join(app.scopes) or '-'}",
        f"sandbox: {'yes' if app.sandbox else 'no'}",
        "The client secret is shown only this once; store it now.",
    ]
