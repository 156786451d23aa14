"""ATG-DOC-01: the document is structurally valid OpenAPI 3.0.x or 3.1.x.

openapi-spec-validator does the validation. It is never allowed to fetch anything: documents
with a non-local `$ref` (another file, a URL) are reported and not handed to it, and its
resolver handlers refuse every scheme anyway. Dangling and purely cyclic local `$ref` chains
(which make the validator raise or recurse without end) are reported here first, and so are
`allOf` bombs (`registry.lint.expansion`), which the validator would walk for ever.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NoReturn, cast

from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.keywords import (
    KeywordValidator,
    OpenAPIV30ValueValidator,
    OpenAPIV31ValueValidator,
)

from registry.lint.context import LintContext, as_dict, text
from registry.lint.expansion import combinator_steps_exceed
from registry.lint.model import Hit
from registry.lint.pointer import MISSING, join, lookup
from registry.openapi import MAX_REF_HOPS

MAX_STRUCTURE_FINDINGS = 25
_DATA_KEYS = frozenset({"example", "default", "enum", "const"})


def _refuse(uri: str) -> NoReturn:
    raise ValueError(f"fetching {uri} is not allowed")


_NO_FETCH = {"<all_urls>": _refuse, "http": _refuse, "https": _refuse, "file": _refuse}


# The validator's errors are jsonschema `ValidationError`s; they are read here by their
# attributes only (`path`, `absolute_path`, `context`, `validator`, `message`), so jsonschema
# stays behind the validator (import contract "third-party libraries behind one module each").
_Error = Any


def _located(schema: SchemaPath, errors: Iterator[_Error]) -> Iterator[_Error]:
    """The validator checks each `default` against its schema but reports the errors without
    a place; put them at `<schema>/default`, where the wrong value is."""
    for error in errors:
        error.path.extendleft(reversed([*schema.parts, "default"]))
        yield error


class _Default30(OpenAPIV30ValueValidator):
    def __call__(self, schema: SchemaPath, value: Any) -> Iterator[_Error]:
        return _located(schema, super().__call__(schema, value))


class _Default31(OpenAPIV31ValueValidator):
    def __call__(self, schema: SchemaPath, value: Any) -> Iterator[_Error]:
        return _located(schema, super().__call__(schema, value))


_KEYWORDS_30: dict[str, type[KeywordValidator]] = {
    **OpenAPIV30SpecValidator.keyword_validators,
    "default": _Default30,
}
_KEYWORDS_31: dict[str, type[KeywordValidator]] = {
    **OpenAPIV31SpecValidator.keyword_validators,
    "default": _Default31,
}


class _V30(OpenAPIV30SpecValidator):
    resolver_handlers = _NO_FETCH  # type: ignore[assignment]
    keyword_validators = _KEYWORDS_30


class _V31(OpenAPIV31SpecValidator):
    resolver_handlers = _NO_FETCH  # type: ignore[assignment]
    keyword_validators = _KEYWORDS_31


def refs(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every `$ref` string in the document (outside example data), with the pointer to it."""
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack:
        value, pointer = stack.pop()
        if isinstance(value, dict):
            for raw_key, child in value.items():
                key = str(raw_key)
                if key == "$ref" and isinstance(child, str):
                    yield join(pointer, key), child
                elif key not in _DATA_KEYS and not key.startswith("x-"):
                    stack.append((child, join(pointer, key)))
        elif isinstance(value, list):
            stack.extend((child, join(pointer, i)) for i, child in enumerate(value))


def is_supported(doc: dict[str, Any]) -> bool:
    """OpenAPI 3.0.x or 3.1.x: the only versions the other rules can read."""
    return text(doc.get("openapi")).startswith(("3.0.", "3.1."))


def unsupported_version_hit(doc: dict[str, Any]) -> Hit:
    """The one finding for a document the linter cannot read (Swagger 2.0, no version)."""
    if "swagger" in doc:
        swagger = str(doc.get("swagger"))
        return Hit(
            "/swagger",
            f"Swagger {swagger} の文書は登録できません。OpenAPI 3.0 または 3.1 に変換してから"
            "検査してください (例: swagger2openapi)。ほかの規則は変換後に適用します。",
            f"Swagger {swagger} documents are not accepted: convert the document to OpenAPI "
            "3.0 or 3.1 (e.g. with swagger2openapi) and lint it again; the other rules run "
            "after conversion.",
        )
    return Hit(
        "/openapi",
        "openapi に 3.0.x または 3.1.x を指定してください。",
        "Set openapi to 3.0.x or 3.1.x.",
    )


def _ref_problem(doc: dict[str, Any], ref: str, known: dict[str, str | None]) -> str | None:
    """Follow a chain of `$ref`s to its end. `known` keeps the outcome of every ref met on a
    chain, so each ref is followed once per document: a chain of N refs costs N steps, not
    N²/2 (a 1 MB chain kept the linter busy for minutes)."""
    if not ref.startswith("#"):
        return "external"
    chain: list[str] = []
    seen: set[str] = set()
    problem: str | None = None
    while ref.startswith("#"):
        if ref in known:
            problem = known[ref]
            break
        if ref in seen:
            problem = "cycle"
            break
        chain.append(ref)
        seen.add(ref)
        target = lookup(doc, ref[1:])
        if target is MISSING:
            problem = "dangling"
            break
        ref = text(as_dict(target).get("$ref"))
    else:
        problem = "external" if ref else None
    known.update(dict.fromkeys(chain, problem))
    return problem


