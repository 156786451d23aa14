"""`load_document`: bytes in, a plain mapping out, or a one-line `IntakeError`.

Order of checks: size (before anything is decoded), UTF-8 (strict; a BOM is allowed), then
JSON (when the text starts with `{`, via the json module with a duplicate-key hook) or YAML
(`registry.intake.yaml_safe`), then the shape (a mapping at the top, nesting within limits),
then the values: no NaN or Infinity and no NUL character, which JSON text or a PostgreSQL
`jsonb`/`text` column cannot hold. Nothing here touches the network or the file system.
"""

from __future__ import annotations

import json
import math
from typing import Any

from registry.intake.errors import IntakeError
from registry.intake.limits import MAX_BYTES, MAX_DEPTH, MAX_INT_DIGITS, MAX_NODES
from registry.intake.yaml_safe import load_yaml

_BOM = b"\xef\xbb\xbf"


def load_document(data: bytes) -> dict[str, Any]:
    """Parse an OpenAPI document given as YAML or JSON bytes, under the intake limits."""
    if len(data) > MAX_BYTES:
        raise IntakeError(f"document is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    text = _decode(data)
    if text.lstrip().startswith("{"):
        doc = _load_json(text)
        _check_json_shape(doc)
    else:
        doc = load_yaml(text)
    if not isinstance(doc, dict):
        kind = "empty" if doc is None else type(doc).__name__
        raise IntakeError(f"the top level of the document must be a mapping, not {kind}")
    _check_values(doc)
    return doc


def _decode(data: bytes) -> str:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise IntakeError(f"document is not valid UTF-8 (byte offset {exc.start})") from None


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise IntakeError(f"duplicate key {key!r} in JSON object")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise IntakeError(f"{name} is not valid JSON")


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise IntakeError(f"document has an integer with more than {MAX_INT_DIGITS} digits")
    return int(literal)


def _load_json(text: str) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_pairs,
            parse_constant=_refuse_constant,
            parse_int=_parse_int,
        )
    except json.JSONDecodeError as exc:
        raise IntakeError(
            f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise IntakeError(f"document nests deeper than {MAX_DEPTH} levels") from None


def _check_json_shape(doc: Any) -> None:
    """Depth and node count of a parsed JSON value, walked without recursion."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise IntakeError(f"document has more than {MAX_NODES} nodes")
        if isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise IntakeError(f"document nests deeper than {MAX_DEPTH} levels")
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


def _check_values(doc: dict[str, Any]) -> None:
    """Refuse non-finite numbers (YAML `.nan`, `.inf`; JSON `1e999`) and NUL characters."""
    stack: list[Any] = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise IntakeError("document has a NaN or Infinity number, which JSON cannot hold")
        elif isinstance(value, str) and "\x00" in value:
            raise IntakeError("document has a NUL character (U+0000), which is not allowed")
