"""Compatibility of a new OpenAPI document with the published one of the same major version.

`compare(published, new)` lists every change it recognises (`Change`: kind, pointer, ja/en
message) and says whether any breaks existing callers. The categories follow oasdiff's
breaking-change checks (ADR 0023); documents are read through the shared model
`registry.openapi`, so `$ref`s resolve the one way every other reader resolves them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry.compat.kinds import CHANGE_KINDS, ChangeKind
from registry.compat.operations import compare_paths, compare_security_schemes
from registry.compat.report import Change, Collector, CompatReport
from registry.compat.text import compare_text

__all__ = ["CHANGE_KINDS", "Change", "ChangeKind", "CompatReport", "compare"]


def compare(published: Mapping[str, Any], new: Mapping[str, Any]) -> CompatReport:
    """What changed from `published` to `new` (both parsed OpenAPI 3.x documents)."""
    diff = Collector(published, new)
    if published == new:
        return diff.report()
    compare_paths(diff)
    compare_security_schemes(diff)
    compare_text(diff)
    if not diff.changes:
        diff.add("other-change", "", where="/")
    return diff.report()
