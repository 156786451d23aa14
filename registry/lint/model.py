"""The shape of a conformance rule: data (id, severity, grade source) plus one check function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from registry.models import Severity

if TYPE_CHECKING:
    from registry.lint.context import LintContext


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing a check found. `severity` overrides the rule's only where RULES.md says so."""

    pointer: str
    message_ja: str
    message_en: str
    severity: Severity | None = None


Check = Callable[["LintContext"], Iterator[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the rule table (`registry.lint.table.RULES`).

    `description`/`description_ja` say what the rule asks for; `passing` and `failing` are
    short OpenAPI (YAML) excerpts shown in the rule catalogue (`docs/rules.md`, the portal's
    "API standards" page)."""

    id: str
    severity: Severity
    source: str  # where the rule comes from and its grade, e.g. "TG §2.1.3 表2-1 ◎"
    description: str
    check: Check
    description_ja: str = ""
    passing: str = ""
    failing: str = ""
