"""Checks for data items and their formats (ATG-DAT-01..03, DM-ZIP-01, DM-TEL-01, DM-GEO-01,
DM-ADDR-01; TG §2.3 and 表2-7, 行政基本情報データ連携モデル 1015-2..5).

Items are recognised by the heuristics in `registry.lint.heuristics`; values are judged from
`example`, `examples`, `enum` and `default`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from registry.lint import heuristics as h
from registry.lint.context import Item, LintContext, as_list, text
from registry.lint.model import Hit

_SNAKE = re.compile(r"^_?[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_VERB_PREFIX = frozenset({"get", "set", "do", "fetch", "exec"})


def values(schema: dict[str, Any]) -> list[Any]:
    found = [schema[k] for k in ("example", "default") if k in schema]
    return found + as_list(schema.get("examples")) + as_list(schema.get("enum"))


def _strings(schema: dict[str, Any]) -> list[str]:
    return [v for v in values(schema) if isinstance(v, str)]


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "")
    return text(kind)


def property_names(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DAT-01: property names are snake_case nouns."""
    for item in ctx.items:
        if not item.is_property:
            continue
        if not _SNAKE.match(item.name) or item.name.split("_")[0] in _VERB_PREFIX:
            yield Hit(
                item.pointer,
                f"項目名 {item.name} はスネークケースの名詞にしてください (例: city_libraries)。",
                f"Property name {item.name!r} should be a snake_case noun (e.g. city_libraries).",
            )


def _date_problem(item: Item) -> str | None:
    name, schema = h.normalised(item.name), item.schema
    fmt = text(schema.get("format"))
    if any(h.ERA.search(v) for v in [*_strings(schema), text(schema.get("pattern"))]):
        return "era"
    if fmt == "date" or (h.DATE_NAME.search(name) and fmt != "date-time"):
        ok = fmt == "date" and all(h.DATE_VALUE.match(v) for v in _strings(schema))
        return None if ok else "date"
    if fmt == "date-time" or h.DATETIME_NAME.search(name):
        ok = fmt == "date-time" and all(h.DATETIME_VALUE.match(v) for v in _strings(schema))
        return None if ok else "date-time"
    return None


