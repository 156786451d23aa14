"""`lint_document`: run the rule table over a document, apply suppressions and waivers, score.

Score (RULES.md): 100 − 10 per error − 2 per warning, at most 3 findings of one rule counted,
never below 0. Suppressed (`x-lint-ignore`) and waived findings are kept and do not count.
Findings come sorted by severity (errors first), then pointer, then rule. A document that is
not OpenAPI 3.0/3.1 (Swagger 2.0) gets one ATG-DOC-01 finding and no other rule runs: they
would read its fields wrongly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry.lint.context import LintContext, as_list
from registry.lint.model import Hit, Rule
from registry.lint.pointer import tokens
from registry.lint.structure import is_supported
from registry.lint.table import RULES
from registry.models import Finding, LintReport, Severity

MAX_COUNTED_PER_RULE = 3
STRUCTURE_RULE = "ATG-DOC-01"
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_PENALTY = {Severity.ERROR: 10, Severity.WARNING: 2, Severity.INFO: 0}


def _ignored_rules(doc: Any, pointer: str) -> set[str]:
    """Rule ids listed in `x-lint-ignore` on the root or on any mapping along the pointer."""
    ignored: set[str] = set()
    value = doc
    for token in [None, *tokens(pointer)]:
        if token is not None:
            if isinstance(value, dict):
                value = value.get(token)
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                break
        if isinstance(value, dict):
            ignored.update(str(r) for r in as_list(value.get("x-lint-ignore")))
    return ignored


def _run(rule: Rule, ctx: LintContext) -> list[Hit]:
    """A rule that fails on an odd document is reported, never allowed to stop the others."""
    try:
        return list(rule.check(ctx))
    except Exception as exc:
        return [
            Hit(
                "",
                f"規則 {rule.id} を実行できませんでした ({type(exc).__name__})。",
                f"Rule {rule.id} could not run on this document ({type(exc).__name__}).",
                Severity.INFO,
            )
        ]


def lint_document(
    doc: dict[str, Any], *, waivers: Iterable[str] = (), rules: Iterable[Rule] = RULES
) -> LintReport:
    """The conformance report of one parsed OpenAPI document."""
    waived = set(waivers)
    if not is_supported(doc):
        rules = [rule for rule in rules if rule.id == STRUCTURE_RULE]
    ctx = LintContext(doc)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for rule in rules:
        for hit in _run(rule, ctx):
            key = (rule.id, hit.pointer, hit.message_en)
            if key in seen:
                continue
            seen.add(key)
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=hit.severity or rule.severity,
                    path=hit.pointer,
                    message_ja=hit.message_ja,
                    message_en=hit.message_en,
                    suppressed=rule.id in _ignored_rules(doc, hit.pointer),
                    waived=rule.id in waived,
                )
            )
    return _report(sorted(findings, key=_sort_key))


def _sort_key(finding: Finding) -> tuple[int, list[str], str]:
    return (_ORDER[finding.severity], tokens(finding.path), finding.rule)


def _report(findings: list[Finding]) -> LintReport:
    active = [f for f in findings if not (f.suppressed or f.waived)]
    counted: dict[tuple[str, Severity], int] = {}
    for finding in active:
        key = (finding.rule, finding.severity)
        counted[key] = min(counted.get(key, 0) + 1, MAX_COUNTED_PER_RULE)
    penalty = sum(_PENALTY[severity] * n for (_, severity), n in counted.items())
    return LintReport(
        score=max(0, 100 - penalty),
        errors=sum(f.severity is Severity.ERROR for f in active),
        warnings=sum(f.severity is Severity.WARNING for f in active),
        findings=tuple(findings),
    )
