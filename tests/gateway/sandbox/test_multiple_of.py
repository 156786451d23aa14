"""`multipleOf` is decimal: precision statements (coordinates, money) accept valid values."""

from __future__ import annotations

import pytest

from gateway.sandbox.schemas import SchemaCompiler


@pytest.mark.parametrize("dialect", ["3.0", "3.1"])
@pytest.mark.parametrize(
    ("divisor", "value", "valid"),
    [
        (1e-06, 35.641983, True),
        (1e-06, 136.924076, True),
        (1e-06, 35.6419831, False),
        (0.01, 19.99, True),
        (0.01, 19.999, False),
        (5, 15, True),
        (5, 16, False),
    ],
)
def test_decimal_multiple_of(dialect: str, divisor: float, value: float, valid: bool) -> None:
    document = {
        "openapi": "3.1.0" if dialect == "3.1" else "3.0.3",
        "components": {"schemas": {"n": {"type": "number", "multipleOf": divisor}}},
    }
    checker = SchemaCompiler(document, dialect).checker("/components/schemas/n")  # type: ignore[arg-type]
    assert (checker.issues(value) == []) is valid
