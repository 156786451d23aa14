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

from registry.intake.errors import IntakeError, too_deep
from registry.intake.limits import MAX_BYTES, MAX_DEPTH, MAX_INT_DIGITS, MAX_NODES
from registry.intake.yaml_safe import load_yaml
from registry.problems import Text

_BOM = b"\xef\xbb\xbf"


def load_document(data: bytes) -> dict[str, Any]:
    """Parse an OpenAPI document given as YAML or JSON bytes, under the intake limits."""
    if len(data) > MAX_BYTES:
        raise IntakeError(
            Text(
                f"文書が {MAX_BYTES // (1024 * 1024)} MiB を超えています",
                f"document is larger than {MAX_BYTES // (1024 * 1024)} MiB",
            )
        )
    text = _decode(data)
    if text.lstrip().startswith("{"):
        doc = _load_json(text)
        _check_json_shape(doc)
    else:
        doc = load_yaml(text)
    if not isinstance(doc, dict):
        kind = "empty" if doc is None else type(doc).__name__
        raise IntakeError(
            Text(
                f"文書の最上位はマッピングにしてください（{kind} ではなく）",
                f"the top level of the document must be a mapping, not {kind}",
            )
        )
    _check_values(doc)
    return doc


def _decode(data: bytes) -> str:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise IntakeError(
            Text(
                f"文書が正しいUTF-8ではありません（バイト位置 {exc.start}）",
                f"document is not valid UTF-8 (byte offset {exc.start})",
            )
        ) from None


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise IntakeError(
                Text(
                    f"JSONオブジェクトのキー {key!r} が重複しています",
                    f"duplicate key {key!r} in JSON object",
                )
            )
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise IntakeError(Text(f"{name} は正しいJSONではありません", f"{name} is not valid JSON"))


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise IntakeError(
            Text(
                f"文書に {MAX_INT_DIGITS} 桁を超える整数があります",
                f"document has an integer with more than {MAX_INT_DIGITS} digits",
            )
        )
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
            Text(
                f"正しいJSONではありません：{exc.lineno} 行 {exc.colno} 列（{exc.msg}）",
                f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}",
            )
        ) from None
    except RecursionError:
        raise IntakeError(too_deep()) from None


def _check_json_shape(doc: Any) -> None:
    """Depth and node count of a parsed JSON value, walked without recursion."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise IntakeError(
                Text(
                    f"文書のノードが {MAX_NODES} 個を超えています",
                    f"document has more than {MAX_NODES} nodes",
                )
            )
        if isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise IntakeError(too_deep())
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
            raise IntakeError(
                Text(
                    "文書に NaN または Infinity があります（JSONでは表せません）",
                    "document has a NaN or Infinity number, which JSON cannot hold",
                )
            )
        elif isinstance(value, str) and "\x00" in value:
            raise IntakeError(
                Text(
                    "文書にNUL文字（U+0000）があります（使えません）",
                    "document has a NUL character (U+0000), which is not allowed",
                )
            )
