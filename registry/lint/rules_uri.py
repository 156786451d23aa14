"""Checks for URIs and methods (ATG-URI-01..08, ATG-MTH-01; TG §2.1.1, §2.1.2, §2.1.4).

Segment heuristics: a segment is split into words at `_`, `-` and camelCase humps; the first
word decides whether it is a verb. Plurals are judged on the last word (ends in `s`, or is an
uncountable noun such as `data`, `information`, `news`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from registry.lint.context import (
    LintContext,
    Operation,
    as_dict,
    as_list,
    is_version_segment,
    segments,
    template_names,
    text,
)
from registry.lint.model import Hit
from registry.lint.pointer import join

_VERB_WORDS = (
    "get create update delete add remove search list do exec execute fetch find set edit "
    "modify insert retrieve query calc calculate run make"
)
VERBS = frozenset(_VERB_WORDS.split())
_UNCOUNTABLE_WORDS = "data information news series equipment metadata software"
UNCOUNTABLE = frozenset(_UNCOUNTABLE_WORDS.split())
_SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_BAD_VERSION = re.compile(r"^(?:v\d+(?:[._]\d+)+|V\d+(?:[._]\d+)*|\d{4}-\d{2}-\d{2}|\d{8})$")
_SORT_OR_YEAR = re.compile(r"^(?:asc|desc|ascending|descending|(?:19|20)\d{2}(?:-\d{2}){0,2})$")
_FORMAT_WORDS = frozenset({"json", "xml", "csv", "tsv", "html", "yaml", "text"})


def words(segment: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(segment)]


def static_segments(path: str) -> Iterator[tuple[int, str]]:
    for index, segment in enumerate(segments(path)):
        if "{" not in segment and not is_version_segment(segment):
            yield index, segment


def _paths(ctx: LintContext) -> list[str]:
    return [str(p) for p in as_dict(ctx.doc.get("paths"))]


def noun_segments(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-01: static segments are nouns; the method says what is done."""
    for path in _paths(ctx):
        for _, segment in static_segments(path):
            found = words(segment)
            if found and found[0] in VERBS:
                yield Hit(
                    join("/paths", path),
                    f"パス {path} のセグメント {segment} は動詞です。"
                    "名詞にして、操作はHTTPメソッドで表してください。",
                    f"Segment {segment!r} of {path} is a verb: use a noun and let the HTTP method "
                    "say what happens.",
                )


def _plural(segment: str) -> bool:
    found = words(segment)
    last = found[-1] if found else segment
    return last.endswith("s") or last in UNCOUNTABLE


