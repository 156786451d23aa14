"""What a document says about its own identity: its major version and a default slug."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from registry.intake.errors import IntakeError
from registry.problems import Text

_VERSION = re.compile(r"^[vV]?(\d{1,9})(?:[.\-+_].*)?$")  # a major beyond 9 digits is a typo
_DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$")
_PATH_VERSION = re.compile(r"^v\d+(?:[._]\d+)*$", re.IGNORECASE)
# Words that say nothing about an API: a slug made only of them (`api`, `rest-api`, `v1`)
# would name every API alike, so `default_slug` refuses it and asks for --slug.
_MEANINGLESS = frozenset(
    {
        *("api", "apis", "rest", "restful", "path", "paths", "service", "services", "svc"),
        *("ws", "webservice", "webservices", "web", "public", "private", "internal"),
        *("external", "openapi", "swagger", "root", "base", "index", "default", "json"),
        *("xml", "app", "main", "v", "version", "gateway", "proxy", "endpoint", "endpoints"),
        *("resource", "resources", "spec", "specification", "doc", "docs", "test", "sample"),
        *("example", "demo", "http", "https", "www", "server", "backend", "data"),
    }
)


def document_major_version(doc: Mapping[str, Any]) -> str:
    """`v<major>` from `info.version` ("1.2.0" → "v1", "2" → "v2")."""
    info = doc.get("info")
    raw = info.get("version") if isinstance(info, Mapping) else None
    if isinstance(raw, bool) or raw is None:
        raise IntakeError(
            Text(
                "info.version がありません。"
                "1.0.0 のようなセマンティックバージョンを指定してください",
                "info.version is missing; give it a semantic version such as 1.0.0",
            )
        )
    match = _VERSION.match(str(raw).strip())
    if not match or _DATE.match(str(raw).strip()):
        raise IntakeError(
            Text(
                f"info.version {raw!r} の先頭にメジャー番号がありません。"
                "1.0.0 のように指定してください",
                f"info.version {raw!r} has no leading major number; use a version such as 1.0.0",
            )
        )
    return f"v{int(match.group(1))}"


def slugify(text: str) -> str:
    """Lowercase ASCII letters, digits and single hyphens; other characters become hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")


def says_nothing(slug: str) -> bool:
    """Every word of the slug is a version or a word such as `api`, `rest`, `path`."""
    return all(w in _MEANINGLESS or _PATH_VERSION.match(w) for w in slug.split("-"))


def default_slug(doc: Mapping[str, Any]) -> str:
    """The slug from `x-slug`, else the first static path segment, else the ASCII title;
    a derived slug that says nothing about the API (`api`, `v1`, `rest-api`) is skipped, and
    when nothing better is left the caller is asked for --slug."""
    explicit = doc.get("x-slug")
    if explicit is not None:
        if isinstance(explicit, str) and _SLUG.match(explicit):
            return explicit
        raise IntakeError(
            Text(
                f"x-slug {explicit!r} はスラッグとして使えません。"
                "a-z、0-9、'-' の2〜40文字にしてください",
                f"x-slug {explicit!r} is not a slug: use 2-40 characters of a-z, 0-9 and '-'",
            )
        )
    skipped = ""
    for candidate in (_first_path_segment(doc), _ascii_title(doc)):
        slug = slugify(candidate)
        if _SLUG.match(slug) and says_nothing(slug):
            skipped = skipped or slug
        elif _SLUG.match(slug):
            return slug
    if skipped:
        raise IntakeError(
            Text(
                f"文書から決めたスラッグ {skipped!r} ではAPIの内容が分かりません。"
                "--slug（例：--slug city-libraries）か x-slug を指定してください",
                f"the slug {skipped!r} derived from the document says nothing about the API; "
                "pass --slug (e.g. --slug city-libraries) or set x-slug",
            )
        )
    raise IntakeError(
        Text(
            "文書からスラッグを決められません。--slug を指定してください",
            "cannot derive a slug from the document; pass --slug",
        )
    )


def _first_path_segment(doc: Mapping[str, Any]) -> str:
    paths = doc.get("paths")
    if not isinstance(paths, Mapping):
        return ""
    for path in paths:
        for segment in str(path).split("/"):
            if segment and "{" not in segment and not _PATH_VERSION.match(segment):
                return segment
    return ""


def _ascii_title(doc: Mapping[str, Any]) -> str:
    info = doc.get("info")
    title = info.get("title") if isinstance(info, Mapping) else None
    return title if isinstance(title, str) and title.isascii() else ""