_REF_MESSAGES = {
    "external": (
        "外部の $ref ({ref}) は使えません。参照先を文書内の components に含めてください。",
        "external $ref not allowed ({ref}): include the target under components.",
    ),
    "dangling": (
        "$ref の参照先 {ref} が文書内にありません。",
        "$ref target {ref} does not exist in the document.",
    ),
    "cycle": (
        "$ref {ref} が自分自身を参照しています (循環)。",
        "$ref {ref} refers back to itself without reaching a definition (cycle).",
    ),
}


def _own_problem(doc: dict[str, Any], ref: str, problem: str) -> bool:
    """The chain's problem lies in this very `$ref` (a local ref that only leads to a bad one
    is left to the bad one: one defect, one finding)."""
    if problem == "external":
        return not ref.startswith("#")
    if problem == "dangling":
        return lookup(doc, ref[1:]) is MISSING
    return True


def _ref_hits(doc: dict[str, Any]) -> list[Hit]:
    hits = []
    known: dict[str, str | None] = {}
    for pointer, ref in refs(doc):
        problem = _ref_problem(doc, ref, known)
        if problem and _own_problem(doc, ref, problem):
            ja, en = _REF_MESSAGES[problem]
            hits.append(Hit(pointer, ja.format(ref=ref), en.format(ref=ref)))
    return hits


def _validator(version: str) -> type[OpenAPIV30SpecValidator] | type[OpenAPIV31SpecValidator]:
    return _V31 if version.startswith("3.1.") else _V30


_REASONS_JA = {
    "type": "値の型が違います",
    "required": "必須の項目がありません",
    "additionalProperties": "ここでは使えない項目があります",
    "unevaluatedProperties": "ここでは使えない項目があります",
    "enum": "許されていない値です",
    "const": "許されていない値です",
    "oneOf": "どの形式にも合いません",
    "anyOf": "どの形式にも合いません",
    "pattern": "書式 (パターン) に合いません",
    "format": "書式が違います",
    "minItems": "要素が足りません",
    "uniqueItems": "要素が重複しています",
    "minLength": "値が短すぎます",
    "minimum": "値が小さすぎます",
    "maximum": "値が大きすぎます",
    "patternProperties": "項目名が書式に合いません",
}


def deepest(error: _Error) -> _Error:
    """The most specific error under a `oneOf`/`anyOf` failure: the one deepest in the
    document (a wrong `description` inside a response, not "the response matches no form")."""
    while error.context:
        candidates = [e for e in error.context if not _only_wants_ref(e)] or list(error.context)
        best = max(candidates, key=lambda e: len(e.absolute_path))
        if len(best.absolute_path) < len(error.absolute_path):
            break
        error = best
    return error


def document_pointer(doc: dict[str, Any], path: Iterable[Any]) -> str:
    """The pointer of a validator path in the document as written. The validator walks
    through `$ref`s, so its path (`…/items/properties/x`) may not exist literally; every
    local `$ref` met on the way is followed to where the value really is."""
    pointer, node = "", cast(Any, doc)
    for token in path:
        for _ in range(MAX_REF_HOPS):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#")):
                break
            target = lookup(doc, ref[1:])
            if target is MISSING:
                break
            pointer, node = ref[1:], target
        if isinstance(node, dict) and str(token) in node:
            node = node[str(token)]
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            node = None
        pointer = join(pointer, token)
    return pointer


def _only_wants_ref(error: _Error) -> bool:
    """The branch "this could have been a `$ref`", which never explains a mistake."""
    return error.validator == "required" and "'$ref'" in str(error.message)


def _validation_hits(doc: dict[str, Any], version: str) -> Iterator[Hit]:
    """One finding per validator error, at the deepest pointer the validator gives, with a
    Japanese explanation and the validator's own (English) text as the detail."""
    try:
        for error in _validator(version)(doc).iter_errors():
            found = deepest(error) if getattr(error, "context", None) else error
            where = document_pointer(doc, getattr(found, "absolute_path", ()))
            message = str(getattr(found, "message", found)).splitlines()[0][:300]
            reason = _REASONS_JA.get(str(getattr(found, "validator", "")), "構造に誤りがあります")
            place = where or "文書のルート"
            yield Hit(
                where,
                f"{place} が OpenAPI {version} に合いません: {reason}。(検証器の詳細: {message})",
                f"The document is not valid OpenAPI {version} at {where or 'the root'}: {message}",
            )
    except (Exception, RecursionError) as exc:
        yield Hit(
            "",
            f"OpenAPI の構造検査を完了できませんでした ({type(exc).__name__})。",
            f"Structural validation could not complete ({type(exc).__name__}).",
        )


def valid_openapi(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-01: OpenAPI 3.0.x/3.1.x, local `$ref`s only, structurally valid."""
    version = text(ctx.doc.get("openapi"))
    if not is_supported(ctx.doc):
        yield unsupported_version_hit(ctx.doc)
        return
    ref_hits = _ref_hits(ctx.doc)
    yield from ref_hits
    if ref_hits:
        return
    if combinator_steps_exceed(ctx.doc):
        yield Hit(
            "/components/schemas",
            "allOf/anyOf/oneOf が同じスキーマを何重にも参照しており、展開すると大きくなりすぎます。"
            "入れ子を浅くしてください (構造検査は行いませんでした)。",
            "allOf/anyOf/oneOf reference the same schemas over and over and expand too far: "
            "flatten the nesting (structural validation was skipped).",
        )
        return
    for count, found in enumerate(_validation_hits(ctx.doc, version)):
        if count >= MAX_STRUCTURE_FINDINGS:
            break
        yield found