def plural_collections(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-02: a segment followed by `{id}`, or answering a list, is plural."""
    flagged: set[str] = set()
    for path in _paths(ctx):
        parts = segments(path)
        for index, segment in static_segments(path):
            followed = index + 1 < len(parts) and parts[index + 1].startswith("{")
            if followed and not _plural(segment):
                flagged.add(f"{path}\n{segment}")
    for op in ctx.operations:
        last = segments(op.path)[-1] if segments(op.path) else ""
        static = last and "{" not in last and not is_version_segment(last)
        if static and ctx.list_like(op) and not _plural(last):
            flagged.add(f"{op.path}\n{last}")
    for entry in sorted(flagged):
        path, segment = entry.split("\n")
        yield Hit(
            join("/paths", path),
            f"コレクションを表すセグメント {segment} は複数形にしてください (例: {segment}s)。",
            f"Collection segment {segment!r} should be plural (e.g. {segment}s).",
        )


def _server_versions(ctx: LintContext) -> list[tuple[str, list[str]]]:
    found = []
    for index, server in enumerate(as_list(ctx.doc.get("servers"))):
        url = text(as_dict(server).get("url"))
        found.append((join("/servers", index, "url"), segments(urlsplit(url).path)))
    return found


def _bad_version_hit(pointer: str, segment: str) -> Hit:
    return Hit(
        pointer,
        f"バージョン表記 {segment} は使えません。"
        "メジャーバージョンだけを v1 の形で書いてください。",
        f"Version {segment!r} is not allowed: put only the major version as v<integer> (v1).",
    )


def version_in_base(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-03: `v<integer>` in every server URL path, or as the first segment of every path."""
    servers = _server_versions(ctx)
    for pointer, parts in servers:
        yield from (_bad_version_hit(pointer, s) for s in parts if _BAD_VERSION.match(s))
    for path in _paths(ctx):
        first = segments(path)[:1]
        if first and _BAD_VERSION.match(first[0]):
            yield _bad_version_hit(join("/paths", path), first[0])
    in_servers = bool(servers) and all(any(map(is_version_segment, p)) for _, p in servers)
    in_paths = bool(_paths(ctx)) and all(
        segments(p)[:1] and is_version_segment(segments(p)[0]) for p in _paths(ctx)
    )
    if not (in_servers or in_paths):
        yield Hit(
            "/servers",
            "ベースパスにメジャーバージョン (/v1) がありません。servers[].url のパスか、すべての"
            "パスの先頭に v<整数> を入れてください。",
            "The base path has no major version: put v<integer> (/v1) in every servers[].url "
            "path or at the start of every path.",
        )


def snake_case_segments(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-04: static segments are lowercase snake_case (an extension such as .json aside)."""
    for path in _paths(ctx):
        for _, segment in static_segments(path):
            stem = re.sub(r"\.(json|xml|csv)$", "", segment)
            if stem.isascii() and "%" not in stem and not _SNAKE.match(stem):
                yield Hit(
                    join("/paths", path),
                    f"セグメント {segment} は小文字のスネークケースにしてください "
                    "(例: city_libraries)。",
                    f"Segment {segment!r} should be lowercase snake_case (e.g. city_libraries).",
                )


def ascii_paths(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-05: no percent-encoding and no non-ASCII characters in literal segments."""
    for path in _paths(ctx):
        literal = re.sub(r"\{[^{}]*\}", "", path)
        if "%" in literal or not literal.isascii():
            yield Hit(
                join("/paths", path),
                f"パス {path} にパーセントエンコードまたは非ASCII文字があります。"
                "ローマ字のスネークケースにしてください。",
                f"Path {path} contains percent-encoding or non-ASCII characters: use romanised "
                "snake_case.",
            )


def no_sort_in_path(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-06: sort orders and year filters are query parameters, not path segments."""
    for path in _paths(ctx):
        for _, segment in static_segments(path):
            if _SORT_OR_YEAR.match(segment.lower()):
                yield Hit(
                    join("/paths", path),
                    f"セグメント {segment} は並び順や絞り込みです。sort や since などの"
                    "クエリパラメータにしてください。",
                    f"Segment {segment!r} is a sort order or filter: use a query parameter "
                    "(sort, since, ...).",
                )


def path_parameters_declared(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-07: every `{name}` in a path is a declared path parameter, and the reverse."""
    for op in ctx.operations:
        names = set(template_names(op.path))
        params = [p for p in ctx.parameters(op) if p.location == "path"]
        for name in sorted(names - {p.name for p in params}):
            yield Hit(
                op.pointer,
                f"{op.method.upper()} {op.path} の {{{name}}} が path パラメータとして"
                "宣言されていません。",
                f"{{{name}}} in {op.method.upper()} {op.path} is not declared as a path "
                "parameter: declare it.",
            )
        for param in params:
            if param.name not in names:
                yield Hit(
                    param.pointer,
                    f"path パラメータ {param.name} はパス {op.path} にありません。",
                    f"Path parameter {param.name!r} does not appear in {op.path}: remove it or "
                    "add it to the path.",
                )


def format_not_by_query(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-08: no `format` (or `type` listing formats) query parameter choosing the format."""
    for op in ctx.operations:
        for param in ctx.parameters(op):
            if param.location != "query":
                continue
            schema, _ = ctx.resolved(param.node.get("schema"), param.pointer)
            values = {str(v).lower() for v in as_list(schema.get("enum"))}
            name = param.name.lower()
            if name in ("format", "response_format", "output") or (
                name == "type" and values & _FORMAT_WORDS
            ):
                yield Hit(
                    param.pointer,
                    f"クエリパラメータ {param.name} で応答形式を選ばせないでください。"
                    "拡張子 (.json) か Accept ヘッダーを使ってください。",
                    f"Query parameter {param.name!r} selects the response format: use an "
                    "extension (.json) or the Accept header instead.",
                )


def _is_item_path(op: Operation) -> bool:
    parts = segments(op.path)
    return bool(parts) and parts[-1].startswith("{")


def method_semantics(ctx: LintContext) -> Iterator[Hit]:
    """ATG-MTH-01: GET/DELETE have no body; POST on collections; PUT/PATCH/DELETE on items."""
    for op in ctx.operations:
        verb = op.method.upper()
        if op.method in ("get", "delete") and "requestBody" in op.node:
            yield Hit(
                join(op.pointer, "requestBody"),
                f"{verb} {op.path} にリクエスト本文があります。{verb} は本文を持てません。",
                f"{verb} {op.path} has a request body: {verb} must not carry one.",
            )
        elif op.method == "post" and _is_item_path(op):
            yield Hit(
                op.pointer,
                f"POST {op.path} は個別リソースへのPOSTです。"
                "作成はコレクションへのPOSTにしてください。",
                f"POST {op.path} targets an item: create with POST on the collection.",
            )
        elif op.method in ("put", "patch", "delete") and not _is_item_path(op):
            yield Hit(
                op.pointer,
                f"{verb} {op.path} はコレクションに対する操作です。個別リソース ({{id}}) に"
                "対して使ってください。",
                f"{verb} {op.path} targets a collection: use it on an item path ({{id}}).",
            )
