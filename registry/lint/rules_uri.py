"""Checks for URIs and methods (ATG-URI-01..08, ATG-MTH-01; TG §2.1.1, §2.1.2, §2.1.4).

Segment heuristics: a segment is split into words at `_`, `-` and camelCase humps; the first
word decides whether it is a verb. Plurals are judged on the last word by
`registry.lint.plurals`.
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
    server_variants,
    template_names,
    text,
)
from registry.lint.model import Hit
from registry.lint.plurals import is_plural_segment, plural_suggestion
from registry.lint.pointer import join

_VERB_WORDS = (
    "get create update delete add remove search list do exec execute fetch find set edit "
    "modify insert retrieve query calc calculate run make"
)
VERBS = frozenset(_VERB_WORDS.split())
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


def plural_collections(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-02: a segment followed by `{id}`, or answering a list, is plural (judged by
    `registry.lint.plurals`, which stays silent when unsure)."""
    flagged: dict[tuple[str, str], str] = {}
    for path in _paths(ctx):
        parts = segments(path)
        for index, segment in static_segments(path):
            if index + 1 < len(parts) and parts[index + 1].startswith("{"):
                suggestion = plural_suggestion(segment, VERBS)
                if suggestion:
                    flagged[(path, segment)] = suggestion
    for op in ctx.operations:
        last = segments(op.path)[-1] if segments(op.path) else ""
        static = last and "{" not in last and not is_version_segment(last)
        if static and ctx.list_like(op):
            suggestion = plural_suggestion(last, VERBS)
            if suggestion:
                flagged[(op.path, last)] = suggestion
    for (path, segment), plural in sorted(flagged.items()):
        yield Hit(
            join("/paths", path),
            f"コレクションを表すセグメント {segment} は複数形にしてください (例: {plural})。",
            f"Collection segment {segment!r} should be plural (e.g. {plural}).",
        )


def _server_paths(ctx: LintContext) -> list[tuple[str, str, list[str]]]:
    """(pointer, resolved URL, path segments) of every root server variant; no servers → the
    gateway's own root (OAS 3 §4.8.1: `servers` defaults to `/`)."""
    found = []
    for index, server in enumerate(as_list(ctx.doc.get("servers"))):
        for url in server_variants(server):
            found.append((join("/servers", index, "url"), url, segments(urlsplit(url).path)))
    return found or [("/servers", "/", [])]


def common_leading_segments(paths: list[str]) -> list[str]:
    """The static segments every path starts with (`/api/v1/a`, `/api/v1/b` → `api`, `v1`)."""
    if not paths:
        return []
    split = [segments(p) for p in paths]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1 or "{" in parts[0]:
            break
        common.append(parts[0])
    return common


def _bad_version_hit(pointer: str, segment: str) -> Hit:
    return Hit(
        pointer,
        f"バージョン表記 {segment} は使えません。"
        "メジャーバージョンだけを v1 の形で書いてください。",
        f"Version {segment!r} is not allowed: put only the major version as v<integer> (v1).",
    )


def version_in_base(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-03: the base path (server URL path, variables resolved, plus the leading
    segments all paths share) contains `v<integer>` as a segment; no `v1.1` or dates."""
    servers = _server_paths(ctx)
    paths = _paths(ctx)
    shared = common_leading_segments(paths)
    reported: set[tuple[str, str]] = set()
    for pointer, _, parts in servers:
        for segment in parts:
            if _BAD_VERSION.match(segment) and (pointer, segment) not in reported:
                reported.add((pointer, segment))
                yield _bad_version_hit(pointer, segment)
    for path in paths:
        first = segments(path)[:1]
        if first and _BAD_VERSION.match(first[0]):
            yield _bad_version_hit(join("/paths", path), first[0])
    unversioned = sorted(
        {url for _, url, parts in servers if not any(map(is_version_segment, parts + shared))}
    )
    if paths and unversioned:
        yield Hit(
            "/servers",
            f"ベースパス ({', '.join(unversioned)} とすべてのパスに共通する先頭部分) に"
            "メジャーバージョン (/v1) がありません。servers[].url のパスか、すべてのパスの"
            "共通の先頭に v<整数> のセグメントを入れてください。",
            f"The base path ({', '.join(unversioned)} plus the segments all paths start with) "
            "has no major version: put a v<integer> segment (/v1) in the servers[].url path "
            "or at the common start of every path.",
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


def _is_collection_path(ctx: LintContext, path: str) -> bool:
    """A path known to be a collection: it takes POST, its GET answers a list, or its last
    segment is a plural noun. `/account/profile` is none of these: a singleton resource."""
    on_path = [op for op in ctx.operations if op.path == path]
    if any(op.method == "post" or ctx.is_collection_get(op) for op in on_path):
        return True
    parts = segments(path)
    last = parts[-1] if parts else ""
    return bool(last) and "{" not in last and is_plural_segment(last)


def method_semantics(ctx: LintContext) -> Iterator[Hit]:
    """ATG-MTH-01: GET/DELETE have no body; POST on collections; PUT/PATCH/DELETE on items
    (or on singleton resources such as `/account/profile`), never on a collection."""
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
        elif (
            op.method in ("put", "patch", "delete")
            and not _is_item_path(op)
            and _is_collection_path(ctx, op.path)
        ):
            yield Hit(
                op.pointer,
                f"{verb} {op.path} はコレクションに対する操作です。個別リソース ({{id}}) に"
                "対して使ってください。",
                f"{verb} {op.path} targets a collection: use it on an item path ({{id}}).",
            )


def no_trailing_slash(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-09: no path and no server URL ends in `/` (`/libraries/` and `/libraries` are
    different URLs to many clients and caches)."""
    for path in _paths(ctx):
        if len(path) > 1 and path.endswith("/"):
            yield Hit(
                join("/paths", path),
                f"パス {path} の末尾にスラッシュがあります。取り除いてください。",
                f"Path {path} ends in a slash: remove it.",
            )
    for index, server in enumerate(as_list(ctx.doc.get("servers"))):
        url = text(as_dict(server).get("url"))
        if len(urlsplit(url).path) > 1 and url.endswith("/"):
            yield Hit(
                join("/servers", index, "url"),
                f"サーバーURL {url} の末尾にスラッシュがあります。取り除いてください。",
                f"Server URL {url!r} ends in a slash: remove it.",
            )


def _shape(path: str) -> str:
    """The path with every template replaced by `{}` (and no trailing slash)."""
    return re.sub(r"\{[^{}]*\}", "{}", path.rstrip("/") or "/")


def no_equivalent_paths(ctx: LintContext) -> Iterator[Hit]:
    """ATG-URI-10: no two paths differ only in the names of their parameters (OAS 3 §4.8.8:
    such paths are identical and their routing is undefined)."""
    first_of: dict[str, str] = {}
    for path in _paths(ctx):
        shape = _shape(path)
        if "{}" not in shape:
            continue
        if shape in first_of:
            other = first_of[shape]
            yield Hit(
                join("/paths", path),
                f"パス {path} は {other} とパラメータ名が違うだけで同じパスです。"
                "1つにまとめてください。",
                f"Path {path} is the same as {other} up to parameter names: merge them.",
            )
        else:
            first_of[shape] = path
