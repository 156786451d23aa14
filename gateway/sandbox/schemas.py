"""JSON Schema validators for the schemas inside one OpenAPI document (the jsonschema seam).

OpenAPI 3.1 schemas are JSON Schema Draft 2020-12 plus a vocabulary (`example`,
`discriminator`, …): openapi-schema-validator's `OAS31Validator`. OpenAPI 3.0 schemas are an
extended subset of Draft 4 (`nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`, `example`,
`readOnly`, …): `OAS30Validator` implements that dialect, so no schema conversion is needed.

The whole document is one resource in an otherwise empty `referencing.Registry`, so local
`$ref`s (recursive ones included) resolve lazily while validating, an external `$ref` is
unresolvable, and nothing is ever fetched (SECURITY-TESTS D08).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from jsonschema import validators
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4, DRAFT202012

from registry.openapi import Dialect, DocumentError, escape

DOCUMENT_URI = "urn:tsunagu:sandbox:openapi"
MAX_ISSUES = 50  # per checked value: enough to fix a request, bounded for huge bodies
MAX_MESSAGE = 300
_REQUIRED_SUFFIX = " is a required property"


@dataclass(frozen=True, slots=True)
class Issue:
    """One schema violation: a JSON pointer into the checked value and a one-line message."""

    pointer: str
    message: str


class SchemaChecker:
    """Validates values against one schema of the document."""

    def __init__(self, validator: Any) -> None:
        self._validator = validator

    def issues(self, value: Any) -> list[Issue]:
        """Every violation (at most `MAX_ISSUES`); `DocumentError` if a `$ref` cannot resolve."""
        found: list[Issue] = []
        try:
            for error in self._validator.iter_errors(value):
                found.append(Issue(_pointer(error), _shorten(_message(error))))
                if len(found) >= MAX_ISSUES:
                    break
        except Unresolvable as exc:
            raise DocumentError(f"unresolvable $ref in the API definition: {exc}") from exc
        except re.error as exc:  # an ECMA-262 pattern that Python's `re` does not understand
            raise DocumentError(f"unsupported pattern in the API definition: {exc}") from exc
        return found


def _decimal_multiple_of(
    validator: Any, divisor: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """`multipleOf` in decimal arithmetic: in binary floats 35.641983 is "not a multiple" of
    1e-06, so documents that state a precision (coordinates, money) would reject valid values."""
    if not validator.is_type(instance, "number") or isinstance(instance, bool):
        return
    try:
        remainder = Decimal(str(instance)) % Decimal(str(divisor))
    except (InvalidOperation, ArithmeticError):
        yield ValidationError(f"{instance!r} cannot be checked against multipleOf {divisor!r}")
        return
    if remainder != 0:
        yield ValidationError(f"{instance!r} is not a multiple of {divisor!r}")


_OAS30 = validators.extend(OAS30Validator, {"multipleOf": _decimal_multiple_of})
_OAS31 = validators.extend(OAS31Validator, {"multipleOf": _decimal_multiple_of})


class SchemaCompiler:
    """Builds `SchemaChecker`s for schemas at JSON pointers into one document."""

    def __init__(self, document: Mapping[str, Any], dialect: Dialect) -> None:
        spec = DRAFT202012 if dialect == "3.1" else DRAFT4
        self._registry: Registry[Any] = Registry().with_resource(
            DOCUMENT_URI, spec.create_resource(document)
        )
        self._dialect = dialect

    def checker(self, pointer: str) -> SchemaChecker:
        """A checker for the schema at `pointer` (its `$ref`s resolve within the document)."""
        root = {"$ref": DOCUMENT_URI + "#" + quote(pointer, safe="/~")}
        if self._dialect == "3.1":
            validator = _OAS31(root, registry=self._registry, format_checker=oas31_format_checker)
        else:
            validator = _OAS30(root, registry=self._registry, format_checker=oas30_format_checker)
        return SchemaChecker(validator)


def _pointer(error: ValidationError) -> str:
    """Where the error is; for a missing required property, where that property should be."""
    tokens = [escape(p) for p in error.absolute_path]
    if error.validator == "required" and error.message.endswith(_REQUIRED_SUFFIX):
        try:
            missing = ast.literal_eval(error.message[: -len(_REQUIRED_SUFFIX)])
        except (ValueError, SyntaxError):
            missing = None
        if isinstance(missing, str):
            tokens.append(escape(missing))
    return "".join("/" + t for t in tokens)


def _message(error: ValidationError) -> str:
    """jsonschema's message, except for `pattern`: it quotes the pattern's Python repr, which
    doubles every backslash (`'^\\\\d{7}$'`); show the pattern as the document wrote it."""
    if error.validator == "pattern" and isinstance(error.instance, str):
        quoted = json.dumps(error.instance, ensure_ascii=False)
        return f"{quoted} does not match the pattern {error.validator_value}"
    return str(error.message)


def _shorten(message: str) -> str:
    """One line, bounded: messages quote the offending value, which may be huge."""
    line = " ".join(message.split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"