def dates(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DAT-02: dates `format: date`; date-times `format: date-time` with an offset; no 和暦."""
    for item in ctx.items:
        problem = _date_problem(item)
        if problem == "era":
            yield Hit(
                item.pointer,
                f"{item.name} に和暦が使われています。西暦 (YYYY-MM-DD) にしてください。",
                f"{item.name} uses a Japanese era format: use Gregorian YYYY-MM-DD.",
            )
        elif problem == "date":
            yield Hit(
                item.pointer,
                f"日付項目 {item.name} は format: date (YYYY-MM-DD) にしてください。",
                f"Date item {item.name} should be format: date (YYYY-MM-DD).",
            )
        elif problem == "date-time":
            yield Hit(
                item.pointer,
                f"日時項目 {item.name} は format: date-time で、時差 (+09:00 または Z) を"
                "明示してください。",
                f"Date-time item {item.name} should be format: date-time with an explicit "
                "offset (+09:00 or Z).",
            )


_ALTERNATIVES = re.compile(r"^\^?\(?(?:\?:)?([A-Za-z0-9]+(?:\|[A-Za-z0-9]+)*)\)?\$?$")
_CHARACTER_CLASS = re.compile(r"^\^?\[([A-Za-z0-9]+)\]\$?$")


def pattern_literals(pattern: str) -> list[str]:
    """The values a pattern that only lists literals allows (`^(M|F)$` → M, F; `^[MF]$` → M, F),
    or nothing when the pattern is anything richer."""
    alternatives = _ALTERNATIVES.match(pattern)
    if alternatives and "|" in alternatives.group(1):
        return alternatives.group(1).split("|")
    characters = _CHARACTER_CLASS.match(pattern)
    if characters:
        return list(characters.group(1))
    return []


def codes(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DAT-03: codes follow ISO 639-1, 4217, 3166-1, 5218 and JIS X 0401/0402 (values from
    examples, `enum`, `default`, and patterns that list literals such as `^(M|F)$`)."""
    for item in ctx.items:
        for pattern, standard, valid in h.CODE_STANDARDS:
            if not pattern.search(h.normalised(item.name)):
                continue
            leading_zero = standard.startswith("JIS") and _type(item.schema) == "integer"
            samples = [*values(item.schema), *pattern_literals(text(item.schema.get("pattern")))]
            wrong = [v for v in samples if not valid.match(str(v))]
            if leading_zero or wrong:
                yield Hit(
                    item.pointer,
                    f"{item.name} は {standard} のコード (文字列) にしてください。",
                    f"{item.name} should hold {standard} codes as strings.",
                )


def postal_codes(ctx: LintContext) -> Iterator[Hit]:
    """DM-ZIP-01: postal codes are 7 digits without a hyphen (`^\\d{7}$`)."""
    for item in ctx.items:
        if not h.POSTAL_NAME.search(h.normalised(item.name)):
            continue
        schema = item.schema
        bad_values = [v for v in values(schema) if not h.POSTAL_VALUE.match(str(v))]
        if (
            _type(schema) != "string"
            or schema.get("pattern") not in h.POSTAL_PATTERNS
            or bad_values
        ):
            yield Hit(
                item.pointer,
                f"郵便番号 {item.name} はハイフンなし7桁の文字列にしてください "
                "(type: string, pattern: ^\\d{7}$)。",
                f"Postal code {item.name} should be a 7-digit string without a hyphen "
                "(type: string, pattern: ^\\d{7}$).",
            )


def phones(ctx: LintContext) -> Iterator[Hit]:
    """DM-TEL-01: phone numbers like `(03)5253-5111` or `090-9999-9999`, no labels."""
    for item in ctx.items:
        if not h.PHONE_NAME.search(h.normalised(item.name)):
            continue
        wrong = [v for v in _strings(item.schema) if not h.PHONE_VALUE.match(v)]
        if _type(item.schema) in ("integer", "number") or wrong:
            yield Hit(
                item.pointer,
                f"電話番号 {item.name} は半角数字とハイフンで、市外局番を括弧で囲んでください "
                "(例: (03)5253-5111、携帯 090-9999-9999)。ラベルは値に含めないでください。",
                f"Phone number {item.name} should use ASCII digits and hyphens with the area "
                "code in parentheses ((03)5253-5111; mobiles 090-9999-9999), without labels.",
            )


def _combined_position(item: Item) -> bool:
    """A string that holds both coordinates: by an unambiguous name, or a vaguer name
    (`location`) whose examples or pattern look like "35.68,139.76"."""
    name, schema = h.normalised(item.name), item.schema
    if _type(schema) != "string" or text(schema.get("format")) in h.NOT_POSITION_FORMATS:
        return False
    if name in h.COMBINED_POSITION:
        return True
    if name not in h.MAYBE_POSITION:
        return False
    samples = _strings(schema)
    if samples:
        return all(h.POSITION_VALUE.match(v) for v in samples)
    return bool(h.POSITION_PATTERN.search(text(schema.get("pattern"))))


def _geo_problem(item: Item) -> str | None:
    name = h.normalised(item.name)
    if _combined_position(item):
        return "combined"
    if name not in h.LAT_NAMES | h.LON_NAMES:
        return None
    if _type(item.schema) != "number":
        return "number"
    if not item.is_property:
        return None
    lower = {h.normalised(s) for s in item.siblings}
    paired = lower & h.LAT_NAMES and lower & h.LON_NAMES
    has_datum = any(h.DATUM_NAME.search(s) for s in lower)
    first = name in h.LAT_NAMES or not lower & h.LAT_NAMES
    return "datum" if first and not (paired and has_datum) else None


def geo(ctx: LintContext) -> Iterator[Hit]:
    """DM-GEO-01: separate numeric latitude and longitude with a datum item beside them."""
    messages = {
        "combined": (
            "位置を1つの文字列にせず、緯度 (latitude) と経度 (longitude) の"
            "数値項目に分けてください。",
            "Do not combine the position in one string: use numeric latitude and longitude.",
        ),
        "number": (
            "緯度・経度は10進数の度 (type: number) にしてください。",
            "Latitude and longitude should be decimal degrees (type: number).",
        ),
        "datum": (
            "緯度と経度を並べ、測地系の項目 (datum、既定は JGD2011) を加えてください。",
            "Put latitude and longitude side by side with a datum item (JGD2011 by default).",
        ),
    }
    for item in ctx.items:
        problem = _geo_problem(item)
        if problem:
            ja, en = messages[problem]
            yield Hit(item.pointer, f"{item.name}: {ja}", f"{item.name}: {en}")


def addresses(ctx: LintContext) -> Iterator[Hit]:
    """DM-ADDR-01: addresses start with the prefecture, ASCII block numbers, building apart."""
    for item in ctx.items:
        if not h.ADDRESS_NAME.search(h.normalised(item.name)) or _type(item.schema) not in (
            "string",
            "",
        ):
            continue
        samples = _strings(item.schema)
        bad = [
            v for v in samples if not h.starts_with_prefecture(v) or h.FULL_WIDTH_DIGITS.search(v)
        ]
        no_building = item.is_property and not any(h.BUILDING_NAME.search(s) for s in item.siblings)
        if bad or no_building:
            yield Hit(
                item.pointer,
                f"住所 {item.name} は都道府県から書き、丁目・番地・号は半角数字とハイフン "
                "(例: 東京都千代田区霞が関2-1-6) にし、"
                "建物名は別項目 (building_name) にしてください。",
                f"Address {item.name} should start with the prefecture, write block numbers as "
                "ASCII digits and hyphens (東京都千代田区霞が関2-1-6) and keep the building name "
                "in its own item (building_name).",
            )
