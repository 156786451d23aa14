"""Schemas as people read them: a field table per object, and the JSON Schema on request."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from portal.markdown import cell, code, fenced
from portal.operations import resolve
from portal.wording import Lang, pick

MAX_DEPTH = 12  # nested levels inlined in the "JSON Schema" view before a `$ref` is kept


def ref_name(node: Any) -> str | None:
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


def type_of(doc: Mapping[str, Any], node: Any) -> str:
    name = ref_name(node)
    schema = resolve(doc, node)
    if not isinstance(schema, Mapping):
        return "-"
    kind = schema.get("type")
    if kind == "array":
        return f"array of {type_of(doc, schema.get('items'))}"
    if isinstance(kind, list):
        kind = " | ".join(str(k) for k in kind)
    text = str(kind or name or ("object" if "properties" in schema else "any"))
    if name and kind == "object":
        text = name
    if schema.get("format"):
        text += f" ({schema['format']})"
    if schema.get("nullable") is True:
        text += " | null"
    return text


def _object_of(doc: Mapping[str, Any], node: Any) -> Mapping[str, Any] | None:
    schema = resolve(doc, node)
    if not isinstance(schema, Mapping):
        return None
    if schema.get("type") == "array":
        return _object_of(doc, schema.get("items"))
    if isinstance(schema.get("properties"), Mapping):
        return schema
    return None


def field_table(doc: Mapping[str, Any], node: Any, lang: Lang) -> str:
    """The top-level fields (or an array's item fields) as a Markdown table; "" if none."""
    obj = _object_of(doc, node)
    if obj is None:
        return ""
    required = set(obj.get("required") or ())
    head = pick(lang, "| 項目名 | 型 | 必須 | 説明 |", "| Field | Type | Required | Description |")
    rows = [head, "|---|---|---|---|"]
    for name, prop in obj["properties"].items():
        resolved = resolve(doc, prop)
        description = resolved.get("description", "") if isinstance(resolved, Mapping) else ""
        text = cell(str(description))
        enum = resolved.get("enum") if isinstance(resolved, Mapping) else None
        if isinstance(enum, list) and enum:
            values = ", ".join(code(json.dumps(v, ensure_ascii=False)) for v in enum)
            text += pick(lang, f" (値: {values})", f" (values: {values})")
        mark = pick(lang, "必須", "yes") if name in required else ""
        rows.append(f"| {code(str(name))} | {cell(type_of(doc, prop))} | {mark} | {text} |")
    return "\n".join(rows)


def inline(doc: Mapping[str, Any], node: Any, depth: int = 0) -> Any:
    """The schema with local `$ref`s replaced by their targets, `MAX_DEPTH` levels deep."""
    if depth > MAX_DEPTH:
        return node
    if isinstance(node, Mapping):
        target = resolve(doc, node) if "$ref" in node else node
        if target is not node and isinstance(target, Mapping):
            return inline(doc, target, depth + 1)
        return {k: inline(doc, v, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [inline(doc, v, depth + 1) for v in node]
    return node


def schema_block(doc: Mapping[str, Any], node: Any, lang: Lang, indent: str = "") -> str:
    """The field table, then the full JSON Schema folded in a collapsible block."""
    parts = []
    table = field_table(doc, node, lang)
    if table:
        parts.append(table)
    full = json.dumps(inline(doc, node), ensure_ascii=False, indent=2)
    title = pick(lang, "JSON Schema (全体)", "JSON Schema (complete)")
    parts.append(f'??? note "{title}"\n\n' + fenced(full, "json", "    "))
    text = "\n\n".join(parts)
    return "\n".join(indent + line if line else line for line in text.splitlines())
