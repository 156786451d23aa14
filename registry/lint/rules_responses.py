"""Checks for responses and errors (ATG-RSP-01..06, ATG-ERR-01..03; TG §2.2.1-2.2.2).

Problem details follow RFC 9457 §3 (members `type`, `title`, `status`, `detail`, `instance`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from registry.lint.context import LintContext, Media, Operation, Response, as_dict, as_list
from registry.lint.model import Hit
from registry.lint.pointer import join
from registry.models import Severity

_BINARY = frozenset(
    {
        "application/zip",
        "application/x-zip-compressed",
        "application/octet-stream",
        "application/gzip",
        "application/x-gzip",
        "application/x-7z-compressed",
        "application/x-tar",
    }
)
_KML = frozenset({"application/vnd.google-earth.kml+xml", "application/vnd.google-earth.kmz"})
_ERROR_WORDS = re.compile(r"\b(?:error|errors|failure|failed)\b|エラー|失敗", re.IGNORECASE)
_ERROR_PROPS = frozenset({"error", "errors", "error_code", "errorcode", "error_message"})


def _bare(media_type: str) -> str:
    return media_type.split(";", maxsplit=1)[0].strip().lower()


def _all_media(ctx: LintContext) -> Iterator[tuple[Operation, Response | None, Media]]:
    for op in ctx.operations:
        body, body_ptr = ctx.request_body(op)
        for media in ctx.media(body, body_ptr):
            yield op, None, media
        for response in ctx.responses(op):
            for media in ctx.media(response.node, response.pointer):
                yield op, response, media


def utf8_charset(ctx: LintContext) -> Iterator[Hit]:
    """ATG-RSP-01: a declared charset is UTF-8."""
    seen: set[str] = set()
    for _, _, media in _all_media(ctx):
        match = re.search(r"charset\s*=\s*\"?([\w\-]+)", media.type, re.IGNORECASE)
        charset = match.group(1).lower().replace("_", "-") if match else "utf-8"
        if match and charset not in ("utf-8", "utf8") and media.pointer not in seen:
            seen.add(media.pointer)
            yield Hit(
                media.pointer,
                f"文字コード {match.group(1)} は使えません。UTF-8 にしてください。",
                f"Charset {match.group(1)} is not allowed: use UTF-8.",
            )


def _official(op: Operation) -> bool:
    return op.node.get("x-official-document") is True


def json_offered(ctx: LintContext) -> Iterator[Hit]:
    """ATG-RSP-02: data responses offer JSON (`application/json` or a `+json` type)."""
    for op in ctx.operations:
        if _official(op):
            continue
        for response in ctx.responses(op):
            kinds = [_bare(m.type) for m in ctx.media(response.node, response.pointer)]
            if response.status.startswith("2") and kinds and not any("json" in k for k in kinds):
                yield Hit(
                    join(response.pointer, "content"),
                    f"{op.method.upper()} {op.path} の {response.status} 応答に application/json "
                    "がありません。JSON を提供してください。",
                    f"The {response.status} response of {op.method.upper()} {op.path} does not "
                    "offer application/json: add it.",
                )


def no_binary(ctx: LintContext) -> Iterator[Hit]:
    """ATG-RSP-03: no zip/octet-stream payloads outside `x-official-document: true`."""
    for op, _, media in _all_media(ctx):
        if _bare(media.type) in _BINARY and not _official(op):
            yield Hit(
                media.pointer,
                f"{op.method.upper()} {op.path} で {media.type} は使えません。データはJSONで"
                "返してください (申請書・公文書は x-official-document: true)。",
                f"{media.type} is not allowed in {op.method.upper()} {op.path}: return data as "
                "JSON (forms and official documents: x-official-document: true).",
            )


def domain_formats(ctx: LintContext) -> Iterator[Hit]:
    """ATG-RSP-04: GeoJSON, iCalendar and vCard for their domains; KML is not used, neither
    as a media type nor as a value a parameter offers (`format=kml`)."""
    message = (
        "KML は測地系を表せないため使えません。GeoJSON (application/geo+json) にしてください。",
        "KML cannot state its datum: use GeoJSON (application/geo+json) instead.",
    )
    for _, _, media in _all_media(ctx):
        if _bare(media.type) in _KML:
            yield Hit(media.pointer, *message)
    seen: set[str] = set()
    for op in ctx.operations:
        for param in ctx.parameters(op):
            schema, _ = ctx.resolved(param.node.get("schema"), param.pointer)
            choices = {str(v).lower() for v in as_list(schema.get("enum"))}
            if choices & {"kml", "kmz"} and param.pointer not in seen:
                seen.add(param.pointer)
                yield Hit(param.pointer, *message)


def _resultset_ok(ctx: LintContext, schema: dict[str, object], pointer: str) -> bool:
    props = ctx.object_properties(schema, pointer)
    results = as_dict(props.get("results", props.get("result", ({}, "")))[0])
    metadata, meta_ptr = props.get("metadata", ({}, pointer))
    resultset, set_ptr = ctx.object_properties(as_dict(metadata), meta_ptr).get(
        "resultset", ({}, pointer)
    )
    counts = ctx.object_properties(as_dict(resultset), set_ptr)
    integers = all(
        as_dict(counts.get(k, ({}, ""))[0]).get("type") == "integer"
        for k in ("count", "offset", "limit")
    )
    return results.get("type") == "array" and integers


def collection_envelope(ctx: LintContext) -> Iterator[Hit]:
    """ATG-RSP-05: a JSON collection has `metadata.resultset` and a `results` array."""
    for op in ctx.operations:
        found = ctx.success_schema(op) if ctx.is_collection_get(op) else None
        if found is None or _resultset_ok(ctx, found[0], found[1]):
            continue
        yield Hit(
            found[1],
            f"GET {op.path} の一覧応答は metadata.resultset (count, offset, limit: 整数) と "
            "results 配列を持つオブジェクトにしてください。",
            f"The collection response of GET {op.path} must be an object with "
            "metadata.resultset (integer count, offset, limit) and a results array.",
        )


_ENVELOPE_PROPS = frozenset({"status", "success", "message", "code"})


def _looks_like_error(ctx: LintContext, response: Response) -> bool:
    """The 2xx response describes a failure: its description says so, it is a problem
    document, or its body is an error (error members required, or nothing but them). An
    envelope with an optional `error` beside the data (CKAN, many gateways) is not."""
    if _ERROR_WORDS.search(str(response.node.get("description", ""))):
        return True
    for media in ctx.media(response.node, response.pointer):
        if "problem" in media.type:
            return True
        schema, pointer = ctx.resolved(media.node.get("schema"), media.pointer)
        props = {k.lower() for k in ctx.object_properties(schema, pointer)}
        required = {str(k).lower() for k in as_list(schema.get("required"))}
        if props & _ERROR_PROPS and (
            required & _ERROR_PROPS or props <= _ERROR_PROPS | _ENVELOPE_PROPS
        ):
            return True
    return False


def no_errors_in_2xx(ctx: LintContext) -> Iterator[Hit]:
    """ATG-RSP-06: failures are declared under 4xx/5xx, never as a 2xx answer."""
    for op in ctx.operations:
        for response in ctx.responses(op):
            if response.status.startswith("2") and _looks_like_error(ctx, response):
                yield Hit(
                    response.pointer,
                    f"{op.method.upper()} {op.path} の {response.status} 応答がエラーを表して"
                    "います。失敗は 4xx/5xx で返してください。",
                    f"The {response.status} response of {op.method.upper()} {op.path} describes "
                    "a failure: answer failures with 4xx/5xx.",
                )


def _succeeds(status: str) -> bool:
    """2xx, or 3xx for redirects (`2XX` ranges included)."""
    return status[:1] in ("2", "3")


def _error_responses(ctx: LintContext) -> Iterator[tuple[Operation, Response]]:
    """4xx/5xx responses, and `default` where a success response exists beside it: an
    operation whose only response is `default` answers its data with it (RSP-07 says so)."""
    for op in ctx.operations:
        responses = ctx.responses(op)
        has_success = any(_succeeds(r.status) for r in responses)
        for response in responses:
            if response.status[:1] in ("4", "5") or (response.status == "default" and has_success):
                yield op, response


def success_declared(ctx: LintContext) -> Iterator[Hit]:
    """ATG-RSP-07: every operation declares a 2xx (or 3xx) response; `default` is not one."""
    for op in ctx.operations:
        statuses = [r.status for r in ctx.responses(op)]
        if any(_succeeds(s) for s in statuses):
            continue
        only_default = statuses == ["default"]
        yield Hit(
            join(op.pointer, "responses"),
            f"{op.method.upper()} {op.path} に成功時の応答 (2xx、リダイレクトなら 3xx) が"
            "ありません。"
            + (
                "default だけでは成功応答になりません。200 などで宣言してください。"
                if only_default
                else "200 などで宣言してください。"
            ),
            f"{op.method.upper()} {op.path} declares no success response (2xx, or 3xx for "
            "redirects)"
            + (
                ": `default` alone is not one; declare 200 (or another 2xx)."
                if only_default
                else ": declare 200 (or another 2xx)."
            ),
        )


def problem_json(ctx: LintContext) -> Iterator[Hit]:
    """ATG-ERR-01: 4xx/5xx responses use `application/problem+json` (RFC 9457 §3)."""
    seen: set[str] = set()
    for op, response in _error_responses(ctx):
        kinds = [_bare(m.type) for m in ctx.media(response.node, response.pointer)]
        if "application/problem+json" not in kinds and response.pointer not in seen:
            seen.add(response.pointer)
            yield Hit(
                response.pointer,
                f"{op.method.upper()} {op.path} の {response.status} 応答は "
                "application/problem+json (RFC 9457) で返してください。",
                f"The {response.status} response of {op.method.upper()} {op.path} should use "
                "application/problem+json (RFC 9457).",
            )


def problem_schema(ctx: LintContext) -> Iterator[Hit]:
    """ATG-ERR-02: a problem schema requires `title`; `detail` is recommended (warning)."""
    seen: set[str] = set()
    for _, response in _error_responses(ctx):
        for media in ctx.media(response.node, response.pointer):
            if "problem" not in media.type:
                continue
            schema, pointer = ctx.resolved(media.node.get("schema"), join(media.pointer, "schema"))
            if pointer in seen:
                continue
            seen.add(pointer)
            if "title" not in as_list(schema.get("required")):
                yield Hit(
                    pointer,
                    "問題詳細スキーマの required に title を入れてください。",
                    "The problem schema must list 'title' as required.",
                )
            if "detail" not in ctx.object_properties(schema, pointer):
                yield Hit(
                    pointer,
                    "問題詳細スキーマに detail (どこが問題かの説明) を加えてください。",
                    "Add 'detail' (where the problem is) to the problem schema.",
                    Severity.WARNING,
                )


def usual_failures(ctx: LintContext) -> Iterator[Hit]:
    """ATG-ERR-03: operations document 400, 401, 404 and 500 where they apply."""
    secured = bool(ctx.doc.get("security"))
    for op in ctx.operations:
        statuses = {r.status for r in ctx.responses(op)}
        if "default" in statuses:
            continue
        expected = {"500"}
        if ctx.parameters(op) or "requestBody" in op.node:
            expected.add("400")
        if bool(op.node.get("security", secured)):
            expected.add("401")
        if "{" in op.path:
            expected.add("404")
        missing = sorted(expected - statuses)
        if missing:
            yield Hit(
                join(op.pointer, "responses"),
                f"{op.method.upper()} {op.path} に {', '.join(missing)} の応答を記載してください。",
                f"Document the {', '.join(missing)} responses of {op.method.upper()} {op.path}.",
            )
