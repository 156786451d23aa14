"""What a comparison found: each `Change` with its kind and pointer, and the collector that
gathers them while the documents are walked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from registry.compat.kinds import CHANGE_KINDS, ChangeKind
from registry.openapi import OpenApiDocument, RefError
from registry.problems import Language

MAX_LISTED = 200
"""Changes kept per comparison; a rewrite beyond that is summarised, not listed whole."""


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. `pointer` (RFC 6901) locates it in the new document, or in the
    published one when something was removed."""

    kind: str
    pointer: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def spec(self) -> ChangeKind:
        return CHANGE_KINDS[self.kind]

    @property
    def breaking(self) -> bool:
        return self.spec.breaking

    def message(self, language: Language) -> str:
        template = self.spec.ja if language == "ja" else self.spec.en
        return template.format_map(_Blank(self.params))

    def line(self, language: Language) -> str:
        """One line a person reads: pointer, message, kind id."""
        return f"{self.pointer or '/'}: {self.message(language)} ({self.kind})"

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "breaking": self.breaking,
            "pointer": self.pointer,
            "message_ja": self.message("ja"),
            "message_en": self.message("en"),
        }


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True, slots=True)
class CompatReport:
    """Every change found, in document order; compatible when none of them breaks callers."""

    changes: tuple[Change, ...]
    truncated: bool = False

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    @property
    def compatible(self) -> bool:
        return not self.breaking

    def summary(self, language: Language) -> str:
        """A short readable line for the change log and the feed."""
        if not self.changes:
            return "変更なし" if language == "ja" else "no changes"
        head = "; ".join(c.message(language) for c in self.changes[:5])
        rest = len(self.changes) - 5
        if rest > 0 or self.truncated:
            more = f"ほか {rest} 件" if language == "ja" else f"and {rest} more"
            head = f"{head}; {more}"
        return head


class Collector:
    """Both documents, the changes found so far and the schema pairs already compared."""

    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old = OpenApiDocument(old)
        self.new = OpenApiDocument(new)
        self.changes: list[Change] = []
        self.truncated = False
        self.visited: set[tuple[str, str, str]] = set()

    def add(self, kind: str, pointer: str, **params: str) -> None:
        if kind not in CHANGE_KINDS:
            raise KeyError(kind)
        if len(self.changes) >= MAX_LISTED:
            self.truncated = True
            return
        self.changes.append(Change(kind, pointer, params))

    def report(self) -> CompatReport:
        return CompatReport(tuple(self.changes), self.truncated)


def resolved(doc: OpenApiDocument, node: Any, pointer: str) -> tuple[Any, str]:
    """`node` with its `$ref`s followed (through the shared model); a broken reference reads as
    an empty node, which the linter reports on its own."""
    try:
        return doc.resolve(node, pointer)
    except RefError as error:
        return {}, error.at
