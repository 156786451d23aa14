"""Descriptive text that changed: titles, summaries, descriptions, examples, contact details.

None of it changes what a caller may send or receive, so all of it is compatible; it is listed
so the change log says what a provider edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry.compat.report import Collector
from registry.openapi import join

TEXT_KEYS = frozenset(
    {
        "title",
        "summary",
        "description",
        "example",
        "examples",
        "externalDocs",
        "contact",
        "license",
        "termsOfService",
        "tags",
        "x-logo",
    }
)


def compare_text(diff: Collector) -> None:
    _walk(diff, diff.old.raw, diff.new.raw, "", "")


def _walk(diff: Collector, old: Any, new: Any, pointer: str, parent: str) -> None:
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        in_properties = parent == "properties"  # there the keys are property names
        for key in new:
            if key not in old:
                continue
            at = join(pointer, key)
            if key in TEXT_KEYS and not in_properties:
                if old[key] != new[key]:
                    diff.add("text-changed", at, where=at)
                continue
            _walk(diff, old[key], new[key], at, str(key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _walk(diff, a, b, join(pointer, index), parent)
