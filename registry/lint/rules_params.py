"""Checks for query and path parameters (ATG-PRM-01..07; TG §2.1.3 表2-1)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from registry.lint.context import LintContext, Param, as_dict, as_list
from registry.lint.model import Hit
from registry.lint.pointer import join

_SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
# Page-size names other than `limit` (compared without "_", "-", case): `per_page` is an
# error of ATG-PRM-01, the others warnings of ATG-PRM-02.
PER_PAGE = "perpage"
_PAGE_SIZE_WARN = frozenset(
    {"pagesize", "size", "count", "max", "itemsperpage", "maxresults", "rows", "maxrecords"}
)
_POSITION_NAMES = frozenset({"offset", "page", "skip", "start", "startindex", "pagenumber"})
FIELDS_THRESHOLD = 10
# Non-standard names for the standard meanings of 表2-1 (compared without "_", "-", case).
STANDARD_NAMES = {
    "orderby": "sort",
    "sortby": "sort",
    "order": "sort",
    "sortorder": "sort",
    "from": "since",
    "startdate": "since",
    "datefrom": "since",
    "fromdate": "since",
    "to": "until",
    "enddate": "until",
    "dateto": "until",
    "todate": "until",
    "select": "fields",
    "columns": "fields",
    "attributes": "fields",
    "skip": "offset",
    "start": "offset",
    "startindex": "offset",
    "pagenumber": "page",
    "pageno": "page",
    "pagenum": "page",
}


def _squash(name: str) -> str:
    return re.sub(r"[_\-]", "", name).lower()


def _query(ctx: LintContext) -> Iterator[tuple[str, Param]]:
    for op in ctx.operations:
        for param in ctx.parameters(op):
            if param.location == "query":
                yield f"{op.method.upper()} {op.path}", param


def limit_name(ctx: LintContext) -> Iterator[Hit]:
    """ATG-PRM-01: the page-size parameter is `limit`, never `per_page`."""
    for where, param in _query(ctx):
        if _squash(param.name) == PER_PAGE:
            yield Hit(
                join(param.pointer, "name"),
                f"{where} の {param.name} は limit に改名してください (件数指定は limit)。",
                f"Rename {param.name!r} of {where} to 'limit' (the page-size parameter).",
            )


def pagination(ctx: LintContext) -> Iterator[Hit]:
    """ATG-PRM-02: a collection GET declares `limit` and `offset` or `page`."""
    for where, param in _query(ctx):
        if _squash(param.name) in _PAGE_SIZE_WARN:
            yield Hit(
                join(param.pointer, "name"),
                f"{where} の件数パラメータ {param.name} は limit にしてください。",
                f"Page-size parameter {param.name!r} of {where} should be named 'limit'.",
            )
    for op in ctx.operations:
        if not ctx.is_collection_get(op):
            continue
        names = {_squash(p.name) for p in ctx.parameters(op) if p.location == "query"}
        # a page size or position under another name is reported at that name (one defect,
        # one finding): here only what is missing altogether
        has_size = bool(names & {"limit", PER_PAGE, *_PAGE_SIZE_WARN})
        if not has_size or not names & _POSITION_NAMES:
            yield Hit(
                op.pointer,
                f"一覧を返す GET {op.path} に limit と offset (または page) を宣言してください。",
                f"Collection GET {op.path} should declare 'limit' and 'offset' (or 'page').",
            )


def limit_default(ctx: LintContext) -> Iterator[Hit]:
    """ATG-PRM-03: `limit` has a default of at most 100."""
    for where, param in _query(ctx):
        if param.name != "limit":
            continue
        schema, _ = ctx.resolved(param.node.get("schema"), param.pointer)
        default = schema.get("default")
        if not isinstance(default, int) or isinstance(default, bool) or default > 100:
            yield Hit(
                join(param.pointer, "schema"),
                f"{where} の limit には100以下の default を指定してください。",
                f"'limit' of {where} needs a default of 100 or less.",
            )


def fields_parameter(ctx: LintContext) -> Iterator[Hit]:
    """ATG-PRM-04: an item with 10 or more properties can be trimmed with `fields`."""
    for op in ctx.operations:
        found = ctx.success_schema(op) if op.method == "get" else None
        if found is None:
            continue
        schema, pointer = found
        props = ctx.object_properties(schema, pointer)
        for key in ("results", "result"):
            if key in props:
                items, items_ptr = ctx.resolved(as_dict(props[key][0]).get("items"), pointer)
                props = ctx.object_properties(items, items_ptr)
        names = {p.name for p in ctx.parameters(op) if p.location == "query"}
        if len(props) >= FIELDS_THRESHOLD and "fields" not in names:
            yield Hit(
                op.pointer,
                f"GET {op.path} の応答項目が{len(props)}個あります。取得項目を選ぶ fields "
                "パラメータを用意してください。",
                f"GET {op.path} returns {len(props)} properties: offer a 'fields' query "
                "parameter to select them.",
            )


def renamed_elsewhere(name: str) -> bool:
    """A name another rule already asks to replace (`per_page`, `pageSize`, `orderBy`)."""
    squashed = _squash(name)
    return squashed == PER_PAGE or squashed in _PAGE_SIZE_WARN or squashed in STANDARD_NAMES


def parameter_snake_case(ctx: LintContext) -> Iterator[Hit]:
    """ATG-PRM-05: query, path and cookie parameter names are snake_case (names that
    ATG-PRM-01/02/06 already ask to rename are left to them)."""
    for op in ctx.operations:
        for param in ctx.parameters(op):
            if param.location == "header" or _SNAKE.match(param.name):
                continue
            if param.location == "query" and renamed_elsewhere(param.name):
                continue
            yield Hit(
                join(param.pointer, "name"),
                f"パラメータ名 {param.name} はスネークケースにしてください (例: created_at)。",
                f"Parameter name {param.name!r} should be snake_case (e.g. created_at).",
            )


def standard_names(ctx: LintContext) -> Iterator[Hit]:
    """ATG-PRM-06: standard names for standard meanings (sort, since, until, fields, ...)."""
    for where, param in _query(ctx):
        standard = STANDARD_NAMES.get(_squash(param.name))
        if standard:
            yield Hit(
                join(param.pointer, "name"),
                f"{where} の {param.name} には標準名 {standard} を使ってください。",
                f"Use the standard name {standard!r} instead of {param.name!r} in {where}.",
            )


def comma_separated(ctx: LintContext) -> Iterator[Hit]:
    """ATG-PRM-07: multi-valued query parameters are comma-separated (form, explode: false)."""
    for where, param in _query(ctx):
        schema, _ = ctx.resolved(param.node.get("schema"), param.pointer)
        if schema.get("type") != "array" and "array" not in as_list(schema.get("type")):
            continue
        if param.node.get("style", "form") != "form" or param.node.get("explode") is not False:
            yield Hit(
                param.pointer,
                f"{where} の複数値パラメータ {param.name} はカンマ区切りにしてください "
                "(style: form, explode: false)。",
                f"Multi-valued {param.name!r} of {where} should be comma-separated "
                "(style: form, explode: false).",
            )
