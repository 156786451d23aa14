"""Checks that the values written in a document fit its schemas (ATG-DOC-09, ATG-DOC-10).

The sandbox answers with the documented examples and the portal shows them, so an example
its own schema refuses misleads every consumer. Examples are validated with the OpenAPI
dialect of the document (`openapi-schema-validator`: OAS 3.0 with `nullable`, or 3.1's JSON
Schema 2020-12), formats not asserted, local `$ref`s resolved inside the document.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any
from urllib.parse import quote

from openapi_schema_validator import OAS30Validator, OAS31Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

from registry.lint.context import LintContext, as_dict, as_list, text
from registry.lint.model import Hit
from registry.lint.pointer import join

MAX_EXAMPLES = 2_000
MAX_ERRORS_READ = 20
_DOC_URI = "urn:tsunagu:document"


def _examples(ctx: LintContext) -> Iterator[tuple[Any, str, str]]:
    """(value, pointer to the value, pointer to the schema it must fit)."""
    for schema, pointer in ctx.schemas:
        if "example" in schema:
            yield schema["example"], join(pointer, "example"), pointer
        if isinstance(schema.get("examples"), list):  # OAS 3.1 / JSON Schema `examples`
            for index, value in enumerate(schema["examples"]):
                yield value, join(pointer, "examples", index), pointer
    seen: set[str] = set()
    for holder, pointer, is_parameter in _example_holders(ctx):
        if pointer in seen:
            continue
        seen.add(pointer)
        raw_schema = holder.get("schema")
        if not isinstance(raw_schema, dict):
            continue
        schema_ptr = join(pointer, "schema")
        structured = _structured(ctx, raw_schema, schema_ptr)
        found = [(holder["example"], join(pointer, "example"))] if "example" in holder else []
        for name, raw in as_dict(holder.get("examples")).items():
            example, example_ptr = ctx.resolved(raw, join(pointer, "examples", name))
            if "value" in example:
                found.append((example["value"], join(example_ptr, "value")))
        for value, value_ptr in found:
            # a parameter example written serialised (`1,2,3` for an array) is ambiguous in
            # OAS 3 (§4.8.12.4): say nothing rather than guess the style
            if not (is_parameter and structured and isinstance(value, str)):
                yield value, value_ptr, schema_ptr


def _structured(ctx: LintContext, schema: dict[str, Any], pointer: str) -> bool:
    kind = ctx.resolved(schema, pointer)[0].get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return bool({"array", "object"} & set(kinds))


def _example_holders(ctx: LintContext) -> Iterator[tuple[dict[str, Any], str, bool]]:
    """Media type objects and parameters (flagged): the places with `example`/`examples`
    beside a `schema`."""
    for op in ctx.operations:
        for param in ctx.parameters(op):
            yield param.node, param.pointer, True
        body, body_ptr = ctx.request_body(op)
        yield from ((m.node, m.pointer, False) for m in ctx.media(body, body_ptr))
        for response in ctx.responses(op):
            for media in ctx.media(response.node, response.pointer):
                yield media.node, media.pointer, False


def examples_fit(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-09: every `example`/`examples` value validates against its schema."""
    is_31 = text(ctx.doc.get("openapi")).startswith("3.1.")
    resource = (DRAFT202012 if is_31 else DRAFT4).create_resource(ctx.doc)
    registry: Registry[Any] = Registry().with_resource(_DOC_URI, resource)
    validator_class = OAS31Validator if is_31 else OAS30Validator
    for count, (value, value_ptr, schema_ptr) in enumerate(_examples(ctx)):
        if count >= MAX_EXAMPLES:
            return
        fragment = quote(schema_ptr, safe="/~!$&'()*+,;=:@")
        validator = validator_class({"$ref": f"{_DOC_URI}#{fragment}"}, registry=registry)
        try:
            errors = list(islice(validator.iter_errors(value), MAX_ERRORS_READ))
        except Exception:  # noqa: S112 - a broken $ref is ATG-DOC-01's finding, not this one's
            continue
        if not errors:
            continue
        error = max(errors, key=lambda e: len(e.absolute_path))  # the most specific place
        where = join(value_ptr, *error.absolute_path)
        message = str(error.message).splitlines()[0][:200]
        yield Hit(
            value_ptr,
            f"例の値がスキーマに合いません ({where}: {message})。"
            "サンドボックスとポータルはこの例をそのまま返すので、スキーマに合わせてください。",
            f"The example does not fit its schema ({where}: {message}); the sandbox and the "
            "portal serve it as written, so make it valid.",
        )


_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _fits(value: Any, kinds: list[str], nullable: bool) -> bool:
    if value is None:
        return nullable or "null" in kinds
    for kind in kinds:
        allowed = _TYPES.get(kind)
        if allowed is None:
            continue
        if isinstance(value, bool) and kind != "boolean":
            continue
        if isinstance(value, allowed) or (kind == "integer" and _whole(value)):
            return True
    return False


def _whole(value: Any) -> bool:
    return isinstance(value, float) and value.is_integer()


def enum_types(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-10: every `enum` value has the schema's declared `type` (`"1"` in an integer
    enum is a string the API never sends)."""
    for schema, pointer in ctx.schemas:
        raw_type = schema.get("type")
        kinds = [str(k) for k in as_list(raw_type)] if isinstance(raw_type, list) else []
        if isinstance(raw_type, str):
            kinds = [raw_type]
        if not kinds or not isinstance(schema.get("enum"), list):
            continue
        nullable = schema.get("nullable") is True
        wrong = [v for v in schema["enum"] if not _fits(v, kinds, nullable)]
        if wrong:
            shown = ", ".join(repr(v) for v in wrong[:5])
            declared = "/".join(kinds)
            yield Hit(
                join(pointer, "enum"),
                f"enum の値 {shown} が型 {declared} に合いません。値を型に合わせてください。",
                f"enum values {shown} do not have the declared type {declared}: make them match.",
            )
